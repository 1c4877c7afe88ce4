import 'server-only';
import type { IamAccountPort } from '@/lib/iam-audit/ports';
import type { IamAuditDeps } from '@/lib/iam-audit/service';
import { cloud, cloudAccounts } from '@/lib/server/cloud/adapters';
import { createIamAuditStore } from '@/lib/server/db/repositories/iam-audit';
import { env } from '@/lib/server/env';

/** Account-wide IAM of the portal's own account (where the secrets baseline is applied). */
export function iamAccountPort(): IamAccountPort {
  return cloud().iamAccount();
}

/** The IAM audit's and the baseline's ports, wired to the configured IAM, the database, env settings and the wall clock. */
export function iamAuditDeps(): IamAuditDeps {
  const e = env();
  return {
    iam: iamAccountPort(),
    // The audit scans every account (docs/decisions/039); the baseline stays in the portal's own.
    accounts: cloudAccounts().map((a) => ({ account: { accountId: a.route.accountId, alias: a.route.alias }, iam: a.iamAccount() })),
    store: createIamAuditStore(),
    settings: { privilegedPrincipals: e.GATEHOUSE_PRIVILEGED_PRINCIPALS, unusedRoleDays: e.GATEHOUSE_UNUSED_ROLE_DAYS },
    now: () => new Date(),
  };
}
