import { decideDeploymentRoute } from '@/lib/server/deployments/decision-route';

export const POST = decideDeploymentRoute('APPROVE');
