import { endGrantRoute } from '@/lib/server/grant-route';

export const POST = endGrantRoute('GIVEN_BACK');
