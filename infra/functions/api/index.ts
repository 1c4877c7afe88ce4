// Lambda entry point: wires the API handler to the RDS Proxy and the jobs queue from the function's
// environment (set by infra/template.yaml). Runs once per instance (cold start).
import { createProxyPool } from '../shared/database';
import { readFunctionEnv } from '../shared/env';
import { createJobsTableGuard } from '../shared/jobs-schema';
import { consoleLogger, describeError } from '../shared/logger';
import { credentialsFromEnv } from '../shared/sigv4';
import { createSqsSender } from '../shared/sqs';
import { createApiHandler } from './handler';

const env = readFunctionEnv(process.env, ['JOBS_QUEUE_URL', 'DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER']);
const credentials = async () => credentialsFromEnv(process.env);
const db = createProxyPool(
  { host: env.DB_HOST, port: Number(env.DB_PORT), database: env.DB_NAME, user: env.DB_USER, region: env.AWS_REGION, credentials },
  (error) => consoleLogger.warn('idle database connection dropped', describeError(error)),
);

export const handler = createApiHandler({
  db,
  queue: createSqsSender({ queueUrl: env.JOBS_QUEUE_URL, region: env.AWS_REGION, credentials }),
  ensureJobsTable: createJobsTableGuard(db),
  log: consoleLogger,
});
