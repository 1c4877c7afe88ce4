import { baselineDecisionRoute } from '@/lib/server/http/baseline-route';

export const POST = baselineDecisionRoute('APPROVE');
