import 'server-only';
import { checkHealth, type HealthReport } from '@/lib/portal-health/check-health';
import { cloud } from '@/lib/server/cloud/adapters';
import { pingDatabase } from '@/lib/server/db/connection';

/** Checks the database and, in AWS mode, that STS answers with the portal's identity. */
export function runHealthChecks(): Promise<HealthReport> {
  const probes: Record<string, () => Promise<unknown>> = {
    database: pingDatabase,
  };
  const adapters = cloud();
  if (adapters.mode === 'aws') probes.aws = () => adapters.accountIdentity().describeAccount();
  return checkHealth(probes);
}
