import type { BrowserContext, Page } from '@playwright/test';
import { E2E_BASE_URL } from '../fixtures/constants';
import { expect, test } from '../fixtures/test';
import { CLIENT_ID, IDP_ISSUER, IDP_NAME, IDP_USERS, REDIRECT_URI, type IdpUser } from './constants';

// Single sign-on end to end against a real OpenID Connect provider (e2e/sso/idp.ts), with the
// portal's production build in GATEHOUSE_AUTH=oidc (playwright.sso.config.ts). Specs run in order.

const SESSION_COOKIE = 'next-auth.session-token';

/** The identity provider's control API: a user's groups, or a backdated next sign-in. */
async function idp(page: Page, user: IdpUser, what: 'groups', value: string[]): Promise<void>;
async function idp(page: Page, user: IdpUser, what: 'backdate', value: number): Promise<void>;
async function idp(page: Page, user: IdpUser, what: 'groups' | 'backdate', value: string[] | number) {
  const res =
    what === 'groups'
      ? await page.request.put(`${IDP_ISSUER}/test/users/${user}/groups`, { data: { groups: value } })
      : await page.request.post(`${IDP_ISSUER}/test/users/${user}/backdate`, { data: { minutes: value } });
  expect(res.status()).toBe(200);
}

/** Every authorization request the browser sends to the identity provider, as URLs. */
function recordAuthorizationRequests(page: Page): URL[] {
  const seen: URL[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === IDP_ISSUER && url.pathname === '/auth') seen.push(url);
  });
  return seen;
}

/** Fills the identity provider's own login form and waits to be back in the portal. */
async function loginAtIdp(page: Page, user: IdpUser) {
  await expect(page).toHaveURL(new RegExp(`^${IDP_ISSUER}/interaction/`));
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(`${user}-pw`);
  await page.getByRole('button', { name: 'Sign in to Test IdP' }).click();
  await page.waitForURL((url) => url.origin === E2E_BASE_URL);
}

