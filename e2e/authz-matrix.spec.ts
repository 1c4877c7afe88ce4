// The authorization matrix: every page, route handler and server action of app/, found in the code,
// called as an anonymous visitor and as each role, checked against ONE table of expectations written
// here (independent of lib/server/auth/permissions.ts, so that a wrong permission fails). A new entry
// point that the table does not name fails the first test: none can be forgotten.
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { E2E_BASE_URL } from './fixtures/constants';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

type Role = keyof typeof USERS;
type Caller = 'anonymous' | Role;
const CALLERS: Caller[] = ['anonymous', 'ENGINEER', 'SECURITY', 'OPS', 'ADMIN'];
const SIGNED_IN: Caller[] = ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'];
const SEC: Caller[] = ['SECURITY', 'ADMIN'];

/** Who may reach an entry point; `notFound` callers pass authorization but the object is not theirs. */
interface Rule {
  allow: Caller[];
  notFound?: Caller[];
  /** The status every denied caller gets when it is not 401/403 by session (Slack's signature decides: 401). */
  deniedWith?: number;
}
const everyone: Rule = { allow: CALLERS };
const signedIn: Rule = { allow: SIGNED_IN };
const only = (...allow: Caller[]): Rule => ({ allow });

// Sample values for dynamic segments. REQ is a real request of the ENGINEER (created below); other
// ids do not exist, so allowed callers reach the handler and get 404 while nothing is changed.
const REQ = '{request}';
const MISSING = 'does-not-exist';

