import { decisionRoute } from '@/lib/server/http/decision-route';

export const POST = decisionRoute('APPROVE');
