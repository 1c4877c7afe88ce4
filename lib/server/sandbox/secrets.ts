import 'server-only';
import type { SecretsPort } from '@/lib/grants/ports';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

interface StoredSecret {
  arn: string;
  kmsKeyId: string | null;
  tags: Record<string, string>;
  createdAt: string;
}

/** Secrets Manager of the sandbox: metadata only (the sandbox, like the portal, never holds a value). */
export function createSandboxSecrets(store: SandboxStore, now: () => Date = () => new Date()): SecretsPort & {
  ensureSecret(name: string, arn: string, tags: Record<string, string>): Promise<void>;
  listSecrets(): Promise<({ name: string } & StoredSecret)[]>;
} {
  return {
    async describeSecret(name) {
      const s = await store.get<StoredSecret>('secretsmanager', 'secret', name);
      return s ? { arn: s.arn, kmsKeyId: s.kmsKeyId } : null;
    },
    async ensureSecret(name, arn, tags) {
      await store.createIfAbsent('secretsmanager', 'secret', name, { arn, kmsKeyId: null, tags, createdAt: now().toISOString() });
    },
    async listSecrets() {
      return (await store.list<StoredSecret>('secretsmanager', 'secret')).map((s) => ({ name: s.key, ...s.data }));
    },
  };
}