// key: "page <route>", "<METHOD> <route>", or "action <file>#<export>".
const TABLE: Record<string, Rule & { path?: string }> = {
  'page /': signedIn,
  'page /signin': everyone,
  'page /requests': signedIn,
  'page /requests/new': signedIn,
  // OPS (Priya) is neither the requester, an approver nor security: the request is not hers to see.
  'page /requests/[id]': { allow: SIGNED_IN, notFound: ['OPS'], path: `/requests/${REQ}` },
  'page /approvals': signedIn,
  'page /catalog': signedIn,
  'page /break-glass': only(...SEC),
  'page /audit': only(...SEC),
  'page /reports': only(...SEC),
  'page /reconcile': only(...SEC),
  'page /admin': only('ADMIN'),
  'page /sandbox': signedIn,
  'page /costs': signedIn,
  'page /costs/model': signedIn,
  'page /iam-audit': only(...SEC),
  'page /alarms': signedIn,
  'page /deployments': signedIn,
  'page /deployments/history': signedIn,
  // No such plan: every signed-in caller passes authorization and finds nothing; anonymous is sent to sign in.
  'page /deployments/[id]': { allow: SIGNED_IN, notFound: SIGNED_IN, path: `/deployments/${MISSING}` },
  // Dev's alarms are in the sandbox's dev account; with several accounts an alarm is named with its account.
  'page /alarms/[name]': { allow: SIGNED_IN, path: '/alarms/serverless-dev-api-errors?account=111122223333' },
  'page /iam-audit/baseline': only(...SEC),
  'page /tokens': signedIn,

  'GET /api/health': everyone,
  'GET /api/ping': everyone,
  // The interface's strings: the sign-in page needs them too (docs/decisions/057-message-catalog-asset.md).
  'GET /api/i18n/[locale]': { allow: CALLERS, path: '/api/i18n/en' },
  'GET /api/auth/[...nextauth]': { allow: CALLERS, path: '/api/auth/providers' },
  'POST /api/auth/[...nextauth]': { allow: CALLERS, path: '/api/auth/_log' },
  'GET /api/v1/me': signedIn,
  'GET /api/v1/requests': signedIn,
  'POST /api/v1/requests': signedIn,
  'GET /api/v1/requests/[id]': { allow: SIGNED_IN, notFound: ['OPS'], path: `/api/v1/requests/${REQ}` },
  'POST /api/v1/requests/[id]/approve': { allow: SIGNED_IN, path: `/api/v1/requests/${MISSING}/approve` },
  'POST /api/v1/requests/[id]/reject': { allow: SIGNED_IN, path: `/api/v1/requests/${MISSING}/reject` },
  'POST /api/v1/requests/[id]/cancel': { allow: SIGNED_IN, path: `/api/v1/requests/${MISSING}/cancel` },
  'GET /api/v1/approvals': signedIn,
  // Slack's signature, not a session, authorizes a click (docs/decisions/047): unsigned, everyone is 401.
  'POST /api/slack/interactions': { allow: [], deniedWith: 401 },
  // The caller's own open grants and the catalog: what the CLI reads (docs/decisions/045).
  'GET /api/v1/grants': signedIn,
  'GET /api/v1/catalog': signedIn,
  'POST /api/v1/grants/[id]/give-back': { allow: SIGNED_IN, path: `/api/v1/grants/${MISSING}/give-back` },
  'POST /api/v1/grants/[id]/shorten': { allow: SIGNED_IN, path: `/api/v1/grants/${MISSING}/shorten` },
  'POST /api/v1/grants/[id]/revoke': { allow: SEC, path: `/api/v1/grants/${MISSING}/revoke` },
  'GET /api/v1/audit': only(...SEC),
  'GET /api/v1/audit/export': only(...SEC),
  'GET /api/v1/reports/[name]': { allow: SEC, path: '/api/v1/reports/approver-load?format=csv' },
  'GET /api/v1/audit/verify': only(...SEC),
  'POST /api/v1/audit/verify': only(...SEC),
  'GET /api/v1/costs': signedIn,
  'GET /api/v1/alarms': signedIn,
  'GET /api/v1/alarms/[name]': { allow: SIGNED_IN, path: '/api/v1/alarms/serverless-dev-api-errors?account=111122223333' },
  'GET /api/v1/alarms/[name]/metrics': { allow: SIGNED_IN, path: '/api/v1/alarms/serverless-dev-api-errors/metrics?range=3h&account=111122223333' },
  'POST /api/v1/alarms/[name]/state': { allow: ['OPS', 'ADMIN'], path: '/api/v1/alarms/serverless-dev-api-errors/state' },
  'GET /api/v1/health/envs': signedIn,
  'GET /api/v1/deployments': signedIn,
  'POST /api/v1/deployments': only('OPS', 'ADMIN'),
  'GET /api/v1/deployments/[id]': { allow: SIGNED_IN, path: `/api/v1/deployments/${MISSING}` },
  'POST /api/v1/deployments/[id]/approve': { allow: ['SECURITY', 'OPS', 'ADMIN'], path: `/api/v1/deployments/${MISSING}/approve` },
  'POST /api/v1/deployments/[id]/reject': { allow: ['SECURITY', 'OPS', 'ADMIN'], path: `/api/v1/deployments/${MISSING}/reject` },
  'POST /api/v1/deployments/[id]/execute': { allow: ['OPS', 'ADMIN'], path: `/api/v1/deployments/${MISSING}/execute` },
  'GET /api/v1/deployments/history': signedIn,
  'GET /api/v1/deployments/drift': signedIn,
  'POST /api/v1/deployments/drift': only('OPS', 'ADMIN'),
  // A plan's diff names releases: whoever reads deployments reads them.
  'GET /api/v1/releases': signedIn,
  'GET /api/v1/iam-audit/findings': only(...SEC),
  'POST /api/v1/iam-audit/baseline/[id]/approve': { allow: SEC, path: `/api/v1/iam-audit/baseline/${MISSING}/approve` },
  'POST /api/v1/iam-audit/baseline/[id]/reject': { allow: SEC, path: `/api/v1/iam-audit/baseline/${MISSING}/reject` },

  'action app/actions.ts#setLocaleAction': everyone,
  'action app/requests/actions.ts#createRequestAction': signedIn,
  'action app/requests/actions.ts#decideRequestAction': signedIn,
  'action app/requests/actions.ts#cancelRequestAction': signedIn,
  'action app/requests/actions.ts#confirmSignInAction': signedIn,
  'action app/requests/actions.ts#reviewBreakGlassAction': only(...SEC),
  'action app/requests/actions.ts#giveBackGrantAction': signedIn,
  'action app/requests/actions.ts#shortenGrantAction': signedIn,
  'action app/requests/actions.ts#revokeGrantAction': only(...SEC),
  'action app/catalog/actions.ts#upsertSecretAction': only(...SEC),
  'action app/catalog/actions.ts#upsertRoleAction': only(...SEC),
  'action app/catalog/actions.ts#updateRuleAction': only(...SEC),
  'action app/catalog/actions.ts#decideChangeAction': only(...SEC),
  'action app/reconcile/actions.ts#fixFindingAction': only(...SEC),
  'action app/reconcile/actions.ts#fixAllFindingsAction': only(...SEC),
  'action app/admin/actions.ts#updateUserRolesAction': only('ADMIN'),
  'action app/admin/actions.ts#setPrincipalAction': only('ADMIN'),
  'action app/sandbox/actions.ts#tamperSandboxPolicyAction': only(...SEC),
  'action app/reports/actions.ts#simulateGrantUseAction': only(...SEC),
  'action app/costs/actions.ts#refreshCostsAction': only('OPS', 'ADMIN'),
  'action app/alarms/actions.ts#setAlarmStateAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#planDeploymentAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#decideDeploymentAction': only('SECURITY', 'OPS', 'ADMIN'),
  'action app/deployments/actions.ts#executeDeploymentAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#detectDriftAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#simulateDriftAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#failNextShiftAction': only('OPS', 'ADMIN'),
  'action app/iam-audit/actions.ts#runScanAction': only(...SEC),
  'action app/iam-audit/baseline/actions.ts#proposeBaselineAction': only(...SEC),
  'action app/iam-audit/baseline/actions.ts#decideBaselineAction': only(...SEC),
  'action app/iam-audit/baseline/actions.ts#applyBaselineAction': only(...SEC),
  'action app/tokens/actions.ts#createApiTokenAction': signedIn,
  'action app/tokens/actions.ts#revokeApiTokenAction': signedIn,
};

const APP = path.resolve('app');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

/** The URL pattern of a file under app/ (route groups dropped). */
function routeOf(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}

/** Every entry point in the code, keyed like the table. */
function discover(): string[] {
  const keys: string[] = [];
  for (const file of walk(APP)) {
    const rel = path.relative(process.cwd(), file).split(path.sep).join('/');
    const source = fs.readFileSync(file, 'utf8');
    if (/\/page\.tsx?$/.test(file)) keys.push(`page ${routeOf(file)}`);
    if (/\/route\.tsx?$/.test(file)) {
      const methods = new Set<string>();
      for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
      for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) for (const n of m[1]!.matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(n[1]!);
      for (const method of methods) keys.push(`${method} ${routeOf(file)}`);
    }
    if (/^\s*['"]use server['"]/.test(source)) {
      for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(\w+)/g)) keys.push(`action ${rel}#${m[1]}`);
    }
  }
  return keys.sort();
}

