import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../shared/database';
import { createJobsTableGuard } from '../shared/jobs-schema';
import { openTestDatabase, testDatabaseKinds } from '../shared/test-database';
import { recordingLogger } from '../shared/test-logger';
import { createWorkerHandler, JOB_RUNNERS, type JobRunners } from './handler';

const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'] as const;

function record(messageId: string, body: unknown): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'AIDA', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:123456789012:serverless-dev-jobs',
    awsRegion: 'eu-central-1',
  };
}

function job(id: string, payload: Record<string, unknown> = {}) {
  return { id, kind: 'echo', payload, enqueuedAt: '2026-11-29T12:00:00.000Z' };
}

function batch(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

describe.each(testDatabaseKinds())('worker (%s database)', (kind) => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  // `echo` as shipped, except that a payload with `fail` throws: a job that fails on its own.
  const runners: JobRunners = {
    echo: async (payload, j) => {
      if (payload.fail) throw new Error(`job ${j.id} cannot be done`);
      return JOB_RUNNERS.echo(payload, j);
    },
  };

  // Starting PGlite (a WASM PostgreSQL) is slow on a busy machine.
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  }, 120_000);
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query('DROP TABLE IF EXISTS jobs');
  });

  async function statuses() {
    const { rows } = await db.query('SELECT id, status, attempts, result, error FROM jobs ORDER BY id');
    return rows;
  }

  it('reports only the failed messages of a batch (ReportBatchItemFailures) and records every outcome', async () => {
    const log = recordingLogger();
    const handler = createWorkerHandler({ db, ensureJobsTable: createJobsTableGuard(db), runners, log });

    const response = await handler(
      batch(
        record('m-ok', job(ids[0], { n: 1 })),
        record('m-fail', job(ids[1], { fail: true })),
        record('m-garbage', '{"kind":"echo"'),
        record('m-unknown-kind', { ...job(ids[2]), kind: 'rm-rf' }),
      ),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-fail' }, { itemIdentifier: 'm-garbage' }, { itemIdentifier: 'm-unknown-kind' }] });
    expect(await statuses()).toEqual([
      { id: ids[0], status: 'succeeded', attempts: 1, result: { n: 1 }, error: null },
      { id: ids[1], status: 'failed', attempts: 1, result: null, error: `job ${ids[1]} cannot be done` },
    ]);
    expect(log.entries.at(-1)).toEqual({ level: 'info', message: 'batch done', data: { messages: 4, succeeded: 1, duplicate: 0, failed: 3 } });
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('retries a failed job on redelivery and acknowledges a duplicate of a finished one without running it again', async () => {
    let runs = 0;
    let failFirst = true;
    const flaky: JobRunners = {
      echo: async (payload) => {
        runs += 1;
        if (failFirst) {
          failFirst = false;
          throw new Error('transient');
        }
        return payload;
      },
    };
    const handler = createWorkerHandler({ db, ensureJobsTable: createJobsTableGuard(db), runners: flaky, log: recordingLogger() });

    expect(await handler(batch(record('m-1', job(ids[0], { v: 1 }))))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(await handler(batch(record('m-1', job(ids[0], { v: 1 }))))).toEqual({ batchItemFailures: [] });
    expect(await handler(batch(record('m-1', job(ids[0], { v: 1 }))))).toEqual({ batchItemFailures: [] });

    expect(runs).toBe(2);
    expect(await statuses()).toEqual([{ id: ids[0], status: 'succeeded', attempts: 2, result: { v: 1 }, error: null }]);
  });

  it('runs a job the API recorded as queued, counting its first attempt', async () => {
    const ensure = createJobsTableGuard(db);
    await ensure();
    await db.query(`INSERT INTO jobs (id, kind, payload, status, enqueued_at) VALUES ($1, 'echo', '{"a":1}', 'queued', now())`, [ids[1]]);

    const response = await createWorkerHandler({ db, ensureJobsTable: ensure, runners, log: recordingLogger() })(batch(record('m-2', job(ids[1], { a: 1 }))));

    expect(response.batchItemFailures).toEqual([]);
    expect(await statuses()).toEqual([{ id: ids[1], status: 'succeeded', attempts: 1, result: { a: 1 }, error: null }]);
  });
});

describe('worker without a database', () => {
  it('fails the whole invocation when the jobs table cannot be reached, so SQS redelivers the batch', async () => {
    const unreachable = { query: async () => Promise.reject(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })) };
    const handler = createWorkerHandler({ db: unreachable, ensureJobsTable: createJobsTableGuard(unreachable), runners: JOB_RUNNERS, log: recordingLogger() });

    await expect(handler(batch(record('m-1', job(ids[0]))))).rejects.toThrow('connect ETIMEDOUT');
  });

  it('reports a message whose database write fails and carries on with the next', async () => {
    let calls = 0;
    const flakyDb: Database = {
      query: async <Row>() => {
        calls += 1;
        if (calls === 1) throw new Error('deadlock detected');
        return { rows: [{ attempts: 1 }] as unknown as Row[], rowCount: 1 };
      },
    };
    const log = recordingLogger();
    const handler = createWorkerHandler({ db: flakyDb, ensureJobsTable: async () => {}, runners: JOB_RUNNERS, log });

    const response = await handler(batch(record('m-a', job(ids[0])), record('m-b', job(ids[1]))));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-a' }] });
    expect(log.entries.find((e) => e.level === 'warn')).toMatchObject({
      message: 'job could not be recorded; SQS will redeliver it',
      data: { messageId: 'm-a', message: 'deadlock detected' },
    });
  });
});
