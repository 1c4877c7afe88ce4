import { createSigner, type Credentials } from './sigv4';

export interface RdsAuthTokenInput {
  hostname: string;
  port: number;
  username: string;
  region: string;
  credentials: () => Promise<Credentials>;
  /** Signing time; defaults to now. */
  now?: Date;
}

/** Tokens are valid for 15 minutes, only to open a connection; an open connection stays open. */
export const RDS_TOKEN_TTL_SECONDS = 900;

/**
 * An RDS IAM authentication token: a SigV4-presigned `connect` request to the endpoint, without
 * its scheme, used as the password (what @aws-sdk/rds-signer produces).
 */
export async function createRdsAuthToken(input: RdsAuthTokenInput): Promise<string> {
  const signer = createSigner('rds-db', input.region, input.credentials);
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: input.hostname,
      port: input.port,
      path: '/',
      query: { Action: 'connect', DBUser: input.username },
      headers: { host: `${input.hostname}:${input.port}` },
    },
    { expiresIn: RDS_TOKEN_TTL_SECONDS, signingDate: input.now ?? new Date() },
  );
  const query = Object.entries(presigned.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value.map((v) => [key, v] as const) : value == null ? [] : [[key, value] as const]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`)
    .join('&');
  return `${input.hostname}:${input.port}/?${query}`;
}

function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