/** Signs in from the portal's sign-in page through the identity provider; returns the authorization request. */
async function signIn(page: Page, user: IdpUser, callbackUrl = '/'): Promise<URL> {
  const requests = recordAuthorizationRequests(page);
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByRole('button', { name: `Sign in with ${IDP_NAME}` }).click();
  await loginAtIdp(page, user);
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

async function me(context: BrowserContext) {
  const res = await context.request.get('/api/v1/me');
  return { status: res.status(), user: res.ok() ? ((await res.json()) as { user: { id: string; roles: string[]; teams: { slug: string }[] } }).user : null };
}

async function sessionCookieOf(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
}

test('authorization code with PKCE (S256) and state; groups map to roles and teams', async ({ page }) => {
  const auth = await signIn(page, 'ana');
  expect(auth.searchParams.get('response_type')).toBe('code');
  expect(auth.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(auth.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
  expect(auth.searchParams.get('scope')).toBe('openid email profile');
  expect(auth.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('state')).toBeTruthy();

  // gatehouse-security -> SECURITY (OIDC_ROLE_MAP); team-payments -> the payments team (OIDC_TEAM_PREFIX).
  const { status, user } = await me(page.context());
  expect(status).toBe(200);
  expect(user).toMatchObject({ email: IDP_USERS.ana.email, name: IDP_USERS.ana.name, roles: ['ENGINEER', 'SECURITY'] });
  expect(user!.teams.map((t) => t.slug)).toEqual(['payments']);
  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect((await page.request.get('/api/v1/audit?limit=1')).status()).toBe(200);

  // The provider requires PKCE: an authorization request without a code challenge is refused.
  const noPkce = await page.request.get(
    `${IDP_ISSUER}/auth?client_id=${CLIENT_ID}&response_type=code&scope=openid&state=x&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
    { maxRedirects: 0 },
  );
  const refused = new URL(noPkce.headers().location!);
  expect(refused.searchParams.get('error')).toBe('invalid_request');
  expect(refused.searchParams.get('error_description')).toContain('PKCE');
});

test('removed from the security group: SECURITY is gone at the next sign-in, and a live session follows', async ({ page, browser }) => {
  await idp(page, 'ana', 'groups', ['gatehouse-security', 'team-payments']);
  await signIn(page, 'ana');
  expect((await me(page.context())).user!.roles).toEqual(['ENGINEER', 'SECURITY']);

  await idp(page, 'ana', 'groups', ['team-payments']);
  // Until the user signs in again, the portal knows nothing of it.
  expect((await me(page.context())).user!.roles).toEqual(['ENGINEER', 'SECURITY']);

  // A sign-in elsewhere (another browser) brings the new groups…
  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, 'ana');
  expect((await me(other)).user!.roles).toEqual(['ENGINEER']);
  // …and the first browser's live session follows within the session refresh (seconds: the actor is re-read from the database).
  await expect.poll(async () => (await me(page.context())).user!.roles, { timeout: 10_000 }).toEqual(['ENGINEER']);
  expect((await page.request.get('/api/v1/audit?limit=1')).status()).toBe(403);
  await other.close();
  await idp(page, 'ana', 'groups', [...IDP_USERS.ana.groups]);
});

test('sign-out ends the session: the cookie is refused afterwards, in the browser and by the API', async ({ page, playwright }) => {
  await signIn(page, 'cho');
  const cookie = await sessionCookieOf(page.context());
  expect(cookie).toBeDefined();
  await page.goto('/');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await me(page.context())).status).toBe(401);
  // The same cookie, replayed from elsewhere: ended on the server, not only deleted in this browser.
  const replay = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { cookie: `${SESSION_COOKIE}=${cookie!.value}` } });
  expect((await replay.get('/api/v1/me')).status()).toBe(401);
  await replay.dispose();
});

test('prod step-up: an old sign-in re-authenticates at the provider with max_age, and comes back to decide', async ({ page, browser }) => {
  // Ana's sign-in at the provider is 30 minutes old (STEP_UP_MAX_AGE_MINUTES is 15).
  await idp(page, 'ana', 'groups', [...IDP_USERS.ana.groups]);
  await idp(page, 'ana', 'backdate', 30);
  await signIn(page, 'ana');

  // Minji (payments; known to the portal before SSO, with AWS identities) asks for a prod secret;
  // Ana is one of its security approvers.
  const minjiContext = await browser.newContext();
  const minji = await minjiContext.newPage();
  await signIn(minji, 'minji');
  const created = await minji.request.post('/api/v1/requests', {
    headers: { origin: E2E_BASE_URL },
    data: { type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key', justification: 'Checking the payout run with SSO', durationMinutes: 30 },
  });
  expect(created.status()).toBe(201);
  const requestId = ((await created.json()) as { request: { id: string } }).request.id;
  await minjiContext.close();

  // The stale session may not decide: 403 from the API, and "Confirm it's you" on the page.
  const stale = await page.request.post(`/api/v1/requests/${requestId}/approve`, { headers: { origin: E2E_BASE_URL }, data: {} });
  expect(stale.status()).toBe(403);
  expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('STEP_UP_REQUIRED');
  const staleCookie = await sessionCookieOf(page.context());
  await page.goto(`/requests/${requestId}`);
  const stepUp = page.getByTestId('step-up');
  await expect(stepUp).toContainText('Confirm it’s you');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  // Re-authentication: max_age=0 and prompt=login, so the provider asks for the password again
  // although its own session is live; back on the request page afterwards.
  const requests = recordAuthorizationRequests(page);
  await stepUp.getByRole('button', { name: `Sign in again with ${IDP_NAME}` }).click();
  await loginAtIdp(page, 'ana');
  expect(requests).toHaveLength(1);
  expect(requests[0]!.searchParams.get('max_age')).toBe('0');
  expect(requests[0]!.searchParams.get('prompt')).toBe('login');
  expect(requests[0]!.searchParams.get('code_challenge_method')).toBe('S256');
  await expect(page).toHaveURL(`${E2E_BASE_URL}/requests/${requestId}`);

  // The new session carries the id_token's fresh auth_time: the buttons are back.
  await expect(page.getByTestId('step-up')).toHaveCount(0);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('decisions')).toContainText(IDP_USERS.ana.name);
  // The timeline reads as words (docs/decisions/048); each entry keeps its action's name in its title.
  await expect(page.getByTestId('timeline').locator('strong[title="request.approval"]')).toHaveText('An approver approved');
  // The step-up is audited, and the session it replaced is ended.
  const audit = await page.request.get('/api/v1/audit?action=auth.step_up&limit=5');
  expect(audit.status()).toBe(200);
  const events = ((await audit.json()) as { events: { action: string; actorName: string; after: { method: string } }[] }).events;
  expect(events[0]).toMatchObject({ action: 'auth.step_up', actorName: IDP_USERS.ana.name, after: { method: 'sso' } });
  const replay = await page.context().browser()!.newContext({ baseURL: E2E_BASE_URL });
  await replay.addCookies([{ name: SESSION_COOKIE, value: staleCookie!.value, url: E2E_BASE_URL }]);
  expect((await me(replay)).status).toBe(401);
  await replay.close();
});

test('production with single sign-on refuses local sign-in', async ({ page }) => {
  const providers = (await (await page.request.get('/api/auth/providers')).json()) as Record<string, unknown>;
  expect(Object.keys(providers)).toEqual(['oidc']);
  await page.goto('/signin');
  await expect(page.getByTestId('local-users')).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Sign in with ${IDP_NAME}` })).toBeVisible();
  // A forged local sign-in (the sandbox's credentials form) gets no session.
  const csrf = ((await (await page.request.get('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;
  const forged = await page.request.post('/api/auth/callback/local', {
    form: { csrfToken: csrf, userId: 'usr_seoyeon_park', json: 'true' },
    headers: { origin: E2E_BASE_URL },
    maxRedirects: 0,
  });
  expect(forged.status()).toBeGreaterThanOrEqual(300);
  expect(await sessionCookieOf(page.context())).toBeUndefined();
  expect((await me(page.context())).status).toBe(401);
});
