import { shortenGrantRoute } from '@/lib/server/grant-route';

export const POST = shortenGrantRoute;
