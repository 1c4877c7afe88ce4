// Slack interactive approvals against the production build (docs/decisions/047): this spec plays
// Slack on port 3193 — users.info for the bot token the server has (e2e/serve.mjs), and the
// response_urls the server posts to — and sends clicks signed with the server's signing secret.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { APIRequestContext } from '@playwright/test';
import { E2E_BASE_URL } from './fixtures/constants';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

const SLACK_PORT = 3193;
const SIGNING_SECRET = 'e2e-only-slack-signing-secret-0123456789';
const BOT_TOKEN = 'xoxb-e2e-only';
const SLACK = `http://127.0.0.1:${SLACK_PORT}`;

/** Slack members as the local Slack knows them. */
const MEMBERS: Record<string, { email: string; confirmed: boolean }> = {
  USEOYEON: { email: 'seoyeon.park@example.com', confirmed: true },
  UMINJI: { email: 'minji.kim@example.com', confirmed: true },
  UNOTCONFIRMED: { email: 'lucas.meyer@example.com', confirmed: false },
};

interface Posted {
  path: string;
  body: { text: string; replace_original?: boolean; response_type?: string; blocks?: { type: string }[] };
}

test.describe.configure({ mode: 'serial' });

let server: http.Server;
const posted: Posted[] = [];

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', SLACK);
      if (req.method === 'GET' && url.pathname === '/api/users.info') {
        const member = MEMBERS[url.searchParams.get('user') ?? ''];
        const ok = req.headers.authorization === `Bearer ${BOT_TOKEN}` && member;
        const body = ok
          ? { ok: true, user: { id: url.searchParams.get('user'), is_email_confirmed: member.confirmed, profile: { email: member.email } } }
          : { ok: false, error: 'user_not_found' };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
      posted.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Posted['body'] });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(SLACK_PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function as(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, userId: string) {
  const cookie = await sessionCookie(userId);
  return playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` } });
}

/** Minji asks for a secret of an environment; the request's id. */
async function newRequest(minji: APIRequestContext, secretId: string): Promise<string> {
  const res = await minji.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId, justification: 'Checking the Slack approval flow', durationMinutes: 60 },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { request: { id: string } }).request.id;
}

/** The form body Slack sends for a click on a decision button of the message. */
function click(requestId: string, kind: 'APPROVE' | 'REJECT', user: string, responsePath: string): string {
  const payload = {
    type: 'block_actions',
    user: { id: user, team_id: 'T000' },
    team: { id: 'T000' },
    response_url: `${SLACK}${responsePath}`,
    actions: [{ action_id: kind === 'APPROVE' ? 'gatehouse_approve' : 'gatehouse_reject', value: JSON.stringify({ requestId, kind }), type: 'button' }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function signed(body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

test('a dev request approved from Slack: the same decision as the portal, audited as slack, the message updated in place', async ({
  playwright,
  page,
  loginAs,
}) => {
  const minji = await as(playwright, USERS.ENGINEER.id);
  const slack = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const id = await newRequest(minji, 'sec_dev_payments_stripe_api_key');

  // Unsigned, wrongly signed and stale: refused, the request still pending.
  const body = click(id, 'APPROVE', 'USEOYEON', `/actions/T000/${id}/approve`);
  expect((await slack.post('/api/slack/interactions', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: body })).status()).toBe(401);
  expect(
    (await slack.post('/api/slack/interactions', { headers: { ...signed(body), 'x-slack-signature': `v0=${'0'.repeat(64)}` }, data: body })).status(),
  ).toBe(401);
  expect((await slack.post('/api/slack/interactions', { headers: signed(body, Math.floor(Date.now() / 1000) - 600), data: body })).status()).toBe(401);
  // The requester cannot approve her own request from Slack either.
  const own = await slack.post('/api/slack/interactions', {
    headers: signed(click(id, 'APPROVE', 'UMINJI', '/actions/T000/own/x')),
    data: click(id, 'APPROVE', 'UMINJI', '/actions/T000/own/x'),
  });
  expect(((await own.json()) as { text: string }).text).toBe('🚫 You cannot approve or reject your own request.');
  await expect.poll(() => posted.find((p) => p.path === '/actions/T000/own/x')?.body.response_type).toBe('ephemeral');
  const pending = (await (await minji.get(`/api/v1/requests/${id}`)).json()) as { request: { status: string } };
  expect(pending.request.status).toBe('PENDING');

  const headers = signed(body);
  const approved = await slack.post('/api/slack/interactions', { headers, data: body });
  expect(approved.status()).toBe(200);
  // Sent again as it was: a replay.
  expect((await slack.post('/api/slack/interactions', { headers, data: body })).status()).toBe(409);

  const view = (await (await minji.get(`/api/v1/requests/${id}`)).json()) as { request: { status: string }; decisions: { approverName?: string }[] };
  // Approved, and its grant applied at once (ACTIVE) as after a portal approval.
  expect(['APPROVED', 'ACTIVE']).toContain(view.request.status);
  expect(view.decisions).toHaveLength(1);
  await expect
    .poll(() => posted.find((p) => p.path === `/actions/T000/${id}/approve`)?.body.text ?? '', { timeout: 10_000 })
    .toMatch(
      /^✅ Approved: \*Minji Kim\*'s request to read the secret `dev\/payments\/stripe-api-key` in \*DEV\* was approved by Seo-yeon Park \(1\/1 approvals\)\./,
    );
  expect(posted.find((p) => p.path === `/actions/T000/${id}/approve`)!.body.replace_original).toBe(true);

  const security = await as(playwright, USERS.SECURITY.id);
  const audit = (await (await security.get(`/api/v1/audit?request=${id}&action=request.approval`)).json()) as {
    events: { actorName: string; after: unknown }[];
  };
  expect(audit.events).toHaveLength(1);
  expect(audit.events[0]).toMatchObject({ actorName: 'Seo-yeon Park', after: { channel: 'slack', slackUserId: 'USEOYEON', capacity: 'SECURITY' } });

  // The requester's page shows it approved, as for a portal decision.
  await loginAs('ENGINEER');
  await page.goto(`/requests/${id}`);
  await expect(page.getByText('Seo-yeon Park').first()).toBeVisible();
});

test('prod is decided in the portal: a Slack click is refused with the link; an unknown Slack user is told so; nothing changes', async ({ playwright }) => {
  const minji = await as(playwright, USERS.ENGINEER.id);
  const slack = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  const prod = await newRequest(minji, 'sec_prod_payments_stripe_api_key');
  const prodClick = click(prod, 'APPROVE', 'USEOYEON', '/actions/T000/prod/x');
  const refused = await slack.post('/api/slack/interactions', { headers: signed(prodClick), data: prodClick });
  expect(((await refused.json()) as { text: string }).text).toBe(
    `🚫 A prod decision needs a fresh sign-in, which Slack cannot give: decide in Gatehouse. <${E2E_BASE_URL}/requests/${prod}|Review in Gatehouse>`,
  );

  const dev = await newRequest(minji, 'sec_dev_payments_stripe_api_key');
  for (const [user, message] of [
    ['UNOTCONFIRMED', /no confirmed e-mail address/],
    ['UNOBODY', /Gatehouse's Slack workspace has no such member/],
  ] as const) {
    const b = click(dev, 'APPROVE', user, `/actions/T000/${user}/x`);
    const res = await slack.post('/api/slack/interactions', { headers: signed(b), data: b });
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { text: string }).text).toMatch(message);
  }
  for (const id of [prod, dev]) {
    const view = (await (await minji.get(`/api/v1/requests/${id}`)).json()) as { request: { status: string }; decisions: unknown[] };
    expect(view).toMatchObject({ request: { status: 'PENDING' }, decisions: [] });
  }
});
