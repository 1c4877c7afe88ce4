import 'server-only';
import type { GrantStore } from '@/lib/grants/ports';
import type { GrantDeps } from '@/lib/grants/service';
import { applyGrantOfRequest, runGrantLifecycle } from '@/lib/grants/service';
import { cloudFor } from '@/lib/server/cloud/adapters';
import { createGrantStore } from '@/lib/server/db/repositories/grants';

/** A give-back or revoke answers within this, ENDING if AWS has not finished (decision 024). */
const END_WAIT_MS = 3_000;

/**
 * The grant engine's ports, wired to the database, the wall clock and, for each grant, IAM and
 * Secrets Manager of its environment's account (docs/decisions/039). `store` is for tests that run
 * the real cloud wiring on a test database.
 */
export function grantDeps(store: GrantStore = createGrantStore()): GrantDeps {
  return {
    store,
    iam: (environment) => cloudFor(environment).iam(),
    secrets: (environment) => cloudFor(environment).secrets(),
    now: () => new Date(),
    endWaitMs: END_WAIT_MS,
    onBackgroundError: (e) => console.error('[grants] the removal after a give-back or revoke failed; the grant stays ENDING and the job retries it', e),
  };
}

/**
 * Applies a just-approved request's grant right away (after the approval commits), so that access
 * is in AWS within a second instead of at the job's next tick; the job catches anything this misses
 * (a failure is retried there, a scheduled start waits for it).
 */
export function applyGrantNow(requestId: string): void {
  void applyGrantOfRequest(grantDeps(), requestId).catch((e) => console.error('[grants] immediate apply failed; the job retries', e));
}

/** Runs a lifecycle pass right away (after a revoke), so that removals start now; the job catches anything this misses. */
export function kickGrants(): void {
  void runGrantLifecycle(grantDeps()).catch((e) => console.error('[grants] immediate apply failed; the job retries', e));
}
