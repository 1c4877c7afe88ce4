import { describe, expect, it, vi } from 'vitest';
import { createRdsAuthToken } from './rds-auth-token';
import { credentialsFromEnv } from './sigv4';
import { createSqsSender, SqsError } from './sqs';

// Reference values computed with botocore 1.43 (generate_db_auth_token, SigV4Auth) for the same
// credentials, time and request: the signatures must match byte for byte.
const credentials = async () => ({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/token+=',
});
const AT = new Date('2026-11-29T12:00:00Z');
const PROXY = 'serverless-dev-proxy.proxy-cabc123.eu-central-1.rds.amazonaws.com';
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/serverless-dev-jobs';

describe('createRdsAuthToken', () => {
  it('presigns rds-db:connect for the proxy endpoint and user, as AWS SDKs do', async () => {
    const token = await createRdsAuthToken({ hostname: PROXY, port: 5432, username: 'gatehouse', region: 'eu-central-1', credentials, now: AT });

    expect(token.startsWith(`${PROXY}:5432/?`)).toBe(true);
    expect(token).not.toMatch(/^https?:/);
    const query = Object.fromEntries(new URLSearchParams(token.slice(token.indexOf('?') + 1)));
    expect(query).toEqual({
      Action: 'connect',
      DBUser: 'gatehouse',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261129/eu-central-1/rds-db/aws4_request',
      'X-Amz-Date': '20261129T120000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Security-Token': 'IQoJb3JpZ2luX2VjEXAMPLE/token+=',
      'X-Amz-Signature': 'd8e3363c283b17ad898e726d97c8243d1d0fb8307b257b22bb8c68a4440a6d65',
    });
  });

  it('signs a different token for another user', async () => {
    const a = await createRdsAuthToken({ hostname: PROXY, port: 5432, username: 'gatehouse', region: 'eu-central-1', credentials, now: AT });
    const b = await createRdsAuthToken({ hostname: PROXY, port: 5432, username: 'admin', region: 'eu-central-1', credentials, now: AT });
    expect(new URLSearchParams(b.split('?')[1]).get('X-Amz-Signature')).not.toBe(new URLSearchParams(a.split('?')[1]).get('X-Amz-Signature'));
  });
});

describe('credentialsFromEnv', () => {
  it('reads the execution role session Lambda provides', () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S', AWS_SESSION_TOKEN: 'T' })).toEqual({
      accessKeyId: 'A',
      secretAccessKey: 'S',
      sessionToken: 'T',
    });
    expect(() => credentialsFromEnv({})).toThrow(/AWS_ACCESS_KEY_ID/);
  });
});

describe('createSqsSender', () => {
  function fakeFetch(status: number, body: string) {
    return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(body, { status }));
  }

  it('POSTs SendMessage in the JSON protocol with a SigV4 signature botocore agrees with', async () => {
    const fetch = fakeFetch(200, '{"MessageId":"5fea7756-0ea4-451a-a703-a558b933e274","MD5OfMessageBody":"x"}');
    const queue = createSqsSender({
      queueUrl: QUEUE_URL,
      region: 'eu-central-1',
      credentials,
      fetch: fetch as unknown as typeof globalThis.fetch,
      now: () => AT,
    });

    expect(await queue.send('{"id":"j-1"}')).toBe('5fea7756-0ea4-451a-a703-a558b933e274');

    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://sqs.eu-central-1.amazonaws.com/');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"QueueUrl":"https://sqs.eu-central-1.amazonaws.com/123456789012/serverless-dev-jobs","MessageBody":"{\\"id\\":\\"j-1\\"}"}');
    const headers = init?.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(headers['x-amz-security-token']).toBe('IQoJb3JpZ2luX2VjEXAMPLE/token+=');
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/eu-central-1/sqs/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, ' +
        'Signature=93e5aa805d4f9886fa35d6de4554e38ab4b2a8a3a1011ddab4e9204a87c6cc30',
    );
  });

  it('turns an SQS error answer into an SqsError with its code', async () => {
    const fetch = fakeFetch(400, '{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}');
    const queue = createSqsSender({ queueUrl: QUEUE_URL, region: 'eu-central-1', credentials, fetch: fetch as unknown as typeof globalThis.fetch });

    const error = await queue.send('{}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqsError);
    expect(error).toMatchObject({ code: 'QueueDoesNotExist', status: 400 });
  });

  it('reports a non-JSON failure (a proxy error page) by its status', async () => {
    const fetch = fakeFetch(502, '<html>bad gateway</html>');
    const queue = createSqsSender({ queueUrl: QUEUE_URL, region: 'eu-central-1', credentials, fetch: fetch as unknown as typeof globalThis.fetch });
    await expect(queue.send('{}')).rejects.toMatchObject({ code: 'HTTP502' });
  });

  it('refuses a queue URL that is not https', () => {
    expect(() => createSqsSender({ queueUrl: 'http://sqs.local/1/q', region: 'eu-central-1', credentials })).toThrow(/https/);
  });
});
