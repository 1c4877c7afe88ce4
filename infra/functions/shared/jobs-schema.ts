// The job message and table shared by the API (writes queued rows, enqueues) and the worker
// (runs them). Kept in one file so both sides agree on the shape.
// zod/mini: the same validation as 'zod' at a tenth of the bundle size (cold starts).
import * as z from 'zod/mini';
import type { Database } from './database';

/** Kinds the worker knows how to run; the API refuses others before they reach the queue. */
export const JOB_KINDS = ['echo'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const jobRequestSchema = z.object({
  kind: z.enum(JOB_KINDS),
  payload: z._default(z.record(z.string(), z.unknown()), {}),
});

/** What travels through SQS. */
export const jobMessageSchema = z.extend(jobRequestSchema, {
  id: z.uuid(),
  enqueuedAt: z.iso.datetime(),
});
export type JobMessage = z.infer<typeof jobMessageSchema>;

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * Creates the jobs table once per function instance (the returned function remembers success).
 * Concurrent cold starts may race on CREATE TABLE IF NOT EXISTS; the loser's duplicate error means
 * the table exists. A failure is not remembered, so the next invocation tries again.
 */
export function createJobsTableGuard(db: Database): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () => {
    ready ??= db
      .query(
        `CREATE TABLE IF NOT EXISTS jobs (
           id uuid PRIMARY KEY,
           kind text NOT NULL,
           payload jsonb NOT NULL,
           status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
           attempts integer NOT NULL DEFAULT 0,
           result jsonb,
           error text,
           enqueued_at timestamptz NOT NULL,
           updated_at timestamptz NOT NULL DEFAULT now()
         )`,
      )
      .then(
        () => undefined,
        (error: unknown) => {
          const code = (error as { code?: unknown }).code;
          if (code === '23505' || code === '42P07') return;
          ready = undefined;
          throw error;
        },
      );
    return ready;
  };
}
