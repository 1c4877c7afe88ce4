// SigV4 signing for the two calls the functions make without an SDK client: the RDS IAM auth token
// and SQS SendMessage (docs/decisions/011-rds-proxy-and-concurrency.md explains why no SDK client).
// @smithy/signature-v4 is the signer inside every AWS SDK v3 client; it is bundled into the zip.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

/** Credentials as Lambda hands them to a function (the execution role's session). */
export type Credentials = AwsCredentialIdentity;

/** Reads the execution role's credentials Lambda puts in the environment; throws when absent. */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): Credentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set');
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined };
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) on node:crypto, in the shape the signer expects. */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }

  update(data: Uint8Array): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

/** A SigV4 signer for one service and region. */
export function createSigner(service: string, region: string, credentials: () => Promise<Credentials>): SignatureV4 {
  return new SignatureV4({ service, region, credentials, sha256: NodeSha256 });
}
