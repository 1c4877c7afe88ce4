import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../shared/database';
import { createJobsTableGuard } from '../shared/jobs-schema';
import { SqsError, type JobQueue } from '../shared/sqs';
import { openTestDatabase, testDatabaseKinds } from '../shared/test-database';
import { recordingLogger } from '../shared/test-logger';
import { createApiHandler, MAX_BODY_BYTES, type ApiDependencies } from './handler';

const JOB_ID = '0b7c2f4e-4a7d-4c55-9a53-7f6f8f7f0a11';
const NOW = new Date('2026-11-29T12:00:00.000Z');

function event(routeKey: string, init: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path ?? '/',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', http: { method: method ?? 'GET', path: path ?? '/' } } as APIGatewayProxyEventV2['requestContext'],
    ...init,
  };
}

function recordingQueue(fail?: Error): JobQueue & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(body) {
      if (fail) throw fail;
      sent.push(body);
      return `msg-${sent.length}`;
    },
  };
}

function body(result: { body?: string }): Record<string, unknown> {
  return JSON.parse(result.body ?? 'null') as Record<string, unknown>;
}

// One database per kind for the whole file: starting PGlite (a WASM PostgreSQL) is the slow part.
const databases = new Map<string, Awaited<ReturnType<typeof openTestDatabase>>>();
async function database(kind: 'embedded' | 'postgres') {
  if (!databases.has(kind)) databases.set(kind, await openTestDatabase(kind));
  return databases.get(kind)!;
}
afterAll(async () => {
  for (const db of databases.values()) await db.close();
});

describe('GET /health', () => {
  it('answers 200 when the database answers through the proxy', async () => {
    const db = await database('embedded');
    const log = recordingLogger();
    const handler = createApiHandler({ db, queue: recordingQueue(), ensureJobsTable: async () => {}, log });

    const res = await handler(event('GET /health'));

    expect(res.statusCode).toBe(200);
    expect(res.headers?.['cache-control']).toBe('no-store');
    expect(body(res)).toMatchObject({ status: 'ok', checks: { database: { status: 'ok', latencyMs: expect.any(Number) } } });
    expect(log.entries).toEqual([]);
  }, 120_000);

  it('answers 503 without details when the database refuses, and logs why', async () => {
    const down: Database = {
      query: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 10.20.2.15:5432'), { code: 'ECONNREFUSED' });
      },
    };
    const log = recordingLogger();
    const handler = createApiHandler({ db: down, queue: recordingQueue(), ensureJobsTable: async () => {}, log });

    const res = await handler(event('GET /health'));

    expect(res.statusCode).toBe(503);
    expect(body(res)).toEqual({ status: 'unavailable', checks: { database: { status: 'unreachable' } } });
    expect(res.body).not.toContain('ECONNREFUSED');
    expect(log.entries).toEqual([
      {
        level: 'error',
        message: 'health: database check failed',
        data: { name: 'Error', message: 'connect ECONNREFUSED 10.20.2.15:5432', code: 'ECONNREFUSED' },
      },
    ]);
  });

  it('answers 503 when the database does not answer in time (e.g. during a failover)', async () => {
    const hanging: Database = { query: () => new Promise(() => {}) };
    const log = recordingLogger();
    const handler = createApiHandler({ db: hanging, queue: recordingQueue(), ensureJobsTable: async () => {}, log, healthTimeoutMs: 30 });

    const res = await handler(event('GET /health'));

    expect(res.statusCode).toBe(503);
    expect(log.entries[0]?.data).toMatchObject({ name: 'TimeoutError' });
  });
});

