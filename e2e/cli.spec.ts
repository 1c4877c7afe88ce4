// The gatehouse CLI against the running portal: tokens are made on the token page (reached from the
// user menu), then each command runs as a child process, and its effects are checked through the API
// with a session, not through the CLI's own output (docs/decisions/045-api-tokens.md).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { E2E_BASE_URL } from './fixtures/constants';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npx gatehouse` would (its bin), with its own config file; GATEHOUSE_* of this process are not passed on. */
function gatehouse(args: string[], { config, env = {}, input }: { config: string; env?: Record<string, string>; input?: string }): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('GATEHOUSE_')) delete childEnv[key];
  Object.assign(childEnv, { GATEHOUSE_CONFIG: config }, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['cli/gatehouse.mjs', ...args], { env: childEnv, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

const json = <T>(run: Run): T => JSON.parse(run.stdout) as T;

/** Makes a token on the token page with exactly these scopes; returns the token shown once. */
async function createToken(page: Page, name: string, scopes: string[]): Promise<string> {
  const form = page.getByRole('form', { name: 'New API token' });
  await form.getByLabel('Name').fill(name);
  for (const scope of ['read', 'request', 'decide']) await form.getByRole('checkbox', { name: new RegExp(`^${scope}\\b`) }).setChecked(scopes.includes(scope));
  await form.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).toMatch(/^gth_[A-Za-z0-9_-]{43}$/);
  return token;
}

async function apiAs(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, userId: string) {
  const cookie = await sessionCookie(userId);
  return playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` } });
}

test('the CLI requests, decides and prints credentials with personal tokens made on the token page', async ({ page, loginAs, browser, playwright }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
  const minjiConfig = path.join(dir, 'minji', 'config.json');
  const seoyeonConfig = path.join(dir, 'seoyeon', 'config.json');
  const minjiApi = await apiAs(playwright, USERS.ENGINEER.id);
  const seoyeonApi = await apiAs(playwright, USERS.SECURITY.id);
  const detail = async (id: string) =>
    (await (await minjiApi.get(`/api/v1/requests/${id}`)).json()) as {
      request: { status: string; requesterId: string; durationMinutes: number; type: string; environment: string };
      decisions: { approver: { id: string }; kind: string; comment: string }[];
    };

  // Minji reaches the token page from the user menu and makes a read + request token (the default scopes).
  await loginAs('ENGINEER');
  await page.goto('/');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'API tokens' }).click();
  await expect(page).toHaveURL(/\/tokens$/);
  const minjiToken = await createToken(page, 'CLI e2e', ['read', 'request']);
  // Shown once: after a reload only its name and last four characters remain.
  await page.reload();
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  await expect(page.getByTestId('my-tokens')).toContainText(`…${minjiToken.slice(-4)}`);
  expect(await page.content()).not.toContain(minjiToken);

  // Seo-yeon (security) makes a read + decide token in her own browser.
  const seoyeonContext = await browser.newContext();
  await seoyeonContext.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  const seoyeonPage = await seoyeonContext.newPage();
  await seoyeonPage.goto('/tokens');
  const seoyeonToken = await createToken(seoyeonPage, 'approver', ['read', 'decide']);
  const seoyeon = { config: seoyeonConfig, env: { GATEHOUSE_URL: E2E_BASE_URL, GATEHOUSE_TOKEN: seoyeonToken } };

  // Not signed in yet: exit 2.
  const before = await gatehouse(['status'], { config: minjiConfig });
  expect(before.code).toBe(2);
  expect(before.stderr).toContain('Not signed in');

  // login: the URL as an option, the token at the prompt (piped); checked against /api/v1/me, stored 0600.
  const login = await gatehouse(['login', '--url', E2E_BASE_URL], { config: minjiConfig, input: `${minjiToken}\n` });
  expect(login.stderr).not.toContain(minjiToken);
  expect(login.code, login.stderr).toBe(0);
  expect(login.stdout).toContain('Signed in to');
  expect(login.stdout).toContain('Minji Kim');
  expect(fs.statSync(minjiConfig).mode & 0o777).toBe(0o600);
  expect(JSON.parse(fs.readFileSync(minjiConfig, 'utf8'))).toEqual({ url: E2E_BASE_URL, token: minjiToken });
  const bad = await gatehouse(['login', '--url', E2E_BASE_URL, '--token', `gth_${'A'.repeat(43)}`], { config: path.join(dir, 'bad.json') });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('unknown, expired or revoked');
  expect(fs.existsSync(path.join(dir, 'bad.json'))).toBe(false);

  const me = json<{ user: { id: string; token: { scopes: string[] } } }>(await gatehouse(['whoami', '--json'], { config: minjiConfig }));
  expect(me.user).toMatchObject({ id: USERS.ENGINEER.id, token: { scopes: ['read', 'request'] } });

  // request secret: by team/name in an environment; the request is real.
  const asMinji = (args: string[]) => gatehouse(args, { config: minjiConfig });
  const created = await asMinji([
    'request',
    'secret',
    'payments/stripe-api-key',
    '--env',
    'dev',
    '--for',
    '1h',
    '--reason',
    'CLI e2e: check the dev payout',
    '--json',
  ]);
  expect(created.code, created.stdout + created.stderr).toBe(0);
  const devId = json<{ request: { id: string } }>(created).request.id;
  expect((await detail(devId)).request).toMatchObject({
    status: 'PENDING',
    requesterId: USERS.ENGINEER.id,
    durationMinutes: 60,
    type: 'SECRET_READ',
    environment: 'DEV',
  });

  // Usage and refusals: exit codes 1 and 4, the server's message printed.
  expect((await asMinji(['request', 'secret', 'payments/stripe-api-key', '--env', 'dev', '--for', '2', '--reason', 'x'])).code).toBe(1);
  const missing = await asMinji(['request', 'secret', 'payments/nope', '--env', 'dev', '--for', '1h', '--reason', 'CLI e2e: no such secret']);
  expect(missing.code).toBe(4);
  expect(missing.stderr).toContain('No active secret "payments/nope" in dev');
  const short = await asMinji(['request', 'secret', 'payments/stripe-api-key', '--env', 'dev', '--for', '1h', '--reason', 'short']);
  expect(short.code).toBe(4);
  expect(short.stderr).toContain('at least 10 characters');

  // request role: a team with several roles needs --function.
  const several = await asMinji(['request', 'role', 'payments', '--env', 'dev', '--for', '1h', '--reason', 'CLI e2e: read the logs']);
  expect(several.code).toBe(1);
  expect(several.stderr).toContain('--function');
  const role = await asMinji([
    'request',
    'role',
    'payments',
    '--env',
    'dev',
    '--function',
    'read-only',
    '--for',
    '30m',
    '--reason',
    'CLI e2e: read the logs',
    '--json',
  ]);
  expect(role.code, role.stderr).toBe(0);
  expect((await detail(json<{ request: { id: string } }>(role).request.id)).request).toMatchObject({ type: 'ROLE', durationMinutes: 30 });

  // Minji's token has no decide scope: 3, and nothing is written.
  const noScope = await asMinji(['approve', devId]);
  expect(noScope.code).toBe(3);
  expect(noScope.stderr).toContain('do not allow request.decide');
  expect((await detail(devId)).decisions).toEqual([]);

  // Seo-yeon approves the dev request from her terminal: the same use case as the portal's.
  const approved = await gatehouse(['approve', devId, '--comment', 'Approved from the CLI', '--json'], seoyeon);
  expect(approved.code, approved.stdout).toBe(0);
  expect(json<{ status: string }>(approved).status).toBe('APPROVED');
  expect((await detail(devId)).decisions).toEqual([
    expect.objectContaining({ approver: expect.objectContaining({ id: USERS.SECURITY.id }), kind: 'APPROVE', comment: 'Approved from the CLI' }),
  ]);

  // status shows the grant once it is active; credentials prints the command that reads the secret.
  let grantId = '';
  await expect
    .poll(
      async () => {
        const s = json<{ grants: { id: string; requestId: string; status: string }[] }>(await asMinji(['status', '--json']));
        const grant = s.grants.find((g) => g.requestId === devId);
        grantId = grant?.id ?? '';
        return grant?.status;
      },
      { timeout: 20_000 },
    )
    .toBe('ACTIVE');
  const status = await asMinji(['status']);
  expect(status.stdout).toContain(grantId);
  expect(status.stdout).toContain('dev/payments/stripe-api-key');
  const creds = await asMinji(['credentials', grantId]);
  expect(creds.code, creds.stderr).toBe(0);
  expect(creds.stdout).toMatch(
    /aws secretsmanager get-secret-value --secret-id 'arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:dev\/payments\/stripe-api-key[^']*' --region [a-z0-9-]+/,
  );
  expect(json<{ commands: string[] }>(await asMinji(['credentials', devId, '--json'])).commands[0]).toContain('get-secret-value');
  expect((await asMinji(['credentials', 'no-such-grant'])).code).toBe(4);

  // A prod decision needs step-up: a token is refused (3) with the request's page, and nothing is written.
  const prod = await asMinji([
    'request',
    'secret',
    'payments/stripe-api-key',
    '--env',
    'prod',
    '--for',
    '1h',
    '--reason',
    'CLI e2e: prod refund check',
    '--json',
  ]);
  const prodId = json<{ request: { id: string } }>(prod).request.id;
  const prodApprove = await gatehouse(['approve', prodId], seoyeon);
  expect(prodApprove.code).toBe(3);
  expect(prodApprove.stderr).toContain(`${E2E_BASE_URL}/requests/${prodId}`);
  expect(await detail(prodId)).toMatchObject({ request: { status: 'PENDING' }, decisions: [] });

  // reject needs a comment; with one, the request is rejected.
  const other = json<{ request: { id: string } }>(
    await asMinji(['request', 'secret', 'payments/stripe-api-key', '--env', 'dev', '--for', '1h', '--reason', 'CLI e2e: to be rejected', '--json']),
  ).request.id;
  expect((await gatehouse(['reject', other], seoyeon)).code).toBe(1);
  const rejected = await gatehouse(['reject', other, '--comment', 'Not needed', '--json'], seoyeon);
  expect(rejected.code, rejected.stdout).toBe(0);
  expect((await detail(other)).request.status).toBe('REJECTED');

  // No self-approval through a token either (the portal's rule, from the same use case).
  const own = await seoyeonApi.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification: 'CLI e2e: her own request', durationMinutes: 60 },
  });
  const ownId = ((await own.json()) as { request: { id: string } }).request.id;
  const self = await gatehouse(['approve', ownId, '--json'], seoyeon);
  expect(self.code).toBe(3);
  expect(json<{ error: { code: string; message: string } }>(self).error.code).toBe('FORBIDDEN');

  // Creation and use are audited, under each token's id; the page shows the last use.
  const audit = async (action: string) =>
    ((await (await seoyeonApi.get(`/api/v1/audit?action=${action}&limit=100`)).json()) as { events: { actorId: string; targetId: string }[] }).events;
  const minjiTokenId = (await page.locator('[data-testid="my-tokens"] tr[data-token-id]').first().getAttribute('data-token-id'))!;
  expect(await audit('api_token.created')).toContainEqual(expect.objectContaining({ actorId: USERS.ENGINEER.id, targetId: minjiTokenId }));
  expect(await audit('api_token.used')).toContainEqual(expect.objectContaining({ actorId: USERS.ENGINEER.id, targetId: minjiTokenId }));
  await page.reload();
  await expect(page.locator(`tr[data-token-id="${minjiTokenId}"] [data-testid="token-last-used"]`)).not.toHaveText('never');

  // Revoked on the page: the CLI is refused at once (2).
  await page.getByRole('button', { name: 'Revoke token CLI e2e' }).click();
  await expect(page.locator(`tr[data-token-id="${minjiTokenId}"] [data-token-status]`)).toHaveText('Revoked');
  const after = await asMinji(['whoami']);
  expect(after.code).toBe(2);
  expect(after.stderr).toContain('unknown, expired or revoked');
  expect(await audit('api_token.revoked')).toContainEqual(expect.objectContaining({ actorId: USERS.ENGINEER.id, targetId: minjiTokenId }));

  // Security sees every user's active tokens (never their values) and revokes one that leaked; an
  // engineer sees only her own.
  await page.goto('/tokens');
  const leaked = await createToken(page, 'leaked laptop', ['read']);
  await page.reload();
  await expect(page.getByTestId('all-tokens')).toHaveCount(0);
  const leakedConfig = { config: path.join(dir, 'leaked.json'), env: { GATEHOUSE_URL: E2E_BASE_URL, GATEHOUSE_TOKEN: leaked } };
  expect((await gatehouse(['whoami'], leakedConfig)).code).toBe(0);
  await seoyeonPage.reload();
  const row = seoyeonPage.getByTestId('all-tokens').locator('tr', { hasText: 'leaked laptop' });
  await expect(row).toContainText('Minji Kim');
  expect(await seoyeonPage.content()).not.toContain(leaked);
  const leakedId = (await row.getAttribute('data-token-id'))!;
  await row.getByRole('button', { name: 'Revoke token leaked laptop' }).click();
  await expect(seoyeonPage.getByTestId('all-tokens').locator(`tr[data-token-id="${leakedId}"]`)).toHaveCount(0);
  expect((await gatehouse(['whoami'], leakedConfig)).code).toBe(2);
  expect(await audit('api_token.revoked')).toContainEqual(expect.objectContaining({ actorId: USERS.SECURITY.id, targetId: leakedId }));

  for (const ctx of [minjiApi, seoyeonApi]) await ctx.dispose();
  await seoyeonContext.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('npx gatehouse is this package’s bin and documents its exit codes', async () => {
  const run = await new Promise<Run>((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'gatehouse', '--help'], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('Exit codes:');
  expect(run.stdout).toContain('gatehouse request secret <name>');
});
