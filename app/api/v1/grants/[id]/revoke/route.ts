import { endGrantRoute } from '@/lib/server/grant-route';

export const POST = endGrantRoute('REVOKED');
