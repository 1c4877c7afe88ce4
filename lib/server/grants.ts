import 'server-only';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GrantDeps } from '@/lib/grants/service';
import { runGrantLifecycle } from '@/lib/grants/service';
import type { IamPort, SecretsPort } from '@/lib/grants/ports';
import { awsClient } from '@/lib/server/aws/clients';
import { createAwsIam } from '@/lib/server/aws/iam';
import { createAwsSecrets } from '@/lib/server/aws/secrets';
import { currentAccount } from '@/lib/server/cloud/account';
import { createGrantStore } from '@/lib/server/db/repositories/grants';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { env } from '@/lib/server/env';
import { withCallCounter } from '@/lib/server/sandbox/call-counter';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { createSandboxSecrets } from '@/lib/server/sandbox/secrets';

/** IAM of the configured cloud mode. */
export function iamPort(): IamPort {
  const e = env();
  if (e.GATEHOUSE_CLOUD === 'aws') return createAwsIam(awsClient('iam', (config) => new IAMClient(config)), async () => (await currentAccount()).accountId);
  const store = createSandboxStore();
  // Counting is a test aid (bench/scale-out.ts proves each grant is applied and removed once).
  return e.GATEHOUSE_SANDBOX_COUNT_CALLS ? withCallCounter(createSandboxIam(store), store) : createSandboxIam(store);
}

/** Secrets Manager of the configured cloud mode (metadata and registration only: never a value). */
export function secretsPort(): SecretsPort {
  const e = env();
  return e.GATEHOUSE_CLOUD === 'aws'
    ? createAwsSecrets(awsClient('secretsmanager', (config) => new SecretsManagerClient(config)))
    : createSandboxSecrets(createSandboxStore(), () => new Date(), e.AWS_REGION);
}

/** A give-back or revoke answers within this, ENDING if AWS has not finished (decision 024). */
const END_WAIT_MS = 3_000;

/** The grant engine's ports, wired to the database, the configured IAM and the wall clock. */
export function grantDeps(): GrantDeps {
  return {
    store: createGrantStore(),
    iam: iamPort(),
    secrets: secretsPort(),
    now: () => new Date(),
    endWaitMs: END_WAIT_MS,
    onBackgroundError: (e) => console.error('[grants] the removal after a give-back or revoke failed; the grant stays ENDING and the job retries it', e),
  };
}

/**
 * Runs a lifecycle pass right away (after an approval commits), so that access is applied within
 * a second instead of at the next tick; the job catches anything this misses.
 */
export function kickGrants(): void {
  void runGrantLifecycle(grantDeps()).catch((e) => console.error('[grants] immediate apply failed; the job retries', e));
}
