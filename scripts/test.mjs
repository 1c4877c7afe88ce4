#!/usr/bin/env node
// `npm test`: every check the project has, in the order that fails fastest, then one summary line.
//   typecheck · lint (eslint) · format (prettier) · unused code (knip) · migrations match the schema ·
//   unit and integration tests (embedded database and PostgreSQL) · production build · page-weight budget · Playwright e2e
//   in Chromium · secret scan of what e2e left · single sign-on e2e against a local OpenID Connect provider ·
//   the same build in aws mode against moto (e2e/aws), when moto is installed
// The last line is the total over all suites: `N passed, N failed` (CI reads it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './chromium.mjs';
import { MOTO_MISSING, motoPython, startMoto } from './moto.mjs';
import { ensurePostgres } from './postgres.mjs';
import { playwrightFailures, vitestFailures } from './test-report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.test-results');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const results = [];
const started = Date.now();
// The names of failed tests, printed under the summary: CI shows only the end of the output.
const failures = [];

function step(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${seconds} s`);
  return r.status === 0;
}

function check(name, cmd, args, env) {
  const ok = step(name, cmd, args, env);
  results.push({ suite: name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
  return ok;
}

const node = process.execPath;
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);

// A client generated from an older schema (a pull without `npm install`) would fail typecheck for nothing.
step('prisma client is current', node, [path.join(root, 'scripts', 'prisma-generate.mjs'), '--if-stale']);
check('typecheck', node, [bin('typescript', 'bin/tsc'), '--noEmit']);
check('lint', node, [bin('eslint', 'bin/eslint.js'), '.', '--max-warnings', '0']);
check('format', node, [bin('prettier', 'bin/prettier.cjs'), '--check', '.']);
check('unused code (knip)', node, [bin('knip', 'bin/knip.js')]);
check('migrations match schema', node, [path.join(root, 'scripts', 'db-migration.mjs'), '--check']);

// The serverless stack's template and the IAM roles Gatehouse ships (infra/): errors and warnings
// both fail. cfn-lint is a Python tool that CI machines may lack; infra/template.test.ts and
// infra/account-role.test.ts still check their rules without it.
if (spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0) {
  check('cfn-lint', 'cfn-lint', ['infra/template.yaml']);
  for (const env of ['dev', 'staging', 'prod'])
    check(`cfn-lint (${env}.json)`, 'cfn-lint', ['--parameter-files', `infra/parameters/${env}.json`, '--', 'infra/template.yaml']);
  check('cfn-lint (IAM roles)', 'cfn-lint', ['infra/account-role.yaml', 'infra/cost-role.yaml', 'infra/portal-role.yaml']);
} else console.log('\n=== cfn-lint: skipped: cfn-lint not installed (pip install cfn-lint)');

// Unit and integration tests; repository tests also run on PostgreSQL when one can be had.
const pgEnv = {};
const postgres = ensurePostgres();
if (postgres.url) pgEnv.TEST_POSTGRES_URL = postgres.url;
else console.log(`\n!!! ${postgres.skipped}\n!!! Repository tests run on the embedded database only.`);
const vitestJson = path.join(out, 'vitest.json');
const vitestOk = step(
  'unit and integration tests',
  node,
  [bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  pgEnv,
);
if (fs.existsSync(vitestJson)) {
  const v = JSON.parse(fs.readFileSync(vitestJson, 'utf8'));
  failures.push(...vitestFailures(v, 'vitest', root));
  // Vitest exits 1 on an unhandled error even when every test passed: that counts as a failure.
  results.push({
    suite: 'vitest',
    passed: v.numPassedTests,
    failed: v.numFailedTests + ((v.success && vitestOk) || v.numFailedTests ? 0 : 1),
    skipped: v.numPendingTests + v.numTodoTests,
  });
} else results.push({ suite: 'vitest', passed: 0, failed: 1, skipped: 0 });

// The AWS adapters end to end against an AWS-compatible endpoint (moto), as `npm run test:aws` does.
const moto = await startMoto();
if (moto.url) {
  const awsJson = path.join(out, 'vitest-aws.json');
  step(
    'AWS adapters against moto',
    node,
    [bin('vitest', 'vitest.mjs'), 'run', '--config', 'vitest.aws.config.mts', '--reporter=default', '--reporter=json', `--outputFile.json=${awsJson}`],
    {
      AWS_ENDPOINT_URL: moto.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'moto-test-only',
      AWS_SECRET_ACCESS_KEY: 'moto-test-only',
    },
  );
  moto.stop();
  if (fs.existsSync(awsJson)) {
    const v = JSON.parse(fs.readFileSync(awsJson, 'utf8'));
    failures.push(...vitestFailures(v, 'aws adapters', root));
    results.push({
      suite: 'aws adapters (moto)',
      passed: v.numPassedTests,
      failed: v.numFailedTests + (v.success || v.numFailedTests ? 0 : 1),
      skipped: v.numPendingTests + v.numTodoTests,
    });
  } else results.push({ suite: 'aws adapters (moto)', passed: 0, failed: 1, skipped: 0 });
} else console.log(`\n!!! ${moto.skipped}`);

// End to end: a production build served by `next start`, driven in Debian's Chromium.
const chromium = ensureChromium();
if (chromium.skipped) {
  console.log(`\n!!! ${chromium.skipped}`);
  results.push({ suite: 'e2e (no browser)', passed: 0, failed: 1, skipped: 0 });
} else if (check('production build', node, [bin('next', 'dist/bin/next'), 'build'])) {
  // The page-weight budget (docs/decisions/052-page-weight-budget.md): first-load JavaScript per route.
  check('page weight (first-load JS budget)', node, [path.join(root, 'scripts', 'route-sizes.mjs'), '--budget']);
  const pwJson = path.join(out, 'playwright.json');
  step('e2e (Playwright, Chromium)', node, [bin('@playwright/test', 'cli.js'), 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson, CHROMIUM_PATH: chromium.path });
  if (fs.existsSync(pwJson)) {
    const report = JSON.parse(fs.readFileSync(pwJson, 'utf8'));
    failures.push(...playwrightFailures(report, 'e2e'));
    const s = report.stats;
    results.push({
      suite: 'e2e',
      passed: s.expected + s.flaky,
      failed: s.unexpected + (s.expected + s.unexpected + s.flaky === 0 ? 1 : 0),
      skipped: s.skipped,
    });
  } else results.push({ suite: 'e2e', passed: 0, failed: 1, skipped: 0 });
  // No secret value or credential in what the e2e run left: the server's log, the responses the
  // secret-scan spec saved, and the embedded database (dumped table by table).
  const e2eCheckpointKey = path.join(root, '.data', 'e2e', 'audit-checkpoint-key');
  check('secret scan (e2e log, responses, database)', node, [
    path.join(root, 'scripts', 'secret-scan.mjs'),
    '--pglite',
    path.join(root, '.data', 'e2e', 'pglite'),
    '--literal',
    'e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    // The Slack app's signing secret and bot token of the e2e server (e2e/serve.mjs, docs/decisions/047).
    '--literal',
    'e2e-only-slack-signing-secret-0123456789',
    '--literal',
    'xoxb-e2e-only',
    // The audit checkpoints' signing key must never reach the database or a log (docs/decisions/030).
    ...(fs.existsSync(e2eCheckpointKey) ? ['--literal', fs.readFileSync(e2eCheckpointKey, 'utf8').trim()] : []),
    path.join(out, 'e2e-server.log'),
    path.join(out, 'e2e-responses'),
  ]);

  // Single sign-on end to end: the same build with GATEHOUSE_AUTH=oidc against a real OpenID Connect
  // provider the suite starts on a local port (e2e/sso/idp.ts, oidc-provider).
  const ssoJson = path.join(out, 'playwright-sso.json');
  step('e2e single sign-on (Playwright, oidc-provider)', node, [bin('@playwright/test', 'cli.js'), 'test', '--config', 'playwright.sso.config.ts'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: ssoJson,
    CHROMIUM_PATH: chromium.path,
  });
  if (fs.existsSync(ssoJson)) {
    const report = JSON.parse(fs.readFileSync(ssoJson, 'utf8'));
    failures.push(...playwrightFailures(report, 'e2e sso'));
    const s = report.stats;
    results.push({
      suite: 'e2e single sign-on',
      passed: s.expected + s.flaky,
      failed: s.unexpected + (s.expected + s.unexpected + s.flaky === 0 ? 1 : 0),
      skipped: s.skipped,
    });
  } else results.push({ suite: 'e2e single sign-on', passed: 0, failed: 1, skipped: 0 });
  // Neither the portal's client secret at the provider nor the session key reached the log or the database.
  check('secret scan (sso e2e log, database)', node, [
    path.join(root, 'scripts', 'secret-scan.mjs'),
    '--pglite',
    path.join(root, '.data', 'e2e-sso', 'pglite'),
    '--literal',
    'e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    '--literal',
    'e2e-only-oidc-client-secret-0123456789',
    path.join(out, 'e2e-sso-server.log'),
  ]);

  // The same build with GATEHOUSE_CLOUD=aws against moto (e2e/serve-aws.ts starts it behind a
  // counting proxy): access, team roles, registration, reconcile, alarms, costs, a deployment.
  if (motoPython()) {
    const awsJson = path.join(out, 'playwright-aws.json');
    step('e2e aws mode (Playwright, moto)', node, [bin('@playwright/test', 'cli.js'), 'test', '--config', 'playwright.aws.config.ts'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: awsJson,
      CHROMIUM_PATH: chromium.path,
    });
    if (fs.existsSync(awsJson)) {
      const report = JSON.parse(fs.readFileSync(awsJson, 'utf8'));
      failures.push(...playwrightFailures(report, 'e2e aws'));
      const s = report.stats;
      results.push({
        suite: 'e2e aws mode (moto)',
        passed: s.expected + s.flaky,
        failed: s.unexpected + (s.expected + s.unexpected + s.flaky === 0 ? 1 : 0),
        skipped: s.skipped,
      });
    } else results.push({ suite: 'e2e aws mode (moto)', passed: 0, failed: 1, skipped: 0 });
    // The ledger secret's value (PROD_SECRET_VALUE in e2e/aws/emulator.ts) was only ever in moto.
    check('secret scan (aws e2e log, database)', node, [
      path.join(root, 'scripts', 'secret-scan.mjs'),
      '--pglite',
      path.join(root, '.data', 'e2e-aws', 'pglite'),
      '--literal',
      'e2e-only-ledger-value-never-shown',
      '--literal',
      'e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      '--literal',
      'e2e-aws-only-checkpoint-key-0123456789abcdef',
      path.join(out, 'e2e-aws-server.log'),
    ]);
  } else console.log(`\n!!! ${MOTO_MISSING}: the e2e suite in aws mode (e2e/aws) is skipped`);
}

console.log('\nSuite                          passed  failed  skipped');
for (const r of results)
  console.log(`${r.suite.padEnd(30)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}`);
const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  ${f.slice(0, 400)}`).join('\n')}\n`);
console.log(`npm test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed === 0 ? 0 : 1);
