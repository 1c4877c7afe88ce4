import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Slack incoming webhooks live on these hosts; anything else in the secret is a mistake. */
const WEBHOOK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/** Why the webhook URL is unusable; the message never contains the URL (it is a credential). */
export class WebhookConfigError extends Error {
  override name = 'WebhookConfigError';
}

/** Reads the webhook URL from the secret: JSON {"url": "..."} or the bare URL. */
export async function readWebhookUrl(client: SecretsManagerClient, secretId: string): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = out.SecretString?.trim() ?? '';
  let url = value;
  if (value.startsWith('{')) {
    try {
      const parsed = JSON.parse(value) as { url?: unknown };
      url = typeof parsed.url === 'string' ? parsed.url.trim() : '';
    } catch {
      throw new WebhookConfigError(`secret ${secretId} is not JSON of the form {"url": "https://hooks.slack.com/..."}`);
    }
  }
  if (!url) throw new WebhookConfigError(`secret ${secretId} holds no webhook URL yet (see infra/README.md)`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookConfigError(`secret ${secretId} does not hold a URL`);
  }
  if (parsed.protocol !== 'https:' || !WEBHOOK_HOSTS.has(parsed.hostname)) {
    throw new WebhookConfigError(`secret ${secretId} holds a URL that is not a Slack incoming webhook (https://hooks.slack.com/...)`);
  }
  return url;
}

/**
 * Reads the URL once per function instance (cold start) and keeps it; a failed read is not kept,
 * so a secret filled in after the failure is picked up by the next invocation.
 */
export function cacheWebhookUrl(read: () => Promise<string>): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= read().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
