import { baselineDecisionRoute } from '@/lib/server/iam-audit-route';

export const POST = baselineDecisionRoute('APPROVE');
