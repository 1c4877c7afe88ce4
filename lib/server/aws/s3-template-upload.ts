import 'server-only';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, ChecksumConstructor, HashConstructor } from '@smithy/types';
import type { ArtifactStore } from '@/lib/deployments/ports';
import { AppError } from '@/lib/errors';

export interface S3TemplateUploadOptions {
  bucket: string;
  region: string;
  /** AWS_ENDPOINT_URL (LocalStack, moto): path-style URLs on it instead of <bucket>.s3.<region>.amazonaws.com. */
  endpoint?: string;
  credentials: () => Promise<AwsCredentialIdentity>;
  /** The SHA-256 the signer uses: an SDK client's own (`client.config.sha256`). */
  sha256: ChecksumConstructor | HashConstructor;
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
}

/** One SigV4-signed S3 PutObject: `key`, the body and its SHA-256 (hex), and its content type; returns the object's URL. */
type S3PutObject = (key: string, body: string | Uint8Array, sha256: string, contentType: string) => Promise<string>;

/** SHA-256 of an empty body: what a signed HEAD carries. */
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * S3 requests without @aws-sdk/client-s3, which the portal does not depend on
 * (docs/decisions/020-deployment-adapters.md): the signer is the one inside every AWS SDK client.
 * The body's SHA-256 is signed (x-amz-content-sha256), so S3 refuses a body that is not the one hashed.
 */
function createS3Client(options: S3TemplateUploadOptions) {
  const signer = new SignatureV4({ service: 's3', region: options.region, credentials: options.credentials, sha256: options.sha256, uriEscapePath: false });
  const doFetch = options.fetch ?? fetch;
  const urlOf = (key: string) =>
    options.endpoint
      ? new URL(`${options.endpoint.replace(/\/+$/, '')}/${options.bucket}/${key}`)
      : new URL(`https://${options.bucket}.s3.${options.region}.amazonaws.com/${key}`);

  async function send(method: 'PUT' | 'HEAD', key: string, body: string | Uint8Array | undefined, sha256: string, contentType?: string): Promise<Response> {
    const url = urlOf(key);
    const signed = await signer.sign(
      {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        headers: { host: url.host, ...(contentType ? { 'content-type': contentType } : {}), 'x-amz-content-sha256': sha256 },
        body,
      },
      { signingDate: options.now?.() ?? new Date() },
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
    try {
      return await doFetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new AppError(
        'UNAVAILABLE',
        `S3 ${method === 'PUT' ? 'PutObject' : 'HeadObject'} s3://${options.bucket}/${key} failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  async function refusal(response: Response, where: string, permission: string): Promise<AppError> {
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
    if (response.status === 503 || code === 'SlowDown') return new AppError('RATE_LIMITED', `${where} was throttled; try again`, { awsError: code });
    if (response.status === 403)
      return new AppError('FORBIDDEN', `${where} was denied (${code}): the portal's AWS identity needs ${permission} on the deployment bucket`, {
        awsError: code,
      });
    return new AppError('UNAVAILABLE', `${where} failed: ${code}`, { awsError: code });
  }

  const put: S3PutObject = async (key, body, sha256, contentType) => {
    const response = await send('PUT', key, body, sha256, contentType);
    if (!response.ok) throw await refusal(response, `S3 PutObject s3://${options.bucket}/${key}`, 's3:PutObject');
    return urlOf(key).toString();
  };
  /** HeadObject: whether the object is there (404: not; 403 without s3:ListBucket is a refusal, named). */
  const head = async (key: string): Promise<boolean> => {
    const response = await send('HEAD', key, undefined, EMPTY_SHA256);
    if (response.ok) return true;
    if (response.status === 404) return false;
    throw await refusal(response, `S3 HeadObject s3://${options.bucket}/${key}`, 's3:GetObject and s3:ListBucket');
  };
  return { put, head };
}

/**
 * Uploads a CloudFormation template to S3 with one PutObject and returns the URL to pass as
 * TemplateURL. The key is the template's sha256 (gatehouse/templates/<sha256>.yaml), so an upload
 * is idempotent and a URL always names exactly one template.
 */
export function createS3TemplateUploader(options: S3TemplateUploadOptions): (body: string) => Promise<string> {
  const { put } = createS3Client(options);
  return (body) => {
    const sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
    return put(`gatehouse/templates/${sha256}.yaml`, body, sha256, 'application/x-yaml');
  };
}

/**
 * A release's artifact store in an account's deployment bucket (docs/decisions/042-releases.md):
 * each zip is PUT at its content-hash key with its SHA-256 signed, so S3 stores exactly those bytes.
 */
export function createS3ArtifactStore(options: S3TemplateUploadOptions): ArtifactStore {
  const { put, head } = createS3Client(options);
  return {
    location: `s3://${options.bucket}`,
    bucket: options.bucket,
    async put(key, body, sha256) {
      const actual = createHash('sha256').update(body).digest('hex');
      if (actual !== sha256) throw new AppError('UNPROCESSABLE', `${key}: the body's sha256 is ${actual}, not ${sha256}.`);
      await put(key, body, sha256, 'application/zip');
    },
    has: head,
  };
}
