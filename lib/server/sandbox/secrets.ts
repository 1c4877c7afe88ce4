import 'server-only';
import { randomInt } from 'node:crypto';
import { AppError } from '@/lib/errors';
import type { SecretsPort } from '@/lib/grants/ports';
import { CREATED_BY_TAG } from '@/lib/server/aws/secrets';
import type { JsonValue, SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

interface StoredSecret {
  arn: string;
  kmsKeyId: string | null;
  tags: Record<string, string>;
  createdAt: string;
  description?: string;
  /** When a value was last set (the sandbox never holds the value itself). */
  valueSetAt?: string;
  /** How long that value was (all the sandbox keeps of it). */
  valueLength?: number;
}

const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Every random initial value the sandbox makes starts with this marker (then 26 letters and digits:
 * 40 characters, like GetRandomPassword without punctuation). scripts/secret-scan.mjs looks for it
 * in server logs, responses and database dumps: finding one means a secret value leaked.
 */
export const SANDBOX_VALUE_MARKER = 'GHSANDBOXVALUE';

/** A random initial value, as GetRandomPassword would return it. */
export function sandboxRandomValue(): string {
  return SANDBOX_VALUE_MARKER + Array.from({ length: 40 - SANDBOX_VALUE_MARKER.length }, () => SUFFIX[randomInt(SUFFIX.length)]).join('');
}

/** Secrets Manager of one sandbox account (`store.accountId`): metadata only (the sandbox, like the portal, never holds a value). */
export function createSandboxSecrets(
  store: SandboxStore,
  now: () => Date = () => new Date(),
  region = 'us-east-1',
): SecretsPort & {
  ensureSecret(name: string, arn: string, tags: Record<string, string>): Promise<void>;
  listSecrets(): Promise<({ name: string } & StoredSecret)[]>;
} {
  return {
    async describeSecret(name) {
      const s = await store.get<StoredSecret>('secretsmanager', 'secret', name);
      return s ? { arn: s.arn, kmsKeyId: s.kmsKeyId } : null;
    },
    async createSecret(spec) {
      // Like CreateSecret after GetRandomPassword: a random initial value exists (here, for this
      // call only); the sandbox records only that it was set and its length, then forgets it.
      const initialValue = sandboxRandomValue();
      const suffix = Array.from({ length: 6 }, () => SUFFIX[randomInt(SUFFIX.length)]).join('');
      const stamp = now().toISOString();
      const wanted: StoredSecret = {
        arn: `arn:aws:secretsmanager:${region}:${store.accountId}:secret:${spec.name}-${suffix}`,
        kmsKeyId: null,
        tags: { ...spec.tags, [CREATED_BY_TAG]: spec.idempotencyKey },
        createdAt: stamp,
        description: spec.description,
        valueSetAt: stamp,
        valueLength: initialValue.length,
      };
      const stored = (await store.createIfAbsent('secretsmanager', 'secret', spec.name, wanted as unknown as JsonValue)) as unknown as StoredSecret;
      if (stored.tags[CREATED_BY_TAG] !== spec.idempotencyKey) {
        throw new AppError(
          'CONFLICT',
          `A secret named ${spec.name} already exists in AWS and was not created by this request; the security team must resolve it`,
        );
      }
      return { arn: stored.arn, kmsKeyId: stored.kmsKeyId };
    },
    async ensureSecret(name, arn, tags) {
      await store.createIfAbsent('secretsmanager', 'secret', name, { arn, kmsKeyId: null, tags, createdAt: now().toISOString() });
    },
    async listSecrets() {
      return (await store.list<StoredSecret>('secretsmanager', 'secret')).map((s) => ({ name: s.key, ...s.data }));
    },
  };
}
