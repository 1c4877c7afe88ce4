import 'server-only';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditActor } from '@/lib/audit/model';
import type { ArtifactStore, ReleaseStore } from '@/lib/deployments/ports';
import { recordRelease, type BuiltArtifact, type ReleaseRecord } from '@/lib/deployments/releases';
import { AppError } from '@/lib/errors';
import type { CloudAdapters } from '@/lib/server/cloud/adapters';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { INFRA_DIR } from '@/lib/server/deployments/template-source';

/** Where `npm run infra:build` (and so `npm run release` and `npm start`) leaves the build. */
export const BUILD_DIR = path.join(INFRA_DIR, 'dist');

/** Where the commit a build came from is noted next to it (scripts/release-source.mjs writes it). */
const SOURCE_FILE = 'source.json';

/** The commit a build came from, as noted beside it; unknown when nobody noted it. */
export interface BuildSource {
  gitCommit: string;
  gitDirty: boolean;
}

/** The zips of a build in `dir` with what its manifest says about each: size and SHA-256. */
export async function readBuild(dir: string = BUILD_DIR): Promise<{ artifacts: BuiltArtifact[]; source: BuildSource }> {
  const text = await readFile(path.join(dir, 'manifest.json'), 'utf8').catch(() => null);
  if (text === null) throw new AppError('UNAVAILABLE', `There is no build in ${dir}: run npm run infra:build.`);
  const manifest = JSON.parse(text) as { functions?: Record<string, { zip: string; sha256: string; bytes: number }> };
  const artifacts = await Promise.all(
    Object.entries(manifest.functions ?? {}).map(async ([name, f]) => ({
      name,
      sha256: f.sha256,
      bytes: f.bytes,
      body: await readFile(path.join(dir, path.basename(f.zip))),
    })),
  );
  const noted = await readFile(path.join(dir, SOURCE_FILE), 'utf8').catch(() => null);
  const source = noted ? (JSON.parse(noted) as BuildSource) : { gitCommit: 'unknown', gitDirty: true };
  return { artifacts, source };
}

/**
 * Every place a release's zips go: each account's artifact store, once each. In aws mode an
 * account without a deployment bucket stops the release, naming it: its environments could not deploy it.
 */
export function releaseArtifactStores(accounts: readonly Pick<CloudAdapters, 'route' | 'artifacts'>[]): ArtifactStore[] {
  const stores = new Map<string, ArtifactStore>();
  for (const account of accounts) {
    const store = account.artifacts();
    if (!store) {
      const where = account.route.accountId ? `Account ${account.route.accountId}` : 'The portal’s own account';
      throw new AppError('UNAVAILABLE', `${where} has no deployment bucket: set GATEHOUSE_DEPLOY_TEMPLATE_BUCKET or the account's templateBucket.`);
    }
    if (!stores.has(store.location)) stores.set(store.location, store);
  }
  return [...stores.values()];
}

/** Records the build in `dir` as a release: uploads its zips to every store, then the row and its audit event. */
export async function recordBuiltRelease(
  options: { dir?: string; builtBy: string; builtAt: Date; actor: AuditActor },
  deps: { releases: ReleaseStore; artifactStores: readonly ArtifactStore[]; now?: () => Date },
): Promise<{ release: ReleaseRecord; created: boolean }> {
  const { artifacts, source } = await readBuild(options.dir);
  return recordRelease(
    { artifacts, gitCommit: source.gitCommit, gitDirty: source.gitDirty, builtAt: options.builtAt, builtBy: options.builtBy },
    { releases: deps.releases, artifactStores: deps.artifactStores, actor: options.actor, now: deps.now ?? (() => new Date()) },
  );
}

/** The recorded releases, newest built first (the releases API and the deployments page). */
export function listReleases(limit: number): Promise<ReleaseRecord[]> {
  return createReleaseStore().list(limit);
}

/** The releases the deployments page shows, and the moment they were read (their ages are as of it). */
export async function loadReleases(limit = 20): Promise<{ releases: ReleaseRecord[]; now: number }> {
  return { releases: await listReleases(limit), now: Date.now() };
}
