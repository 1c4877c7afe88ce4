import 'server-only';
import { createHash } from 'node:crypto';
import { CreateSecretCommand, DescribeSecretCommand, GetRandomPasswordCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AppError } from '@/lib/errors';
import type { SecretsPort } from '@/lib/grants/ports';
import { toAppError } from '@/lib/server/aws/errors';

/** The tag that says which grant created a secret (a retry recognises its own secret by it). */
export const CREATED_BY_TAG = 'gatehouse:grant';

/** Secrets Manager wants a 32–64 character token; a UUID-shaped digest of the key is stable across retries. */
function requestToken(key: string): string {
  const h = createHash('sha256').update(`gatehouse:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The Secrets Manager adapter. The portal never reads a secret's value: it sends DescribeSecret,
 * and for a registration GetRandomPassword + CreateSecret, passing AWS's random string straight
 * back as the initial value without keeping, logging or returning it (its test fails on any
 * value-reading command).
 */
export function createAwsSecrets(client: SecretsManagerClient): SecretsPort {
  async function describe(name: string) {
    try {
      const out = await client.send(new DescribeSecretCommand({ SecretId: name }));
      if (!out.ARN) throw new Error('DescribeSecret returned no ARN');
      return out;
    } catch (e) {
      if ((e as { name?: unknown } | null)?.name === 'ResourceNotFoundException') return null;
      throw toAppError(e, 'Secrets Manager DescribeSecret');
    }
  }
  return {
    async describeSecret(name) {
      const out = await describe(name);
      // No KmsKeyId means the account's default key, aws/secretsmanager.
      return out ? { arn: out.ARN!, kmsKeyId: out.KmsKeyId ?? null } : null;
    },

    async createSecret(spec) {
      const Tags = [...Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })), { Key: CREATED_BY_TAG, Value: spec.idempotencyKey }];
      try {
        const random = await client.send(new GetRandomPasswordCommand({ PasswordLength: 40, ExcludePunctuation: true }));
        if (!random.RandomPassword) throw new Error('GetRandomPassword returned nothing');
        const out = await client.send(
          new CreateSecretCommand({
            Name: spec.name,
            Description: spec.description,
            SecretString: random.RandomPassword,
            Tags,
            ClientRequestToken: requestToken(spec.idempotencyKey),
          }),
        );
        if (!out.ARN) throw new Error('CreateSecret returned no ARN');
        const created = await describe(spec.name);
        return { arn: out.ARN, kmsKeyId: created?.KmsKeyId ?? null };
      } catch (e) {
        if ((e as { name?: unknown } | null)?.name !== 'ResourceExistsException') throw toAppError(e, 'Secrets Manager CreateSecret');
      }
      // It exists: ours from an earlier attempt, or somebody else's.
      const existing = await describe(spec.name);
      if (!existing) throw new AppError('UNAVAILABLE', `Secrets Manager CreateSecret: ${spec.name} exists but cannot be described; retried later`);
      const createdBy = existing.Tags?.find((t) => t.Key === CREATED_BY_TAG)?.Value;
      if (createdBy !== spec.idempotencyKey) {
        throw new AppError(
          'CONFLICT',
          `A secret named ${spec.name} already exists in AWS and was not created by this request; the security team must resolve it`,
        );
      }
      return { arn: existing.ARN!, kmsKeyId: existing.KmsKeyId ?? null };
    },
  };
}
