import { decisionRoute } from '@/lib/server/access-route';

export const POST = decisionRoute('APPROVE');
