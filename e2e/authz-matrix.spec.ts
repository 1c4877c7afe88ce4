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
  'page /alarms/[name]': { allow: SIGNED_IN, path: '/alarms/serverless-dev-api-errors' },
  'page /iam-audit/baseline': only(...SEC),

  'GET /api/health': everyone,
  'GET /api/ping': everyone,
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
  'POST /api/v1/grants/[id]/give-back': { allow: SIGNED_IN, path: `/api/v1/grants/${MISSING}/give-back` },
  'POST /api/v1/grants/[id]/shorten': { allow: SIGNED_IN, path: `/api/v1/grants/${MISSING}/shorten` },
  'POST /api/v1/grants/[id]/revoke': { allow: SEC, path: `/api/v1/grants/${MISSING}/revoke` },
  'GET /api/v1/audit': only(...SEC),
  'GET /api/v1/audit/export': only(...SEC),
  'GET /api/v1/audit/verify': only(...SEC),
  'POST /api/v1/audit/verify': only(...SEC),
  'GET /api/v1/costs': signedIn,
  'GET /api/v1/alarms': signedIn,
  'GET /api/v1/alarms/[name]': { allow: SIGNED_IN, path: '/api/v1/alarms/serverless-dev-api-errors' },
  'GET /api/v1/alarms/[name]/metrics': { allow: SIGNED_IN, path: '/api/v1/alarms/serverless-dev-api-errors/metrics?range=3h' },
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
  'GET /api/v1/iam-audit/findings': only(...SEC),
  'POST /api/v1/iam-audit/baseline/[id]/approve': { allow: SEC, path: `/api/v1/iam-audit/baseline/${MISSING}/approve` },
  'POST /api/v1/iam-audit/baseline/[id]/reject': { allow: SEC, path: `/api/v1/iam-audit/baseline/${MISSING}/reject` },

  'action app/actions.ts#setLocaleAction': everyone,
  'action app/requests/actions.ts#createRequestAction': signedIn,
  'action app/requests/actions.ts#decideRequestAction': signedIn,
  'action app/requests/actions.ts#cancelRequestAction': signedIn,
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
  'action app/costs/actions.ts#refreshCostsAction': only('OPS', 'ADMIN'),
  'action app/alarms/actions.ts#setAlarmStateAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#planDeploymentAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#decideDeploymentAction': only('SECURITY', 'OPS', 'ADMIN'),
  'action app/deployments/actions.ts#executeDeploymentAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#detectDriftAction': only('OPS', 'ADMIN'),
  'action app/deployments/actions.ts#simulateDriftAction': only('OPS', 'ADMIN'),
  'action app/iam-audit/actions.ts#runScanAction': only(...SEC),
  'action app/iam-audit/baseline/actions.ts#proposeBaselineAction': only(...SEC),
  'action app/iam-audit/baseline/actions.ts#decideBaselineAction': only(...SEC),
  'action app/iam-audit/baseline/actions.ts#applyBaselineAction': only(...SEC),
};

const APP = path.resolve('app');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

