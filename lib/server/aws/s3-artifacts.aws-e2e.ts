/**
 * Opt-in check of a release's upload against an S3 emulator (moto, LocalStack): `npm run test:aws`
 * with AWS_ENDPOINT_URL. The zip lands at its content-hash key, byte for byte
 * (docs/decisions/042-releases.md). Emulator only: it makes its own bucket.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { artifactKey } from '@/lib/deployments/releases';
import { awsClientConfig } from '@/lib/server/aws/clients';
import { createS3ArtifactStore } from '@/lib/server/aws/s3-template-upload';

// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL } = process.env;
if (!AWS_ENDPOINT_URL) console.info('skipped: set AWS_ENDPOINT_URL (LocalStack, moto)');

describe.skipIf(!AWS_ENDPOINT_URL)('release artifacts in S3 (emulator)', () => {
  it('puts each zip at gatehouse/artifacts/<function>/<sha256>.zip with exactly its bytes', async () => {
    const config = awsClientConfig();
    const client = new CloudFormationClient(config);
    // moto serves path-style URLs only on the host "localhost".
    const endpoint = config.endpoint!.replace('//127.0.0.1', '//localhost');
    const bucket = `gatehouse-artifacts-${randomBytes(4).toString('hex')}`;
    expect((await fetch(`${endpoint}/${bucket}`, { method: 'PUT' })).ok).toBe(true);
    const store = createS3ArtifactStore({
      bucket,
      region: config.region,
      endpoint,
      credentials: () => client.config.credentials(),
      sha256: client.config.sha256,
    });

    const zip = randomBytes(300_000);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    const key = artifactKey('worker', sha256);
    await store.put(key, zip, sha256);
    await store.put(key, zip, sha256); // the same key again: idempotent
    expect(await store.has(key)).toBe(true);
    expect(await store.has(artifactKey('worker', 'f'.repeat(64)))).toBe(false);

    // Read it back as the account itself (a signed GetObject): S3 refuses anonymous reads.
    const url = new URL(`${endpoint}/${bucket}/${key}`);
    const signer = new SignatureV4({
      service: 's3',
      region: config.region,
      credentials: () => client.config.credentials(),
      sha256: client.config.sha256,
      uriEscapePath: false,
    });
    const signed = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
    const res = await fetch(url, { headers });
    expect(res.status).toBe(200);
    const stored = Buffer.from(await res.arrayBuffer());
    expect(stored.length).toBe(zip.length);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(sha256);
  });
});