interface ServerReference {
  workers: Record<string, unknown>;
  filename: string;
  exportedName: string;
}

/** Server action ids from the production build (the same build the e2e server runs). */
function actionIds(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, ServerReference> };
  const out = new Map<string, { id: string; page: string }>();
  for (const [id, ref] of Object.entries(manifest.node)) {
    const page = Object.keys(ref.workers).find((w) => w.startsWith('app/') && w.endsWith('/page') && !w.includes('_not-found'));
    if (page) out.set(`action ${ref.filename}#${ref.exportedName}`, { id, page: page.replace(/^app/, '').replace(/\/page$/, '') || '/' });
  }
  return out;
}

type Outcome = 'allow' | 'deny' | 'notfound';
type OriginMode = 'same' | 'missing' | 'foreign';
const FOREIGN_ORIGIN = 'https://evil.example';

/** Entry points that change something: every server action and every API method but GET. */
function isStateChanging(key: string): boolean {
  return key.startsWith('action ') || /^(POST|PUT|PATCH|DELETE) /.test(key);
}

test('every page, route handler and server action in app/ is in the authorization table', () => {
  const discovered = discover();
  expect(
    discovered.filter((k) => !(k in TABLE)),
    'entry points missing from the table',
  ).toEqual([]);
  expect(
    Object.keys(TABLE).filter((k) => !discovered.includes(k)),
    'table rows for entry points that no longer exist',
  ).toEqual([]);
});

test('each entry point answers each caller exactly as the table says', async ({ playwright }) => {
  test.setTimeout(180_000);
  const contexts = new Map<Caller, APIRequestContext>();
  for (const caller of CALLERS) {
    // The Origin header is set per call (below): same-site, missing, or foreign.
    const headers: Record<string, string> = {};
    if (caller !== 'anonymous') {
      const cookie = await sessionCookie(USERS[caller].id);
      headers.cookie = `${cookie.name}=${cookie.value}`;
    }
    contexts.set(caller, await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: headers, maxRedirects: 0 }));
  }
  // A request of the ENGINEER's that only she, its approvers, security and admins may see.
  const mine = await contexts.get('ENGINEER')!.post('/api/v1/requests', {
    headers: { origin: E2E_BASE_URL },
    data: {
      type: 'SECRET_READ',
      secretId: 'sec_prod_payments_db_app_password',
      justification: 'Authorization matrix fixture, never approved',
      durationMinutes: 60,
    },
  });
  expect(mine.status()).toBe(201);
  const requestId = ((await mine.json()) as { request: { id: string } }).request.id;
  const concrete = (p: string) => p.replace(REQ, requestId);
  const ids = actionIds();

  const failures: string[] = [];
  // Every state-changing entry point is also called without an Origin (scripts: authorized as in
  // the table) and with a foreign one (CSRF: refused for everyone, whatever the table allows).
  const runs: { key: string; rule: Rule & { path?: string }; origin: OriginMode }[] = [];
  for (const [key, rule] of Object.entries(TABLE)) {
    runs.push({ key, rule, origin: 'same' });
    if (isStateChanging(key)) runs.push({ key, rule, origin: 'missing' }, { key, rule, origin: 'foreign' });
  }
  for (const { key: baseKey, rule, origin } of runs) {
    const [kind, target] = baseKey.split(' ') as [string, string];
    const key = origin === 'same' ? baseKey : `${baseKey} (${origin} Origin)`;
    const originHeaders: Record<string, string> = origin === 'same' ? { origin: E2E_BASE_URL } : origin === 'foreign' ? { origin: FOREIGN_ORIGIN } : {};
    for (const caller of CALLERS) {
      // Next.js refuses a cross-site action before any of our code runs (and logs each refusal at
      // error level): once per action, as the caller the table allows most, is enough.
      if (origin === 'foreign' && kind === 'action' && caller !== 'ADMIN') continue;
      const expected: Outcome = origin === 'foreign' || !rule.allow.includes(caller) ? 'deny' : rule.notFound?.includes(caller) ? 'notfound' : 'allow';
      const ctx = contexts.get(caller)!;
      let actual: Outcome;
      let detail: string;
      if (kind === 'page') {
        const res = await ctx.get(concrete(rule.path ?? target), { headers: originHeaders });
        const location = res.headers().location ?? '';
        const status = res.status();
        detail = `${status} ${location}`;
        // The sign-in page sends signed-in users on: a redirect anywhere but /signin is "allow".
        actual =
          status === 404
            ? 'notfound'
            : status === 403
              ? 'deny'
              : status >= 300 && status < 400
                ? location.includes('/signin')
                  ? 'deny'
                  : 'allow'
                : status === 200
                  ? 'allow'
                  : 'deny';
        if (expected === 'deny' && actual === 'deny' && (caller === 'anonymous' ? !location.includes('/signin') : status !== 403)) {
          failures.push(`${key} as ${caller}: denied with ${detail}, expected ${caller === 'anonymous' ? 'a redirect to /signin' : '403'}`);
        }
      } else if (kind === 'action') {
        const ref = ids.get(baseKey);
        if (!ref) {
          failures.push(`${key}: not in the build's server-reference manifest (rebuild before the e2e suite)`);
          break;
        }
        // `null` fails every action's input schema, so an allowed caller gets BAD_REQUEST and nothing is written.
        const res = await ctx.post(concrete(ref.page.replace('[id]', REQ)), {
          headers: { ...originHeaders, 'next-action': ref.id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
          data: JSON.stringify([null]),
        });
        const body = await res.text();
        const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP ${res.status()}`;
        detail = code;
        actual =
          code === 'UNAUTHENTICATED' || code === 'FORBIDDEN'
            ? 'deny'
            : code === 'NOT_FOUND'
              ? 'notfound'
              : code === 'BAD_REQUEST' || (res.status() === 200 && code.startsWith('HTTP'))
                ? 'allow'
                : 'deny';
      } else {
        const url = concrete(rule.path ?? target);
        const res = await ctx.fetch(url, { method: kind, headers: originHeaders, ...(kind === 'GET' ? {} : { data: {} }) });
        detail = String(res.status());
        actual = res.status() === 401 || res.status() === 403 ? 'deny' : res.status() >= 500 ? 'deny' : 'allow';
        // Allowed callers asking for an object that is not theirs get 404.
        if (res.status() === 404 && rule.notFound?.includes(caller)) actual = 'notfound';
        // Anonymous callers are told to sign in (401), signed-in ones that they may not (403); a
        // foreign Origin is refused (403) before anyone is asked who they are (next-auth's own
        // endpoints excepted: they carry their own CSRF token).
        const deniedWith = origin === 'foreign' ? 403 : (rule.deniedWith ?? (caller === 'anonymous' ? 401 : 403));
        if (origin === 'foreign' && baseKey.startsWith('POST /api/auth/')) {
          if (res.status() >= 500) failures.push(`${key} as ${caller}: ${res.status()}`);
          continue;
        }
        if (expected === 'deny' && actual === 'deny' && res.status() !== deniedWith)
          failures.push(`${key} as ${caller}: denied with ${res.status()}, expected ${deniedWith}`);
      }
      if (actual !== expected) failures.push(`${key} as ${caller}: ${actual} (${detail}), expected ${expected}`);
    }
  }
  for (const ctx of contexts.values()) await ctx.dispose();
  expect(failures, 'unexpected answers').toEqual([]);
});

test("an engineer cannot read, cancel, give back or shorten another engineer's request or grant", async ({ playwright }) => {
  const as = async (userId: string) => {
    const cookie = await sessionCookie(userId);
    return playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` } });
  };
  const owner = await as('usr_daniel_okafor');
  const other = await as(USERS.ENGINEER.id);
  const security = await as(USERS.SECURITY.id);
  const created = await owner.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_prod_data_warehouse_readonly', justification: 'Quarterly report figures check', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { request: { id: string } }).request.id;

  expect((await other.get(`/api/v1/requests/${id}`)).status()).toBe(404);
  expect((await other.post(`/api/v1/requests/${id}/cancel`, { data: { comment: '' } })).status()).toBe(404);
  expect(await (await other.get('/api/v1/requests')).text()).not.toContain(id);
  expect((await other.get('/api/v1/requests?scope=all')).status()).toBe(403);

  // Prod needs two approvals: security approves twice with two people.
  expect((await security.post(`/api/v1/requests/${id}/approve`, { data: {} })).status()).toBe(200);
  const lucas = await as('usr_lucas_meyer');
  expect((await lucas.post(`/api/v1/requests/${id}/approve`, { data: {} })).status()).toBe(200);
  await expect
    .poll(async () => ((await (await owner.get(`/api/v1/requests/${id}`)).json()) as { grant?: { status: string } }).grant?.status, { timeout: 15_000 })
    .toBe('ACTIVE');
  const grantId = ((await (await owner.get(`/api/v1/requests/${id}`)).json()) as { grant: { id: string } }).grant.id;

  expect((await other.post(`/api/v1/grants/${grantId}/give-back`, { data: {} })).status()).toBe(404);
  expect((await other.post(`/api/v1/grants/${grantId}/shorten`, { data: { endsAt: new Date(Date.now() + 600_000).toISOString() } })).status()).toBe(404);
  expect((await other.post(`/api/v1/grants/${grantId}/revoke`, { data: { comment: 'not mine to revoke' } })).status()).toBe(403);
  // The owner still holds it, and gives it back.
  expect((await owner.post(`/api/v1/grants/${grantId}/give-back`, { data: {} })).status()).toBe(200);
  for (const ctx of [owner, other, security, lucas]) await ctx.dispose();
});

