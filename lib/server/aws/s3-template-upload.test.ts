import { createHash } from 'node:crypto';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { createS3ArtifactStore, createS3TemplateUploader } from '@/lib/server/aws/s3-template-upload';

const BODY = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n';
const SHA = createHash('sha256').update(BODY).digest('hex');
const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
const now = () => new Date('2026-11-29T10:00:00Z');
// The signer's hash, as the composition root passes it: an SDK client's own.
const sha256 = new CloudFormationClient({ region: 'us-east-1' }).config.sha256;

function fakeFetch(status = 200, text = '') {
  return vi.fn(async (_url: URL | RequestInfo, _init?: RequestInit) => new Response(text, { status }));
}

describe('createS3TemplateUploader', () => {
  it('PUTs the template under its sha256 with a SigV4 signature for s3 and returns the URL', async () => {
    const fetch = fakeFetch();
    const upload = createS3TemplateUploader({ bucket: 'gatehouse-templates', region: 'eu-central-1', credentials, sha256, fetch, now });
    const url = await upload(BODY);
    expect(url).toBe(`https://gatehouse-templates.s3.eu-central-1.amazonaws.com/gatehouse/templates/${SHA}.yaml`);
    const [target, init] = fetch.mock.calls[0]!;
    expect(String(target)).toBe(url);
    expect(init?.method).toBe('PUT');
    expect(init?.body).toBe(BODY);
    const headers = init?.headers as Record<string, string>;
    expect(headers['x-amz-content-sha256']).toBe(SHA);
    expect(headers['x-amz-date']).toBe('20261129T100000Z');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261129\/eu-central-1\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('uses path-style URLs on a custom endpoint (LocalStack, moto)', async () => {
    const fetch = fakeFetch();
    const url = await createS3TemplateUploader({ bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:5000/', credentials, sha256, fetch, now })(BODY);
    expect(url).toBe(`http://127.0.0.1:5000/b/gatehouse/templates/${SHA}.yaml`);
  });

  it('maps S3 refusals to clear errors', async () => {
    const denied = createS3TemplateUploader({
      bucket: 'b',
      region: 'us-east-1',
      credentials,
      sha256,
      fetch: fakeFetch(403, '<Error><Code>AccessDenied</Code></Error>'),
      now,
    });
    await expect(denied(BODY)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('s3:PutObject') });
    const slow = createS3TemplateUploader({
      bucket: 'b',
      region: 'us-east-1',
      credentials,
      sha256,
      fetch: fakeFetch(503, '<Error><Code>SlowDown</Code></Error>'),
      now,
    });
    await expect(slow(BODY)).rejects.toBeInstanceOf(AppError);
    await expect(slow(BODY)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('createS3ArtifactStore', () => {
  const ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
  const ZIP_SHA = createHash('sha256').update(ZIP).digest('hex');
  const KEY = `gatehouse/artifacts/api/${ZIP_SHA}.zip`;

  it('PUTs the zip at its content-hash key with exactly its bytes and their signed SHA-256', async () => {
    const fetch = fakeFetch();
    const store = createS3ArtifactStore({ bucket: 'gatehouse-deploy-dev', region: 'eu-central-1', credentials, sha256, fetch, now });
    expect(store.location).toBe('s3://gatehouse-deploy-dev');
    await store.put(KEY, ZIP, ZIP_SHA);
    expect(fetch).toHaveBeenCalledTimes(1);
    const [target, init] = fetch.mock.calls[0]!;
    expect(String(target)).toBe(`https://gatehouse-deploy-dev.s3.eu-central-1.amazonaws.com/${KEY}`);
    expect(init?.method).toBe('PUT');
    const sent = Buffer.from(init?.body as Uint8Array);
    expect(sent.equals(ZIP)).toBe(true);
    expect(createHash('sha256').update(sent).digest('hex')).toBe(ZIP_SHA);
    const headers = init?.headers as Record<string, string>;
    expect(headers['x-amz-content-sha256']).toBe(ZIP_SHA);
    expect(headers['content-type']).toBe('application/zip');
    expect(headers.authorization).toMatch(/SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  });

  it('refuses a body that is not the hash it is stored under, before sending anything', async () => {
    const fetch = fakeFetch();
    const store = createS3ArtifactStore({ bucket: 'b', region: 'us-east-1', credentials, sha256, fetch, now });
    await expect(store.put(KEY, Buffer.from('other bytes'), ZIP_SHA)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('asks S3 whether a zip is there with a signed HEAD: 200 yes, 404 no, 403 a refusal naming the permissions', async () => {
    const ok = fakeFetch(200);
    expect(await createS3ArtifactStore({ bucket: 'b', region: 'us-east-1', credentials, sha256, fetch: ok, now }).has(KEY)).toBe(true);
    const [target, init] = ok.mock.calls[0]!;
    expect(String(target)).toBe(`https://b.s3.us-east-1.amazonaws.com/${KEY}`);
    expect(init?.method).toBe('HEAD');
    expect(init?.body).toBeUndefined();
    expect((init?.headers as Record<string, string>).authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261129\/us-east-1\/s3\/aws4_request/);
    expect(await createS3ArtifactStore({ bucket: 'b', region: 'us-east-1', credentials, sha256, fetch: fakeFetch(404), now }).has(KEY)).toBe(false);
    await expect(createS3ArtifactStore({ bucket: 'b', region: 'us-east-1', credentials, sha256, fetch: fakeFetch(403), now }).has(KEY)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('s3:GetObject and s3:ListBucket'),
    });
  });

  it('names the deployment bucket when S3 denies the upload', async () => {
    const store = createS3ArtifactStore({
      bucket: 'b',
      region: 'us-east-1',
      credentials,
      sha256,
      fetch: fakeFetch(403, '<Error><Code>AccessDenied</Code></Error>'),
      now,
    });
    await expect(store.put(KEY, ZIP, ZIP_SHA)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining(`s3://b/${KEY}`) });
  });
});
