import { executeDeploymentRoute } from '@/lib/server/deployments/decision-route';

export const POST = executeDeploymentRoute;