// Object-level rules with real ids: who may do what to THIS request or grant, beyond their role.
// Callers besides the requester: the team's lead (an approver of the role request), an OPS-only
// user and an engineer of another team (neither can see it). Every entry point that takes a
// request or grant id must be in this table (checked against discover(), like the table above).
const LEAD = 'usr_jaewon_choi';
const OPS_ONLY = 'usr_tomas_novak';
const OTHER_TEAM = 'usr_daniel_okafor';
type ObjectCaller = 'lead' | 'opsOnly' | 'otherTeam';
const OBJECT_CALLERS: Record<ObjectCaller, string> = { lead: LEAD, opsOnly: OPS_ONLY, otherTeam: OTHER_TEAM };

/** The answer each caller gets: an HTTP status for pages and routes, the error code (or OK) for actions. */
type Expect = Record<ObjectCaller, number | string>;
const OBJECT_TABLE: Record<string, Expect> = {
  'page /requests/[id]': { lead: 200, opsOnly: 404, otherTeam: 404 },
  'GET /api/v1/requests/[id]': { lead: 200, opsOnly: 404, otherTeam: 404 },
  // The lead may decide (their approval is run last, below); the others cannot see the request.
  'POST /api/v1/requests/[id]/approve': { lead: 200, opsOnly: 404, otherTeam: 404 },
  'POST /api/v1/requests/[id]/reject': { lead: 409, opsOnly: 404, otherTeam: 404 },
  'POST /api/v1/requests/[id]/cancel': { lead: 404, opsOnly: 404, otherTeam: 404 },
  'action app/requests/actions.ts#decideRequestAction': { lead: 'CONFLICT', opsOnly: 'NOT_FOUND', otherTeam: 'NOT_FOUND' },
  'action app/requests/actions.ts#cancelRequestAction': { lead: 'NOT_FOUND', opsOnly: 'NOT_FOUND', otherTeam: 'NOT_FOUND' },
  // "Confirm it's you" on a request: only for one who sees it. The lead's re-issues (and ends) their session: run last.
  'action app/requests/actions.ts#confirmSignInAction': { lead: 'OK', opsOnly: 'NOT_FOUND', otherTeam: 'NOT_FOUND' },
  'action app/requests/actions.ts#reviewBreakGlassAction': { lead: 'FORBIDDEN', opsOnly: 'FORBIDDEN', otherTeam: 'FORBIDDEN' },
  // Extending someone else's request answers exactly like extending one that does not exist.
  'action app/requests/actions.ts#createRequestAction': { lead: 'UNPROCESSABLE', opsOnly: 'UNPROCESSABLE', otherTeam: 'UNPROCESSABLE' },
  'POST /api/v1/grants/[id]/give-back': { lead: 404, opsOnly: 404, otherTeam: 404 },
  'POST /api/v1/grants/[id]/shorten': { lead: 404, opsOnly: 404, otherTeam: 404 },
  'POST /api/v1/grants/[id]/revoke': { lead: 403, opsOnly: 403, otherTeam: 403 },
  'action app/requests/actions.ts#giveBackGrantAction': { lead: 'NOT_FOUND', opsOnly: 'NOT_FOUND', otherTeam: 'NOT_FOUND' },
  'action app/requests/actions.ts#shortenGrantAction': { lead: 'NOT_FOUND', opsOnly: 'NOT_FOUND', otherTeam: 'NOT_FOUND' },
  'action app/requests/actions.ts#revokeGrantAction': { lead: 'FORBIDDEN', opsOnly: 'FORBIDDEN', otherTeam: 'FORBIDDEN' },
};

