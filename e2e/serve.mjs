// Starts the production build for the e2e suite on a fresh embedded database. With E2E_OIDC_ISSUER
// (the single sign-on suite, playwright.sso.config.ts), it signs in through that identity provider
// only, in its own data directory and log.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gitSource, noteBuildSource } from '../scripts/release-source.mjs';

const port = process.argv[2] ?? '3210';
const sso = process.env.E2E_OIDC_ISSUER;
const dataDir = path.resolve(sso ? '.data/e2e-sso' : '.data/e2e');
fs.rmSync(dataDir, { recursive: true, force: true });

const serverEnv = {
  ...process.env,
  NODE_ENV: 'production',
  GATEHOUSE_DATA_DIR: dataDir,
  ...(sso
    ? {
        GATEHOUSE_AUTH: 'oidc',
        GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'false',
        // The demo teams, so that team-* groups name teams the portal knows.
        GATEHOUSE_SEED: 'true',
        OIDC_ISSUER: sso,
        OIDC_NAME: process.env.E2E_OIDC_NAME,
        OIDC_CLIENT_ID: process.env.E2E_OIDC_CLIENT_ID,
        OIDC_CLIENT_SECRET: process.env.E2E_OIDC_CLIENT_SECRET,
        OIDC_ROLE_MAP: process.env.E2E_OIDC_ROLE_MAP,
        OIDC_TEAM_PREFIX: 'team-',
      }
    : { GATEHOUSE_AUTH: 'local', GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'true' }),
  GATEHOUSE_CLOUD: 'sandbox',
  // Grants that end during a test are removed within two seconds of their end.
  GATEHOUSE_GRANT_JOB_SECONDS: '2',
  // A sandbox deployment walks through its events in 6 s instead of 30.
  GATEHOUSE_SANDBOX_DEPLOY_SECONDS: '6',
  // A simulated traffic shift's minute lasts a second (prod's 10-minute canary: 10 s at 10 %).
  GATEHOUSE_SANDBOX_SHIFT_SECONDS_PER_MINUTE: '1',
  GATEHOUSE_SEED_RELEASE: 'true',
  NEXTAUTH_URL: `http://127.0.0.1:${port}`,
  NEXTAUTH_SECRET: 'e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  // Slack interactivity (e2e/slack.spec.ts plays Slack on port 3193). No SLACK_WEBHOOK_URL: the
  // other specs read notifications from this server's log.
  SLACK_SIGNING_SECRET: 'e2e-only-slack-signing-secret-0123456789',
  SLACK_BOT_TOKEN: 'xoxb-e2e-only',
  SLACK_API_URL: 'http://127.0.0.1:3193/api',
};

/**
 * An earlier release, recorded before the server starts, so that the deployments spec walks a real
 * release A -> release B (docs/decisions/042-releases.md): a copy of infra/functions in which one
 * message of the code every function bundles reads as it once did, built with infra/build.mjs
 * --functions and recorded with `npm run release -- --dir`. Its zips differ because its code does;
 * its source notes the commit as dirty, since the code is not the commit's. The current build,
 * recorded at startup, is newer, so plans deploy it by default.
 */
function recordEarlierRelease() {
  const dir = path.resolve('.data/e2e-earlier-release');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync('infra/functions', path.join(dir, 'functions'), { recursive: true });
  const file = path.join(dir, 'functions', 'shared', 'env.ts');
  const current = fs.readFileSync(file, 'utf8');
  const earlier = current.replace('missing environment variables: ', 'these environment variables are not set: ');
  if (earlier === current) throw new Error(`[serve] ${file} no longer has the message the earlier release changes: update e2e/serve.mjs`);
  fs.writeFileSync(file, earlier);
  const build = spawnSync(process.execPath, ['infra/build.mjs', '--functions', path.join(dir, 'functions'), '--out', path.join(dir, 'dist')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  noteBuildSource(path.join(dir, 'dist'), { gitCommit: gitSource().gitCommit, gitDirty: true });
  const release = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/release.mts', '--dir', path.join(dir, 'dist')], {
    stdio: 'inherit',
    env: { ...serverEnv, GATEHOUSE_RELEASE_BY: 'e2e/serve.mjs (an earlier release)' },
  });
  if (release.status !== 0) process.exit(release.status ?? 1);
}

// The stack's functions, recorded as a release at startup (as npm start does), so plans deploy real
// bundles (docs/decisions/042-releases.md). The single sign-on suite deploys nothing: one is enough there.
const infra = spawnSync(process.execPath, ['infra/build.mjs'], { stdio: 'inherit' });
if (infra.status !== 0) process.exit(infra.status ?? 1);
noteBuildSource('infra/dist');
if (!sso) recordEarlierRelease();

// The server's output is also kept for the secret scan that runs after the suite (scripts/test.mjs).
fs.mkdirSync('.test-results', { recursive: true });
const log = fs.createWriteStream(sso ? '.test-results/e2e-sso-server.log' : '.test-results/e2e-server.log');
const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', '127.0.0.1'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: serverEnv,
});
child.stdout.on('data', (d) => (process.stdout.write(d), log.write(d)));
child.stderr.on('data', (d) => (process.stderr.write(d), log.write(d)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => log.end(() => process.exit(code ?? 0)));
