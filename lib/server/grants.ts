import 'server-only';
import type { GrantDeps } from '@/lib/grants/service';
import { runGrantLifecycle } from '@/lib/grants/service';
import type { IamPort, SecretsPort } from '@/lib/grants/ports';
import { cloud } from '@/lib/server/cloud/adapters';
import { createGrantStore } from '@/lib/server/db/repositories/grants';

/** IAM of the configured cloud mode. */
export function iamPort(): IamPort {
  return cloud().iam();
}

/** Secrets Manager of the configured cloud mode (metadata and registration only: never a value). */
export function secretsPort(): SecretsPort {
  return cloud().secrets();
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
