import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheWebhookUrl, readWebhookUrl, WebhookConfigError } from './webhook';

const client = new SecretsManagerClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const sm = mockClient(client);
const SECRET = 'serverless-prod/slack-webhook';
const URL_ = 'https://hooks.slack.com/services/T0000/B0000/s3cr3tT0k3n';

beforeEach(() => sm.reset());

describe('readWebhookUrl', () => {
  it('reads {"url": …} from the secret with exactly one GetSecretValue', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ url: URL_ }) });

    expect(await readWebhookUrl(client, SECRET)).toBe(URL_);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET });
  });

  it('accepts the bare URL as the secret value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: `${URL_}\n` });
    expect(await readWebhookUrl(client, SECRET)).toBe(URL_);
  });

  it.each([
    ['the placeholder the stack creates', '{"url":""}', /holds no webhook URL yet/],
    ['broken JSON', '{"url": ', /is not JSON/],
    ['a URL elsewhere than Slack', '{"url":"https://evil.example/hook"}', /not a Slack incoming webhook/],
    ['plain http', '{"url":"http://hooks.slack.com/services/x"}', /not a Slack incoming webhook/],
  ])('refuses %s, never echoing the value', async (_what, value, message) => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: value });
    const error = await readWebhookUrl(client, SECRET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('evil.example');
  });

  it('lets Secrets Manager errors through', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    await expect(readWebhookUrl(client, SECRET)).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('cacheWebhookUrl', () => {
  it('reads once per instance, but tries again after a failure', async () => {
    const read = vi.fn<() => Promise<string>>().mockRejectedValueOnce(new Error('throttled')).mockResolvedValue(URL_);
    const get = cacheWebhookUrl(read);

    await expect(get()).rejects.toThrow('throttled');
    expect(await get()).toBe(URL_);
    expect(await get()).toBe(URL_);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
