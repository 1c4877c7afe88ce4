import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Database } from '../shared/database';
import { jobMessageSchema, type JobKind, type JobMessage } from '../shared/jobs-schema';
import { describeError, type Logger } from '../shared/logger';

/** Runs one kind of job; what it resolves to is stored as the job's result. */
export type JobRunner = (payload: Record<string, unknown>, job: JobMessage) => Promise<unknown>;

export type JobRunners = Record<JobKind, JobRunner>;

/** The kinds shipped with the stack. `echo` stores its payload: the end-to-end smoke test (API -> SQS -> worker -> RDS). */
export const JOB_RUNNERS: JobRunners = {
  echo: async (payload) => payload,
};

export interface WorkerDependencies {
  db: Database;
  ensureJobsTable: () => Promise<void>;
  runners: JobRunners;
  log: Logger;
}

export type WorkerHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

type Outcome = 'succeeded' | 'duplicate' | 'failed';

/**
 * The queue worker. Each message is handled on its own; the ones that fail are returned as
 * batchItemFailures (ReportBatchItemFailures), so SQS redelivers only them and, after the queue's
 * maxReceiveCount, moves them to the dead-letter queue. Only a failure that concerns the whole batch
 * (the database unreachable before any message) fails the invocation.
 */
export function createWorkerHandler(deps: WorkerDependencies): WorkerHandler {
  async function process(record: SQSRecord): Promise<Outcome> {
    let job: JobMessage;
    try {
      job = jobMessageSchema.parse(JSON.parse(record.body));
    } catch (error) {
      // Never valid, so it will reach the dead-letter queue and raise the dlq-depth alarm.
      deps.log.warn('malformed job message', { messageId: record.messageId, ...describeError(error) });
      return 'failed';
    }

    // Claim the job: at-least-once delivery means a finished job may arrive again.
    const claimed = await deps.db.query(
      `INSERT INTO jobs (id, kind, payload, status, attempts, enqueued_at)
       VALUES ($1, $2, $3, 'running', 1, $4)
       ON CONFLICT (id) DO UPDATE SET status = 'running', attempts = jobs.attempts + 1, updated_at = now()
       WHERE jobs.status <> 'succeeded'
       RETURNING attempts`,
      [job.id, job.kind, JSON.stringify(job.payload), job.enqueuedAt],
    );
    if (claimed.rowCount === 0) {
      deps.log.info('job already succeeded; duplicate delivery acknowledged', { jobId: job.id, messageId: record.messageId });
      return 'duplicate';
    }

    try {
      const result = await deps.runners[job.kind](job.payload, job);
      await deps.db.query(`UPDATE jobs SET status = 'succeeded', result = $2, error = NULL, updated_at = now() WHERE id = $1`, [
        job.id,
        JSON.stringify(result ?? null),
      ]);
      return 'succeeded';
    } catch (error) {
      const reason = describeError(error);
      deps.log.warn('job failed; SQS will redeliver it', { jobId: job.id, kind: job.kind, messageId: record.messageId, ...reason });
      await deps.db.query(`UPDATE jobs SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [job.id, String(reason.message).slice(0, 2000)]);
      return 'failed';
    }
  }

  return async (event) => {
    await deps.ensureJobsTable();
    const batchItemFailures: SQSBatchItemFailure[] = [];
    const counts: Record<Outcome, number> = { succeeded: 0, duplicate: 0, failed: 0 };
    for (const record of event.Records) {
      let outcome: Outcome;
      try {
        outcome = await process(record);
      } catch (error) {
        // A database error on this message: redeliver it, carry on with the others.
        deps.log.warn('job could not be recorded; SQS will redeliver it', { messageId: record.messageId, ...describeError(error) });
        outcome = 'failed';
      }
      counts[outcome] += 1;
      if (outcome === 'failed') batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    deps.log.info('batch done', { messages: event.Records.length, ...counts });
    return { batchItemFailures };
  };
}
