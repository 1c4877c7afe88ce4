// Lambda entry point: wires the worker to the RDS Proxy from the function's environment.
import { createProxyPool } from '../shared/database';
import { readFunctionEnv } from '../shared/env';
import { createJobsTableGuard } from '../shared/jobs-schema';
import { consoleLogger, describeError } from '../shared/logger';
import { credentialsFromEnv } from '../shared/sigv4';
import { createWorkerHandler, JOB_RUNNERS } from './handler';

const env = readFunctionEnv(process.env, ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER']);
const db = createProxyPool(
  {
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    database: env.DB_NAME,
    user: env.DB_USER,
    region: env.AWS_REGION,
    credentials: async () => credentialsFromEnv(process.env),
  },
  (error) => consoleLogger.warn('idle database connection dropped', describeError(error)),
);

export const handler = createWorkerHandler({ db, ensureJobsTable: createJobsTableGuard(db), runners: JOB_RUNNERS, log: consoleLogger });