describe.each(testDatabaseKinds())('jobs routes (%s database)', (kind) => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: ApiDependencies & { queue: ReturnType<typeof recordingQueue>; log: ReturnType<typeof recordingLogger> };

  // Each test starts without the jobs table, as a fresh stack does.
  beforeAll(async () => {
    db = await database(kind);
  }, 120_000);
  beforeEach(async () => {
    await db.query('DROP TABLE IF EXISTS jobs');
    deps = { db, queue: recordingQueue(), ensureJobsTable: createJobsTableGuard(db), log: recordingLogger(), newId: () => JOB_ID, now: () => NOW };
  });

  it('POST /jobs records the job as queued, enqueues it and answers 202 with its id', async () => {
    const handler = createApiHandler(deps);

    const res = await handler(event('POST /jobs', { body: JSON.stringify({ kind: 'echo', payload: { hello: 'world' } }) }));

    expect(res.statusCode).toBe(202);
    expect(body(res)).toEqual({ id: JOB_ID, status: 'queued' });
    expect(res.headers?.location).toBe(`/jobs/${JOB_ID}`);
    expect(deps.queue.sent.map((m) => JSON.parse(m) as unknown)).toEqual([
      { id: JOB_ID, kind: 'echo', payload: { hello: 'world' }, enqueuedAt: NOW.toISOString() },
    ]);
    const { rows } = await db.query('SELECT status, attempts, payload FROM jobs WHERE id = $1', [JOB_ID]);
    expect(rows).toEqual([{ status: 'queued', attempts: 0, payload: { hello: 'world' } }]);

    const got = await handler(event('GET /jobs/{id}', { pathParameters: { id: JOB_ID } }));
    expect(got.statusCode).toBe(200);
    expect(body(got)).toMatchObject({ id: JOB_ID, kind: 'echo', status: 'queued', attempts: 0, result: null, error: null, enqueuedAt: NOW.toISOString() });
  });

  it('accepts a base64-encoded body', async () => {
    const res = await createApiHandler(deps)(event('POST /jobs', { isBase64Encoded: true, body: Buffer.from('{"kind":"echo"}').toString('base64') }));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(deps.queue.sent[0]!)).toMatchObject({ payload: {} });
  });

  it('refuses bad input with 400 / 413 / 422 and writes nothing', async () => {
    const handler = createApiHandler(deps);

    expect((await handler(event('POST /jobs', { body: '{not json' }))).statusCode).toBe(400);
    const unknownKind = await handler(event('POST /jobs', { body: JSON.stringify({ kind: 'rm-rf', payload: {} }) }));
    expect(unknownKind.statusCode).toBe(422);
    expect(body(unknownKind)).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { kind: [expect.any(String)] } } });
    const huge = await handler(event('POST /jobs', { body: JSON.stringify({ kind: 'echo', payload: { blob: 'x'.repeat(MAX_BODY_BYTES) } }) }));
    expect(huge.statusCode).toBe(413);

    expect(deps.queue.sent).toEqual([]);
    await deps.ensureJobsTable();
    expect((await db.query('SELECT count(*)::int AS n FROM jobs')).rows).toEqual([{ n: 0 }]);
  });

  it('removes the queued row and answers 503 when SQS refuses the message', async () => {
    deps.queue = recordingQueue(new SqsError('AccessDenied', 'not authorized', 403));
    const res = await createApiHandler(deps)(event('POST /jobs', { body: JSON.stringify({ kind: 'echo' }) }));

    expect(res.statusCode).toBe(503);
    expect(body(res)).toEqual({ error: { code: 'QUEUE_UNAVAILABLE', message: 'The job could not be queued; try again.' } });
    expect((await db.query('SELECT count(*)::int AS n FROM jobs')).rows).toEqual([{ n: 0 }]);
    expect(deps.log.entries.find((e) => e.level === 'error')?.data).toMatchObject({ jobId: JOB_ID, code: 'AccessDenied' });
  });

  it('GET /jobs/{id} answers 400 for a non-UUID and 404 for an unknown job', async () => {
    const handler = createApiHandler(deps);
    expect((await handler(event('GET /jobs/{id}', { pathParameters: { id: 'abc' } }))).statusCode).toBe(400);
    expect((await handler(event('GET /jobs/{id}', { pathParameters: { id: JOB_ID } }))).statusCode).toBe(404);
  });
});

describe('routing and failures', () => {
  it('answers 404 for an unknown route and a generic 500 (logged) when the database fails mid-request', async () => {
    const broken: Database = {
      query: async () => {
        throw new Error('terminating connection due to administrator command');
      },
    };
    const log = recordingLogger();
    const handler = createApiHandler({ db: broken, queue: recordingQueue(), ensureJobsTable: async () => {}, log });

    expect((await handler(event('DELETE /jobs'))).statusCode).toBe(404);
    const res = await handler(event('GET /jobs/{id}', { pathParameters: { id: JOB_ID } }));
    expect(res.statusCode).toBe(500);
    expect(body(res)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error.' } });
    expect(log.entries).toEqual([
      {
        level: 'error',
        message: 'request failed',
        data: { routeKey: 'GET /jobs/{id}', requestId: 'req-1', name: 'Error', message: 'terminating connection due to administrator command' },
      },
    ]);
  });
});
