// Lambda entry point: the webhook URL comes from Secrets Manager (read at cold start, cached), the
// egress proxy (if any) from the template.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFunctionEnv } from '../shared/env';
import { consoleLogger } from '../shared/logger';
import { createNotifierHandler } from './handler';
import { postJson } from './post-json';
import { cacheWebhookUrl, readWebhookUrl } from './webhook';

const env = readFunctionEnv(process.env, ['SLACK_WEBHOOK_SECRET_ID']);
const secrets = new SecretsManagerClient({ region: env.AWS_REGION });
const proxyUrl = process.env.EGRESS_PROXY_URL || undefined;

export const handler = createNotifierHandler({
  webhookUrl: cacheWebhookUrl(() => readWebhookUrl(secrets, env.SLACK_WEBHOOK_SECRET_ID)),
  post: (url, message) => postJson(url, message, { proxyUrl }),
  region: env.AWS_REGION,
  log: consoleLogger,
});
