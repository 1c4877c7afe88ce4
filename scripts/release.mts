/**
 * `npm run release`: builds the serverless stack's functions with infra/build.mjs, uploads the
 * zips to every account's deployment bucket (aws mode) or simulated store (sandbox), keyed by
 * content hash, and records the release in the portal's database (docs/decisions/042-releases.md).
 * The same artifacts are one release: building an unchanged commit again records nothing new.
 *
 *   npm run release                     build infra/functions into infra/dist and record it
 *   npm run release -- --dir <build>    record a build made elsewhere (node infra/build.mjs --out <build>,
 *                                       its commit noted beside it by scripts/release-source.mjs)
 *
 * Reads the portal's configuration (.env, then the environment). With the embedded database, run it
 * while the portal is stopped: PGlite has one owner at a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** `--dir <build>`: the build to record instead of building infra/functions now. */
function parseArgs(argv: readonly string[]): { dir: string | null } {
  if (argv.length === 0) return { dir: null };
  if (argv.length === 2 && argv[0] === '--dir' && argv[1]) return { dir: path.resolve(argv[1]) };
  throw new Error(`usage: npm run release [-- --dir <build>] (got: ${argv.join(' ')})`);
}

async function main(): Promise<void> {
  const { dir } = parseArgs(process.argv.slice(2));
  const e = env();
  if (!dir) {
    await buildAll({ out: BUILD_DIR });
    noteBuildSource(BUILD_DIR);
  }
  if (e.GATEHOUSE_AUTO_MIGRATE) await migrate(getDb());
  const builtBy = e.GATEHOUSE_RELEASE_BY ?? os.userInfo().username;
  const { release, created } = await recordBuiltRelease(
    { dir: dir ?? BUILD_DIR, builtBy, builtAt: new Date(), actor: SYSTEM_ACTOR },
    { releases: createReleaseStore(), artifactStores: releaseArtifactStores(cloudAccounts()) },
  );
  console.info(
    `${created ? 'recorded' : 'already recorded'} release ${release.id} (commit ${release.gitCommit.slice(0, 12)}${release.gitDirty ? ', dirty tree' : ''})`,
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
