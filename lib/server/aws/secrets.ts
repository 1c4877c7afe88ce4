import 'server-only';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretsPort } from '@/lib/grants/ports';
import { toAppError } from '@/lib/server/aws/errors';

/**
 * The Secrets Manager adapter: metadata only. The portal never reads a secret's value, so this
 * module sends DescribeSecret and nothing else (its test fails on any value-reading command).
 */
export function createAwsSecrets(client: SecretsManagerClient): SecretsPort {
  return {
    async describeSecret(name) {
      try {
        const out = await client.send(new DescribeSecretCommand({ SecretId: name }));
        if (!out.ARN) throw new Error('DescribeSecret returned no ARN');
        // No KmsKeyId means the account's default key, aws/secretsmanager.
        return { arn: out.ARN, kmsKeyId: out.KmsKeyId ?? null };
      } catch (e) {
        if ((e as { name?: unknown } | null)?.name === 'ResourceNotFoundException') return null;
        throw toAppError(e, 'Secrets Manager DescribeSecret');
      }
    },
  };
}
