import 'server-only';
import { IAMClient } from '@aws-sdk/client-iam';
import type { IamAccountPort } from '@/lib/iam-audit/ports';
import type { IamAuditDeps } from '@/lib/iam-audit/service';
import { awsClient } from '@/lib/server/aws/clients';
import { createAwsIamAccount } from '@/lib/server/aws/iam-account';
import { currentAccount } from '@/lib/server/cloud/account';
import { createIamAuditStore } from '@/lib/server/db/repositories/iam-audit';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { env } from '@/lib/server/env';
import { createSandboxIamAccount } from '@/lib/server/sandbox/iam-account';

/** Account-wide IAM of the configured cloud mode (the same client as the grant engine's). */
export function iamAccountPort(): IamAccountPort {
  return env().GATEHOUSE_CLOUD === 'aws'
    ? createAwsIamAccount(awsClient('iam', (config) => new IAMClient(config)), async () => (await currentAccount()).accountId)
    : createSandboxIamAccount(createSandboxStore());
}

/** The IAM audit's and the baseline's ports, wired to the configured IAM, the database, env settings and the wall clock. */
export function iamAuditDeps(): IamAuditDeps {
  const e = env();
  return {
    iam: iamAccountPort(),
    store: createIamAuditStore(),
    settings: { privilegedPrincipals: e.GATEHOUSE_PRIVILEGED_PRINCIPALS, unusedRoleDays: e.GATEHOUSE_UNUSED_ROLE_DAYS },
    now: () => new Date(),
  };
}
