import 'server-only';
import { createHash } from 'node:crypto';
import type { ArtifactStore } from '@/lib/deployments/ports';
import { AppError } from '@/lib/errors';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

/** A zip as the simulated account's bucket holds it. */
export interface SandboxArtifact {
  sha256: string;
  bytes: number;
  /** The zip, base64. */
  body: string;
}

/**
 * The sandbox's deployment bucket (docs/decisions/042-releases.md): a release's zips are kept in the
 * simulated account's store under their content-hash keys, so the local demo deploys real bundles.
 */
export function createSandboxArtifactStore(store: SandboxStore): ArtifactStore {
  return {
    location: `sandbox:${store.accountId}`,
    bucket: null,
    async put(key, body, sha256) {
      const actual = createHash('sha256').update(body).digest('hex');
      if (actual !== sha256) throw new AppError('UNPROCESSABLE', `${key}: the body's sha256 is ${actual}, not ${sha256}.`);
      const artifact: SandboxArtifact = { sha256, bytes: body.byteLength, body: Buffer.from(body).toString('base64') };
      await store.createIfAbsent('s3', 'artifact', key, { ...artifact });
    },
    async has(key) {
      return (await store.get('s3', 'artifact', key)) !== null;
    },
  };
}

/** The zip stored at `key` in the simulated account, or null. */
export async function readSandboxArtifact(store: SandboxStore, key: string): Promise<SandboxArtifact | null> {
  return store.get<SandboxArtifact>('s3', 'artifact', key);
}
