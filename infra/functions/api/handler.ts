import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { withTimeout, type Database } from '../shared/database';
import { jobRequestSchema, type JobMessage, type JobStatus } from '../shared/jobs-schema';
import { describeError, type Logger } from '../shared/logger';
import type { JobQueue } from '../shared/sqs';

export interface ApiDependencies {
  db: Database;
  queue: JobQueue;
  /** Creates the jobs table once per instance. */
  ensureJobsTable: () => Promise<void>;
  log: Logger;
  newId?: () => string;
  now?: () => Date;
  /** How long /health waits for the database before answering 503. */
  healthTimeoutMs?: number;
}

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** SQS takes 256 KiB per message; the envelope needs some of it. */
export const MAX_BODY_BYTES = 200 * 1024;

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

function problem(statusCode: number, code: string, message: string, details?: unknown): APIGatewayProxyStructuredResultV2 {
  return json(statusCode, { error: { code, message, ...(details === undefined ? {} : { details }) } });
}

interface JobRow extends Record<string, unknown> {
  id: string;
  kind: string;
  status: JobStatus;
  attempts: number;
  result: unknown;
  error: string | null;
  enqueued_at: Date;
  updated_at: Date;
}

/** The API function: GET /health, POST /jobs, GET /jobs/{id} (routes as API Gateway names them). */
export function createApiHandler(deps: ApiDependencies): ApiHandler {
  const newId = deps.newId ?? randomUUID;
  const now = deps.now ?? (() => new Date());

  async function health(): Promise<APIGatewayProxyStructuredResultV2> {
    const started = Date.now();
    try {
      await withTimeout(deps.db.query('SELECT 1 AS ok'), deps.healthTimeoutMs ?? 3000, 'database check');
      return json(200, { status: 'ok', checks: { database: { status: 'ok', latencyMs: Date.now() - started } } });
    } catch (error) {
      // The reason goes to the log, not to an unauthenticated caller.
      deps.log.error('health: database check failed', describeError(error));
      return json(503, { status: 'unavailable', checks: { database: { status: 'unreachable' } } });
    }
  }

  async function enqueue(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) return problem(413, 'PAYLOAD_TOO_LARGE', `A job is at most ${MAX_BODY_BYTES} bytes.`);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return problem(400, 'BAD_REQUEST', 'The body must be JSON: {"kind": …, "payload": {…}}.');
    }
    const parsed = jobRequestSchema.safeParse(body);
    if (!parsed.success) return problem(422, 'VALIDATION_FAILED', 'The job is not valid.', z.flattenError(parsed.error).fieldErrors);

    const message: JobMessage = { id: newId(), kind: parsed.data.kind, payload: parsed.data.payload, enqueuedAt: now().toISOString() };
    await deps.ensureJobsTable();
    await deps.db.query(`INSERT INTO jobs (id, kind, payload, status, enqueued_at) VALUES ($1, $2, $3, 'queued', $4)`, [
      message.id,
      message.kind,
      JSON.stringify(message.payload),
      message.enqueuedAt,
    ]);
    try {
      const messageId = await deps.queue.send(JSON.stringify(message));
      deps.log.info('job enqueued', { jobId: message.id, kind: message.kind, messageId });
    } catch (error) {
      // Without a message the row would stay queued forever: remove it, the caller retries.
      deps.log.error('enqueue failed', { jobId: message.id, ...describeError(error) });
      await deps.db.query('DELETE FROM jobs WHERE id = $1 AND status = $2', [message.id, 'queued']);
      return problem(503, 'QUEUE_UNAVAILABLE', 'The job could not be queued; try again.');
    }
    return json(202, { id: message.id, status: 'queued' }, { location: `/jobs/${message.id}` });
  }

  async function getJob(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const id = z.uuid().safeParse(event.pathParameters?.id);
    if (!id.success) return problem(400, 'BAD_REQUEST', 'A job id is a UUID.');
    await deps.ensureJobsTable();
    const { rows } = await deps.db.query<JobRow>('SELECT id, kind, status, attempts, result, error, enqueued_at, updated_at FROM jobs WHERE id = $1', [
      id.data,
    ]);
    const row = rows[0];
    if (!row) return problem(404, 'NOT_FOUND', 'No such job.');
    return json(200, {
      id: row.id,
      kind: row.kind,
      status: row.status,
      attempts: row.attempts,
      result: row.result ?? null,
      error: row.error,
      enqueuedAt: new Date(row.enqueued_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    });
  }

  return async (event) => {
    try {
      switch (event.routeKey) {
        case 'GET /health':
          return await health();
        case 'POST /jobs':
          return await enqueue(event);
        case 'GET /jobs/{id}':
          return await getJob(event);
        default:
          return problem(404, 'NOT_FOUND', 'No such route.');
      }
    } catch (error) {
      deps.log.error('request failed', { routeKey: event.routeKey, requestId: event.requestContext?.requestId, ...describeError(error) });
      return problem(500, 'INTERNAL', 'Internal error.');
    }
  };
}
