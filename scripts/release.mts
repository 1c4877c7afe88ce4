/**
 * `npm run release`: builds the serverless stack's functions with infra/build.mjs, uploads the
 * zips to every account's deployment bucket (aws mode) or simulated store (sandbox), keyed by
 * content hash, and records the release in the portal's database (docs/decisions/042-releases.md).
 * The same artifacts are one release: building an unchanged commit again records nothing new.
 *
 *   npm run release
 *
 * Reads the portal's configuration (.env, then the environment). With the embedded database, run it
 * while the portal is stopped: PGlite has one owner at a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import { buildAll } from '../infra/build.mjs';
import { SYSTEM_ACTOR } from '../lib/audit/model';
import { shortHash } from '../lib/deployments/releases';
import { isAppError } from '../lib/errors';
import { cloudAccounts } from '../lib/server/cloud/adapters';
import { closeDb, getDb } from '../lib/server/db/connection';
import { migrate } from '../lib/server/db/migrate';
import { createReleaseStore } from '../lib/server/db/repositories/releases';
import { BUILD_DIR, recordBuiltRelease, releaseArtifactStores } from '../lib/server/deployments/releases';
import { env } from '../lib/server/env';
import { noteBuildSource } from './release-source.mjs';

async function main(): Promise<void> {
  const e = env();
  await buildAll({ out: BUILD_DIR });
  const source = noteBuildSource(BUILD_DIR);
  if (e.GATEHOUSE_AUTO_MIGRATE) await migrate(getDb());
  const builtBy = e.GATEHOUSE_RELEASE_BY ?? os.userInfo().username;
  const { release, created } = await recordBuiltRelease(
    { builtBy, builtAt: new Date(), actor: SYSTEM_ACTOR },
    { releases: createReleaseStore(), artifactStores: releaseArtifactStores(cloudAccounts()) },
  );
  console.info(
    `${created ? 'recorded' : 'already recorded'} release ${release.id} (commit ${release.gitCommit.slice(0, 12)}${source.gitDirty ? ', dirty tree' : ''})`,
  );
  for (const f of release.functions) console.info(`  ${f.name.padEnd(9)} ${String(f.bytes).padStart(8)} bytes  ${shortHash(f.sha256)}  ${f.key}`);
}

// Like Next.js, the configuration may come from .env; the environment wins.
if (fs.existsSync('.env')) process.loadEnvFile('.env');
main()
  .catch((error: unknown) => {
    console.error(isAppError(error) ? `release failed: ${error.message}` : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
