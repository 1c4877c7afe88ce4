import 'server-only';
import { expireOverdueRequests } from '@/lib/access/service';
import { runGrantLifecycle } from '@/lib/grants/service';
import { accessDeps } from '@/lib/server/access';
import { pollHealth } from '@/lib/server/alarms/wiring';
import { grantDeps } from '@/lib/server/grants';
import { deliverNotifications } from '@/lib/server/notifications/send-now';
import { env } from '@/lib/server/env';
import { checkpointEmbeddedDb } from '@/lib/server/db/connection';
import { runDeploymentJobs } from '@/lib/deployments/service';
import { DEPLOY_POLL_MS, deploymentDeps } from '@/lib/server/deployments/wiring';
import { AUDIT_CHECKPOINT_EVERY_MS, runAuditCheckpoint } from '@/lib/server/audit/history';

export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

// Every job is safe to run on several replicas at once: each change it makes is guarded in the
// database (version checks, row locks), never by this process's memory.
const JOBS: Job[] = [
  { name: 'expire-unanswered-requests', everyMs: 60_000, run: () => expireOverdueRequests(accessDeps()) },
  // Grants: apply when due, retry failures, end at expiry, finish removals (leases + version checks).
  {
    name: 'grant-lifecycle',
    get everyMs() {
      return env().GATEHOUSE_GRANT_JOB_SECONDS * 1000;
    },
    run: () => runGrantLifecycle(grantDeps()),
  },
  // The notification outbox (docs/decisions/006-notifications.md): claims use SKIP LOCKED.
  { name: 'deliver-notifications', everyMs: 10_000, run: () => deliverNotifications() },
  // Environment health (docs/decisions/013-alarm-sandbox-and-health.md): ticks every 10 s so that no
  // 30 s slot is missed; each (environment, slot) is claimed by one replica only.
  { name: 'environment-health', everyMs: 10_000, run: () => pollHealth() },
  // Deployments: plans being prepared, executions (stack events), drift checks, expiry (a lease per row).
  { name: 'deployments', everyMs: DEPLOY_POLL_MS, run: () => runDeploymentJobs(deploymentDeps()) },
  auditCheckpointJob(),
  // The embedded database has no checkpointer process: one every 5 minutes keeps its WAL, and what a
  // crash must replay, short (lib/server/db/connection.ts). Nothing on PostgreSQL.
  { name: 'embedded-checkpoint', everyMs: 5 * 60_000, run: () => checkpointEmbeddedDb() },
];

/**
 * Signed checkpoints of the audit chain's head, outside the database, while events are appended
 * (docs/decisions/030-audit-history-integrity.md). A replica writes one when the head has moved past
 * the newest checkpoint; two replicas at once write the same head twice, which is harmless.
 */
export function auditCheckpointJob(run: () => Promise<unknown> = () => runAuditCheckpoint()): Job {
  return { name: 'audit-checkpoint', everyMs: AUDIT_CHECKPOINT_EVERY_MS, run };
}

/** Starts the background jobs of this process (all of them unless told); returns a stop function. */
export function startJobs(jobs: readonly Job[] = JOBS): () => void {
  const timers = jobs.map((job) => {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        await job.run();
      } catch (e) {
        console.error(`[jobs] ${job.name} failed; it runs again in ${job.everyMs / 1000} s`, e);
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), job.everyMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach(clearInterval);
}