/** The URL pattern of a file under app/ (route groups dropped). */
function routeOf(file: string): string {
  const segments = path.relative(APP, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
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

test('every page, route handler and server action in app/ is in the authorization table', () => {
  const discovered = discover();
  expect(discovered.filter((k) => !(k in TABLE)), 'entry points missing from the table').toEqual([]);
  expect(Object.keys(TABLE).filter((k) => !discovered.includes(k)), 'table rows for entry points that no longer exist').toEqual([]);
});

test('each entry point answers each caller exactly as the table says', async ({ playwright }) => {
  test.setTimeout(180_000);
  const contexts = new Map<Caller, APIRequestContext>();
  for (const caller of CALLERS) {
    const headers: Record<string, string> = { origin: E2E_BASE_URL };
    if (caller !== 'anonymous') {
      const cookie = await sessionCookie(USERS[caller].id);
      headers.cookie = `${cookie.name}=${cookie.value}`;
    }
    contexts.set(caller, await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: headers, maxRedirects: 0 }));
  }
  // A request of the ENGINEER's that only she, its approvers, security and admins may see.
  const mine = await contexts.get('ENGINEER')!.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_prod_payments_db_app_password', justification: 'Authorization matrix fixture, never approved', durationMinutes: 60 },
  });
  expect(mine.status()).toBe(201);
  const requestId = ((await mine.json()) as { request: { id: string } }).request.id;
  const concrete = (p: string) => p.replace(REQ, requestId);
  const ids = actionIds();

  const failures: string[] = [];
  for (const [key, rule] of Object.entries(TABLE)) {
    const [kind, target] = key.split(' ') as [string, string];
    for (const caller of CALLERS) {
      const expected: Outcome = !rule.allow.includes(caller) ? 'deny' : rule.notFound?.includes(caller) ? 'notfound' : 'allow';
      const ctx = contexts.get(caller)!;
      let actual: Outcome;
      let detail: string;
      if (kind === 'page') {
        const res = await ctx.get(concrete(rule.path ?? target));
        const location = res.headers().location ?? '';
        const status = res.status();
        detail = `${status} ${location}`;
        // The sign-in page sends signed-in users on: a redirect anywhere but /signin is "allow".
        actual = status === 404 ? 'notfound' : status === 403 ? 'deny' : status >= 300 && status < 400 ? (location.includes('/signin') ? 'deny' : 'allow') : status === 200 ? 'allow' : 'deny';
        if (expected === 'deny' && actual === 'deny' && (caller === 'anonymous' ? !location.includes('/signin') : status !== 403)) {
          failures.push(`${key} as ${caller}: denied with ${detail}, expected ${caller === 'anonymous' ? 'a redirect to /signin' : '403'}`);
        }
      } else if (kind === 'action') {
        const ref = ids.get(key);
        if (!ref) {
          failures.push(`${key}: not in the build's server-reference manifest (rebuild before the e2e suite)`);
          break;
        }
        // `null` fails every action's input schema, so an allowed caller gets BAD_REQUEST and nothing is written.
        const res = await ctx.post(concrete(ref.page.replace('[id]', REQ)), {
          headers: { 'next-action': ref.id, 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
          data: JSON.stringify([null]),
        });
        const body = await res.text();
        const code = /"code":"([A-Z_]+)"/.exec(body)?.[1] ?? `HTTP ${res.status()}`;
        detail = code;
        actual = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? 'deny' : code === 'NOT_FOUND' ? 'notfound' : code === 'BAD_REQUEST' || (res.status() === 200 && code.startsWith('HTTP')) ? 'allow' : 'deny';
      } else {
        const url = concrete(rule.path ?? target);
        const res = await ctx.fetch(url, { method: kind, ...(kind === 'GET' ? {} : { data: {} }) });
        detail = String(res.status());
        actual = res.status() === 401 || res.status() === 403 ? 'deny' : res.status() >= 500 ? 'deny' : 'allow';
        // Allowed callers asking for an object that is not theirs get 404.
        if (res.status() === 404 && rule.notFound?.includes(caller)) actual = 'notfound';
        // Anonymous callers are told to sign in (401), signed-in ones that they may not (403).
        if (expected === 'deny' && actual === 'deny' && res.status() !== (caller === 'anonymous' ? 401 : 403)) failures.push(`${key} as ${caller}: denied with ${res.status()}, expected ${caller === 'anonymous' ? 401 : 403}`);
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
  const created = await owner.post('/api/v1/requests', { data: { type: 'SECRET_READ', secretId: 'sec_prod_data_warehouse_readonly', justification: 'Quarterly report figures check', durationMinutes: 60 } });
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
  await expect.poll(async () => ((await (await owner.get(`/api/v1/requests/${id}`)).json()) as { grant?: { status: string } }).grant?.status, { timeout: 15_000 }).toBe('ACTIVE');
  const grantId = ((await (await owner.get(`/api/v1/requests/${id}`)).json()) as { grant: { id: string } }).grant.id;

  expect((await other.post(`/api/v1/grants/${grantId}/give-back`, { data: {} })).status()).toBe(404);
  expect((await other.post(`/api/v1/grants/${grantId}/shorten`, { data: { endsAt: new Date(Date.now() + 600_000).toISOString() } })).status()).toBe(404);
  expect((await other.post(`/api/v1/grants/${grantId}/revoke`, { data: { comment: 'not mine to revoke' } })).status()).toBe(403);
  // The owner still holds it, and gives it back.
  expect((await owner.post(`/api/v1/grants/${grantId}/give-back`, { data: {} })).status()).toBe(200);
  for (const ctx of [owner, other, security, lucas]) await ctx.dispose();
});
