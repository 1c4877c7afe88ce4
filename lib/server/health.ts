import 'server-only';
import { checkHealth, type HealthReport } from '@/lib/health/check-health';
import { accountIdentity } from '@/lib/server/cloud/account';
import { pingDatabase } from '@/lib/server/db/db';
import { env } from '@/lib/server/env';

/** Checks the database and, in AWS mode, that STS answers with the portal's identity. */
export function runHealthChecks(): Promise<HealthReport> {
  const probes: Record<string, () => Promise<unknown>> = {
    database: pingDatabase,
  };
  if (env().GATEHOUSE_CLOUD === 'aws') probes.aws = () => accountIdentity().describeAccount();
  return checkHealth(probes);
}
