import 'server-only';
import { STSClient } from '@aws-sdk/client-sts';
import type { AccountRoute } from '@/lib/cloud/accounts';
import { createAssumedRoleCredentials, replicaSessionName, stsAssumeRole, type RoleCredentials } from '@/lib/server/aws/assume-role';
import { env } from '@/lib/server/env';
import { singleton } from '@/lib/server/singleton';

/** Settings every AWS SDK v3 client of the portal is built with. */
export interface AwsClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: 'adaptive';
  endpoint?: string;
  /** The SDK's HTTP handler options: each attempt is abandoned (and retried) after the timeout. */
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: true };
  /** An assumed role's credentials (another account); unset: the SDK's default provider chain. */
  credentials?: () => Promise<RoleCredentials>;
}

/**
 * Region, retries and endpoint for an SDK client. Credentials come from the SDK's default provider
 * chain; AWS_ENDPOINT_URL (real AWS, LocalStack, moto) applies to every client, and the SDK itself
 * also honours AWS_ENDPOINT_URL_<SERVICE> for one service. Adaptive retry backs off with jitter on
 * throttling. Every attempt has a timeout (AWS_REQUEST_TIMEOUT_MS): without it the SDK waits for a
 * 5-minute idle socket, longer than a grant's lease (docs/decisions/022-scale-out-and-faults.md).
 */
export function awsClientConfig(): AwsClientConfig {
  const e = env();
  return {
    region: e.AWS_REGION,
    maxAttempts: e.AWS_MAX_ATTEMPTS,
    retryMode: 'adaptive',
    requestHandler: { requestTimeout: e.AWS_REQUEST_TIMEOUT_MS, connectionTimeout: Math.min(e.AWS_REQUEST_TIMEOUT_MS, 5_000), throwOnRequestTimeout: true },
    ...(e.AWS_ENDPOINT_URL ? { endpoint: e.AWS_ENDPOINT_URL } : {}),
  };
}

/**
 * Builds one client of a kind per process, shared by every server bundle (one SDK instance:
 * docs/decisions/025-one-aws-sdk-instance.md); `create` receives the shared configuration.
 */
export function awsClient<T>(name: string, create: (config: AwsClientConfig) => T): T {
  const clients = singleton('aws.clients', () => new Map<string, unknown>());
  let client = clients.get(name) as T | undefined;
  if (!client) {
    client = create(awsClientConfig());
    clients.set(name, client);
  }
  return client;
}

/**
 * A client of `name` that acts in one account (docs/decisions/039): in its primary region, with the
 * credentials of the role assumed there (one cached credential set per account and process), or the
 * portal's own when the account names no role.
 */
export function awsClientIn<T>(route: AccountRoute, name: string, create: (config: AwsClientConfig) => T): T {
  return awsClient(`${route.key}:${name}`, (config) =>
    create({ ...config, region: route.primaryRegion, ...(route.roleArn ? { credentials: roleCredentials(route.roleArn, route.externalId ?? '') } : {}) }),
  );
}

function roleCredentials(roleArn: string, externalId: string): () => Promise<RoleCredentials> {
  const providers = singleton('aws.role-credentials', () => new Map<string, () => Promise<RoleCredentials>>());
  const key = `${roleArn} ${externalId}`;
  let provider = providers.get(key);
  if (!provider) {
    provider = createAssumedRoleCredentials({
      roleArn,
      externalId,
      sessionName: replicaSessionName(),
      // The portal's own credentials assume the role: they need nothing but sts:AssumeRole on it.
      assume: stsAssumeRole(awsClient('sts', (config) => new STSClient(config))),
    });
    providers.set(key, provider);
  }
  return provider;
}