/** Entry points that act on one request or grant: routes under /requests/[id] or /grants/[id], and the request page's actions. */
function objectEntryPoints(): string[] {
  return discover().filter((k) => /\/(requests|grants)\/\[id\]/.test(k) || k.startsWith('action app/requests/actions.ts#'));
}

async function apiAs(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, userId: string) {
  const cookie = await sessionCookie(userId);
  return playwright.request.newContext({
    baseURL: E2E_BASE_URL,
    extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` },
    maxRedirects: 0,
  });
}

/** Calls a server action by its build id, as the browser does; returns the error code, or OK. */
async function callAction(ctx: APIRequestContext, key: string, requestId: string, input: unknown, headers: Record<string, string> = {}): Promise<string> {
  const ref = actionIds().get(key);
  if (!ref) throw new Error(`${key} is not in the build's server-reference manifest`);
  const res = await ctx.post(ref.page.replace('[id]', requestId), {
    headers: { 'next-action': ref.id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', ...headers },
    data: JSON.stringify([input]),
  });
  const body = await res.text();
  if (/"ok":true/.test(body)) return 'OK';
  return /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP ${res.status()}`;
}

test('every entry point that takes a request or grant id is in the object-level table', () => {
  expect(
    objectEntryPoints().filter((k) => !(k in OBJECT_TABLE)),
    'id-taking entry points missing from OBJECT_TABLE',
  ).toEqual([]);
  expect(
    Object.keys(OBJECT_TABLE).filter((k) => !objectEntryPoints().includes(k)),
    'OBJECT_TABLE rows for entry points that no longer exist',
  ).toEqual([]);
});

test('object-level rules with real ids: the team lead, an OPS-only user and an engineer of another team', async ({ playwright }) => {
  test.setTimeout(120_000);
  const requester = await apiAs(playwright, USERS.ENGINEER.id);
  const security = await apiAs(playwright, USERS.SECURITY.id);
  const callers = Object.fromEntries(
    await Promise.all(Object.entries(OBJECT_CALLERS).map(async ([c, id]) => [c, await apiAs(playwright, id)] as const)),
  ) as Record<ObjectCaller, APIRequestContext>;

  // A pending role request of Minji's (Payments): its lead is Jae-won. And an approved dev secret read, for its grant.
  const role = await requester.post('/api/v1/requests', {
    data: { type: 'ROLE', roleId: 'role_payments_prod_on_call', justification: 'Object-level authorization fixture', durationMinutes: 60 },
  });
  expect(role.status()).toBe(201);
  const roleRequest = ((await role.json()) as { request: { id: string; eligibleLeadIds: string[] } }).request;
  expect(roleRequest.eligibleLeadIds).toEqual([LEAD]);
  const read = await requester.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification: 'Object-level grant fixture', durationMinutes: 60 },
  });
  const readId = ((await read.json()) as { request: { id: string } }).request.id;
  expect((await security.post(`/api/v1/requests/${readId}/approve`, { data: {} })).status()).toBe(200);
  await expect
    .poll(async () => ((await (await requester.get(`/api/v1/requests/${readId}`)).json()) as { grant?: { status: string } }).grant?.status, { timeout: 15_000 })
    .toBe('ACTIVE');
  const grantId = ((await (await requester.get(`/api/v1/requests/${readId}`)).json()) as { grant: { id: string } }).grant.id;
  const req = roleRequest.id;

  const snapshot = async () => {
    const detail = (await (await requester.get(`/api/v1/requests/${req}`)).json()) as { request: { status: string }; decisions: unknown[] };
    const grant = ((await (await requester.get(`/api/v1/requests/${readId}`)).json()) as { grant: { status: string; endsAt: string } }).grant;
    return { status: detail.request.status, decisions: detail.decisions.length, grant: grant.status, endsAt: grant.endsAt };
  };
  const before = await snapshot();
  const soon = new Date(Date.now() + 20 * 60_000).toISOString();
  const inputs: Record<string, unknown> = {
    'action app/requests/actions.ts#decideRequestAction': { requestId: req, kind: 'APPROVE', comment: '' },
    'action app/requests/actions.ts#cancelRequestAction': { requestId: req, comment: '' },
    'action app/requests/actions.ts#confirmSignInAction': { requestId: req },
    'action app/requests/actions.ts#reviewBreakGlassAction': { requestId: req, outcome: 'ESCALATED', comment: '' },
    'action app/requests/actions.ts#createRequestAction': {
      type: 'SECRET_READ',
      secretId: 'sec_dev_payments_stripe_api_key',
      justification: 'Extending what is not mine',
      durationMinutes: 60,
      extendsRequestId: readId,
    },
    'action app/requests/actions.ts#giveBackGrantAction': { grantId, comment: '' },
    'action app/requests/actions.ts#shortenGrantAction': { grantId, endsAt: soon, comment: '' },
    'action app/requests/actions.ts#revokeGrantAction': { grantId, comment: 'not mine to revoke' },
  };
  const bodies: Record<string, unknown> = { shorten: { endsAt: soon }, revoke: { comment: 'not mine to revoke' } };

  const failures: string[] = [];
  const check = async (key: string, caller: ObjectCaller, origin: Record<string, string> = {}) => {
    const expected = OBJECT_TABLE[key]![caller];
    const ctx = callers[caller];
    const [kind, target] = key.split(' ') as [string, string];
    let actual: number | string;
    if (kind === 'action') actual = await callAction(ctx, key, req, inputs[key], origin);
    else {
      const url = target.replace('/requests/[id]', `/requests/${req}`).replace('/grants/[id]', `/grants/${grantId}`);
      const last = url.split('/').pop()!;
      const res =
        kind === 'page' || kind === 'GET' ? await ctx.get(url, { headers: origin }) : await ctx.post(url, { headers: origin, data: bodies[last] ?? {} });
      actual = res.status();
    }
    if (actual !== expected) failures.push(`${key} as ${caller}: ${actual}, expected ${expected}`);
  };
  // Refusals first (they must change nothing), then the lead's approval, then what follows from it.
  const LEAD_LAST = [
    'POST /api/v1/requests/[id]/approve',
    'POST /api/v1/requests/[id]/reject',
    'action app/requests/actions.ts#decideRequestAction',
    'action app/requests/actions.ts#confirmSignInAction',
  ];
  for (const key of Object.keys(OBJECT_TABLE)) {
    for (const caller of Object.keys(OBJECT_CALLERS) as ObjectCaller[]) {
      if (caller === 'lead' && LEAD_LAST.includes(key)) continue;
      await check(key, caller);
    }
  }
  expect(await snapshot(), 'refused calls changed nothing').toEqual(before);
  for (const key of LEAD_LAST) await check(key, 'lead');
  expect(failures, 'unexpected object-level answers').toEqual([]);
  const after = await snapshot();
  expect(after).toMatchObject({ status: 'PENDING', decisions: 1, grant: 'ACTIVE' });

  // A foreign Origin is refused for the requester too, and changes nothing (CSRF).
  const cancelForeign = await requester.post(`/api/v1/requests/${req}/cancel`, { headers: { origin: FOREIGN_ORIGIN }, data: {} });
  expect(cancelForeign.status()).toBe(403);
  expect(
    await callAction(requester, 'action app/requests/actions.ts#cancelRequestAction', req, { requestId: req, comment: '' }, { origin: FOREIGN_ORIGIN }),
  ).not.toBe('OK');
  expect(
    await callAction(requester, 'action app/requests/actions.ts#giveBackGrantAction', readId, { grantId, comment: '' }, { origin: FOREIGN_ORIGIN }),
  ).not.toBe('OK');
  expect(await snapshot()).toEqual(after);
  // The requester herself may (same site): cancels, gives back.
  expect(
    await callAction(requester, 'action app/requests/actions.ts#cancelRequestAction', req, { requestId: req, comment: '' }, { origin: E2E_BASE_URL }),
  ).toBe('OK');
  expect((await requester.post(`/api/v1/grants/${grantId}/give-back`, { data: {} })).status()).toBe(200);
  for (const ctx of [requester, security, ...Object.values(callers)]) await ctx.dispose();
});

test('a demoted approver: an admin removes their security role, then their approval is refused (403) and nothing is written', async ({
  page,
  loginAs,
  playwright,
}) => {
  const AMARA = { id: 'usr_amara_osei', name: 'Amara Osei' };
  const requester = await apiAs(playwright, USERS.ENGINEER.id);
  const created = await requester.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification: 'Demoted approver fixture', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const request = ((await created.json()) as { request: { id: string; eligibleSecurityIds: string[] } }).request;
  expect(request.eligibleSecurityIds).toContain(AMARA.id);

  // The admin page's role update: Security off, Engineer on.
  await loginAs('ADMIN');
  await page.goto('/admin');
  const form = page.getByRole('form', { name: `Roles of ${AMARA.name}` });
  await form.getByRole('checkbox', { name: 'Engineer' }).check();
  await form.getByRole('checkbox', { name: 'Security' }).uncheck();
  await form.getByRole('button', { name: 'Save roles' }).click();
  await expect(form.getByText('Roles saved.')).toBeVisible();

  const amara = await apiAs(playwright, AMARA.id);
  const history = async () =>
    (await (await requester.get(`/api/v1/requests/${request.id}`)).json()) as { request: { status: string; version?: number }; decisions: unknown[] };
  const before = await history();
  for (const [how, call] of [
    ['API approve', () => amara.post(`/api/v1/requests/${request.id}/approve`, { data: {} })],
    ['API reject', () => amara.post(`/api/v1/requests/${request.id}/reject`, { data: {} })],
  ] as const) {
    const res = await call();
    expect(res.status(), how).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message, how).toBe(
      'You no longer hold the SECURITY role, so your decision cannot count.',
    );
  }
  expect(
    await callAction(amara, 'action app/requests/actions.ts#decideRequestAction', request.id, { requestId: request.id, kind: 'APPROVE', comment: '' }),
  ).toBe('FORBIDDEN');
  expect(await history()).toEqual(before);
  expect(before).toMatchObject({ request: { status: 'PENDING' }, decisions: [] });
  // Nothing for them to decide any more: not in their queue, no decision form on the page.
  expect(((await (await amara.get('/api/v1/approvals')).json()) as { requests: { id: string }[] }).requests.map((r) => r.id)).not.toContain(request.id);
  // A security user still holding the role decides it.
  const security = await apiAs(playwright, USERS.SECURITY.id);
  expect((await security.post(`/api/v1/requests/${request.id}/approve`, { data: {} })).status()).toBe(200);
  for (const ctx of [requester, amara, security]) await ctx.dispose();
});

// Personal API tokens (docs/decisions/045-api-tokens.md): the scope each /api/v1 route needs from a
// token, written here independently of TOKEN_SCOPE_OF. 'any': every token; 'never': no token, even
// one with every scope. A token caller must ALSO be allowed by TABLE for its user's roles.
type TokenNeed = 'read' | 'request' | 'decide' | 'any' | 'never';
const TOKEN_TABLE: Record<string, TokenNeed> = {
  'GET /api/v1/me': 'any',
  'GET /api/v1/requests': 'read',
  'POST /api/v1/requests': 'request',
  'GET /api/v1/requests/[id]': 'read',
  'POST /api/v1/requests/[id]/approve': 'decide',
  'POST /api/v1/requests/[id]/reject': 'decide',
  'POST /api/v1/requests/[id]/cancel': 'request',
  'GET /api/v1/approvals': 'decide',
  'GET /api/v1/grants': 'read',
  'GET /api/v1/catalog': 'read',
  'POST /api/v1/grants/[id]/give-back': 'request',
  'POST /api/v1/grants/[id]/shorten': 'request',
  'POST /api/v1/grants/[id]/revoke': 'never',
  'GET /api/v1/audit': 'read',
  'GET /api/v1/audit/export': 'read',
  'GET /api/v1/audit/verify': 'never',
  'POST /api/v1/audit/verify': 'never',
  'GET /api/v1/costs': 'read',
  'GET /api/v1/alarms': 'read',
  'GET /api/v1/alarms/[name]': 'read',
  'GET /api/v1/alarms/[name]/metrics': 'read',
  'POST /api/v1/alarms/[name]/state': 'never',
  'GET /api/v1/health/envs': 'read',
  'GET /api/v1/deployments': 'read',
  'POST /api/v1/deployments': 'never',
  'GET /api/v1/deployments/[id]': 'read',
  'POST /api/v1/deployments/[id]/approve': 'never',
  'POST /api/v1/deployments/[id]/reject': 'never',
  'POST /api/v1/deployments/[id]/execute': 'never',
  'GET /api/v1/deployments/history': 'read',
  'GET /api/v1/deployments/drift': 'read',
  'POST /api/v1/deployments/drift': 'never',
  'GET /api/v1/releases': 'read',
  'GET /api/v1/reports/[name]': 'read',
  'GET /api/v1/iam-audit/findings': 'read',
  'POST /api/v1/iam-audit/baseline/[id]/approve': 'never',
  'POST /api/v1/iam-audit/baseline/[id]/reject': 'never',
};

/** Makes a token through the token page's server action (with a session) and returns it: the action's answer is the only place it appears. */
async function tokenFor(ctx: APIRequestContext, scopes: string[]): Promise<string> {
  const ref = actionIds().get('action app/tokens/actions.ts#createApiTokenAction');
  if (!ref) throw new Error('createApiTokenAction is not in the build');
  const res = await ctx.post(ref.page, {
    headers: { 'next-action': ref.id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', origin: E2E_BASE_URL },
    data: JSON.stringify([{ name: `matrix ${scopes.join('+')}`, scopes, expiresInDays: 1 }]),
  });
  const token = /"token":"(gth_[A-Za-z0-9_-]{43})"/.exec(await res.text())?.[1];
  if (!token) throw new Error(`no token in the answer (${res.status()})`);
  return token;
}

test('every /api/v1 route is in the token table', () => {
  const routes = discover().filter((k) => /^[A-Z]+ \/api\/v1\//.test(k));
  expect(
    routes.filter((k) => !(k in TOKEN_TABLE)),
    'API routes missing from TOKEN_TABLE',
  ).toEqual([]);
  expect(
    Object.keys(TOKEN_TABLE).filter((k) => !routes.includes(k)),
    'TOKEN_TABLE rows for routes that no longer exist',
  ).toEqual([]);
});

test('token callers: each /api/v1 route answers each scope (and an engineer with every scope) as the tables say', async ({ playwright }) => {
  test.setTimeout(180_000);
  const admin = await apiAs(playwright, USERS.ADMIN.id);
  const engineer = await apiAs(playwright, USERS.ENGINEER.id);
  // An admin's tokens are limited only by their scopes; the engineer's all-scope token by her roles.
  const callers: { name: string; role: Role; scopes: string[]; token: string }[] = [];
  for (const scopes of [['read'], ['request'], ['decide'], ['read', 'request', 'decide']])
    callers.push({ name: `ADMIN token (${scopes.join('+')})`, role: 'ADMIN', scopes, token: await tokenFor(admin, scopes) });
  callers.push({
    name: 'ENGINEER token (all)',
    role: 'ENGINEER',
    scopes: ['read', 'request', 'decide'],
    token: await tokenFor(engineer, ['read', 'request', 'decide']),
  });
  // A real request of the engineer's for the [id] rows (made with her token: the CLI's way).
  const mine = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${callers.at(-1)!.token}` } });
  const created = await mine.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_prod_payments_db_app_password', justification: 'Token matrix fixture, never approved', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const requestId = ((await created.json()) as { request: { id: string } }).request.id;

  const failures: string[] = [];
  for (const caller of callers) {
    // No cookie and no Origin: what the CLI sends.
    const ctx = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${caller.token}` }, maxRedirects: 0 });
    for (const [key, need] of Object.entries(TOKEN_TABLE)) {
      const rule = TABLE[key]!;
      const [method, target] = key.split(' ') as [string, string];
      const scopeAllows = need === 'any' || (need !== 'never' && caller.scopes.includes(need));
      const expected: Outcome = !scopeAllows || !rule.allow.includes(caller.role) ? 'deny' : rule.notFound?.includes(caller.role) ? 'notfound' : 'allow';
      const res = await ctx.fetch((rule.path ?? target).replace(REQ, requestId), { method, ...(method === 'GET' ? {} : { data: {} }) });
      const status = res.status();
      const actual: Outcome =
        status === 401 || status === 403 || status >= 500 ? 'deny' : status === 404 && rule.notFound?.includes(caller.role) ? 'notfound' : 'allow';
      if (actual !== expected) failures.push(`${key} as ${caller.name}: ${actual} (${status}), expected ${expected}`);
      // A known token is never "not signed in": a refusal is 403 with the reason.
      if (expected === 'deny' && status !== 403) failures.push(`${key} as ${caller.name}: denied with ${status}, expected 403`);
    }
    await ctx.dispose();
  }
  expect(failures, 'unexpected answers to token callers').toEqual([]);
  // Nothing the refusals touched changed: the fixture request is still pending, undecided.
  const detail = (await (await engineer.get(`/api/v1/requests/${requestId}`)).json()) as { request: { status: string }; decisions: unknown[] };
  expect(detail).toMatchObject({ request: { status: 'PENDING' }, decisions: [] });
  for (const ctx of [admin, engineer, mine]) await ctx.dispose();
});

test('a personal API token opens no page and runs no server action: only the session cookie does', async ({ playwright }) => {
  test.setTimeout(120_000);
  const admin = await apiAs(playwright, USERS.ADMIN.id);
  const token = await tokenFor(admin, ['read', 'request', 'decide']);
  const ctx = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${token}` }, maxRedirects: 0 });
  const ids = actionIds();
  const failures: string[] = [];
  for (const [key, rule] of Object.entries(TABLE)) {
    const [kind, target] = key.split(' ') as [string, string];
    const anonymousAllowed = rule.allow.includes('anonymous');
    if (kind === 'page') {
      const res = await ctx.get((rule.path ?? target).replace(REQ, MISSING));
      const location = res.headers().location ?? '';
      // As anonymous: sent to sign in (the public sign-in page itself answers 200).
      if (anonymousAllowed ? res.status() !== 200 : !(res.status() >= 300 && res.status() < 400 && location.includes('/signin')))
        failures.push(`${key}: ${res.status()} ${location}`);
    } else if (kind === 'action') {
      const ref = ids.get(key)!;
      const res = await ctx.post(ref.page.replace('[id]', MISSING), {
        headers: { 'next-action': ref.id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component', origin: E2E_BASE_URL },
        data: JSON.stringify([null]),
      });
      const code = /"code":"([A-Z_]+)"/.exec(await res.text())?.[1] ?? `HTTP ${res.status()}`;
      if (code !== (anonymousAllowed ? 'BAD_REQUEST' : 'UNAUTHENTICATED')) failures.push(`${key}: ${code}`);
    }
  }
  expect(failures, 'pages or actions that took the token').toEqual([]);
  // The token page's own actions: making a token with a token is refused too (above), so a leaked
  // token cannot mint another. And a Bearer header that is not a valid token is a 401 even with a
  // valid session cookie beside it (the header alone counts).
  const cookie = await sessionCookie(USERS.ADMIN.id);
  const both = await playwright.request.newContext({
    baseURL: E2E_BASE_URL,
    extraHTTPHeaders: { authorization: `Bearer gth_${'B'.repeat(43)}`, cookie: `${cookie.name}=${cookie.value}` },
  });
  expect((await both.get('/api/v1/me')).status()).toBe(401);
  for (const c of [admin, ctx, both]) await c.dispose();
});
