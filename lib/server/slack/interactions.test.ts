import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { createRequest, type AccessDeps } from '@/lib/access/service';
import type { Actor } from '@/lib/identity/actor';
import type { SlackButton, SlackPayload } from '@/lib/notifications/model';
import { signSlackRequest } from '@/lib/slack/signature';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { createNotificationOutbox } from '@/lib/server/db/repositories/notifications';
import { recordSlackInteraction } from '@/lib/server/db/repositories/slack-interactions';
import { findActiveActor, findActiveActorByEmail } from '@/lib/server/db/repositories/users';
import { createTestDatabase, seededAccountFor, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { deliverPendingNotifications } from '@/lib/server/notifications/deliver';
import { createSlackWebhookNotifier } from '@/lib/server/notifications/slack-webhook';
import { createSlackInteractionsHandler, type SlackInteractionsDeps } from '@/lib/server/slack/interactions';
import { seed } from '@/prisma/seed';

// The interactions endpoint against a real database, with a local HTTP server playing Slack: it
// receives the webhook's "approval needed" message (with its buttons), answers users.info, and
// receives what the portal posts to a click's response_url. Every click is signed as Slack signs it.

const SECRET = 'slack-test-signing-secret-0123456789';
const BOT_TOKEN = 'xoxb-test-token';
const PORTAL = 'https://gatehouse.test';
const clock = new Date('2026-12-07T09:00:00Z');
const origin = { ip: '203.0.113.7', userAgent: 'vitest' };

/** Slack users as the local Slack knows them (users.info). */
const SLACK_USERS: Record<string, { email: string; confirmed: boolean; deleted?: boolean; stranger?: boolean }> = {
  USEOYEON: { email: 'Seoyeon.Park@example.com', confirmed: true },
  UMINJI: { email: 'minji.kim@example.com', confirmed: true },
  UHYUNWOO: { email: 'hyunwoo.lee@example.com', confirmed: true },
  UTOMAS: { email: 'tomas.novak@example.com', confirmed: true },
  UUNCONFIRMED: { email: 'lucas.meyer@example.com', confirmed: false },
  USTRANGER: { email: 'someone@elsewhere.example', confirmed: true },
  // Seo-yeon's address, but a Slack Connect user of another organisation, and a deleted account.
  UEXTERNAL: { email: 'seoyeon.park@example.com', confirmed: true, stranger: true },
  UDELETED: { email: 'seoyeon.park@example.com', confirmed: true, deleted: true },
};
/** SLACK_USER_MAP: explicit, checked before users.info. */
const USER_MAP = new Map([['ULUCASMAP', 'lucas.meyer@example.com']]);

interface Received {
  path: string;
  body: SlackPayload;
}

/** A local stand-in for Slack: the incoming webhook, response_urls, and the Web API's users.info. */
async function startSlack() {
  const webhook: Received[] = [];
  const responses: Received[] = [];
  const lookups: { user: string | null; authorization: string | undefined }[] = [];
  let responseStatus = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://slack.local');
      if (req.method === 'GET' && url.pathname === '/api/users.info') {
        const user = url.searchParams.get('user');
        lookups.push({ user, authorization: req.headers.authorization });
        const known = user ? SLACK_USERS[user] : undefined;
        const body =
          req.headers.authorization !== `Bearer ${BOT_TOKEN}`
            ? { ok: false, error: 'invalid_auth' }
            : known
              ? {
                  ok: true,
                  user: {
                    id: user,
                    deleted: known.deleted ?? false,
                    is_bot: false,
                    is_stranger: known.stranger ?? false,
                    is_email_confirmed: known.confirmed,
                    profile: { email: known.email },
                  },
                }
              : { ok: false, error: 'user_not_found' };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackPayload;
      if (url.pathname.startsWith('/services/')) {
        webhook.push({ path: url.pathname, body });
        res.writeHead(200).end('ok');
      } else {
        responses.push({ path: url.pathname, body });
        res.writeHead(responseStatus).end(responseStatus === 200 ? 'ok' : 'internal_error');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    webhookUrl: `${base}/services/T000/B000/test-token`,
    webhook,
    responses,
    lookups,
    answerResponsesWith(status: number) {
      responseStatus = status;
    },
    reset() {
      webhook.length = 0;
      responses.length = 0;
      lookups.length = 0;
      responseStatus = 200;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(testDatabaseKinds())('Slack interactions on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let slack: Awaited<ReturnType<typeof startSlack>>;
  let access: AccessDeps;
  let minji: Actor;
  let decided: string[];
  let handler: (request: Request) => Promise<Response>;
  let responseCount = 0;

  const outbox = () => createNotificationOutbox(db.prisma);
  const deliver = () => deliverPendingNotifications(outbox(), createSlackWebhookNotifier(slack.webhookUrl), clock);

  function handlerWith(overrides: Partial<SlackInteractionsDeps> = {}) {
    return createSlackInteractionsHandler({
      signingSecret: SECRET,
      now: () => clock,
      access: () => access,
      directory: { userMap: USER_MAP, botToken: BOT_TOKEN, apiUrl: `${slack.base}/api`, findUserByEmail: (email) => findActiveActorByEmail(email, db.prisma) },
      trustedProxies: 0,
      responseUrlOrigins: ['https://hooks.slack.com', slack.base],
      recordInteraction: (signature, expiresAt, now) => recordSlackInteraction(signature, expiresAt, now, db.prisma),
      afterDecision: (status, requestId) => decided.push(`${status} ${requestId}`),
      respond: (url, payload) => createSlackWebhookNotifier(url).send(payload),
      ...overrides,
    });
  }

  /** What a change would have written: a decision, an audit event, a message, a grant, a request's status. */
  async function writes() {
    return {
      decisions: await db.prisma.decision.count(),
      audit: await db.prisma.auditEvent.count(),
      notifications: await db.prisma.notification.count(),
      grants: await db.prisma.grant.count(),
      pending: await db.prisma.accessRequest.count({ where: { status: 'PENDING' } }),
    };
  }

  /** A new request of Minji's, and its "approval needed" message as the local Slack received it. */
  async function requestWithMessage(secretId: string) {
    const request = await createRequest(
      access,
      minji,
      {
        type: 'SECRET_READ',
        secretId,
        justification: 'Debugging a failed payout batch (INC-42)',
        durationMinutes: 60,
        breakGlass: false,
      } as CreateRequestInput,
      origin,
    );
    await deliver();
    const message = slack.webhook.find((m) => m.body.text.includes(`/requests/${request.id}|`));
    expect(message, 'the webhook received the message').toBeDefined();
    const buttons = message!.body.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    return { request, buttons };
  }

  /** A block_actions payload for a click on `button` by a Slack user, form-encoded as Slack sends it. */
  function clickBody(button: SlackButton, slackUserId: string, responsePath = `/actions/T000/${++responseCount}/token`) {
    const payload = {
      type: 'block_actions',
      user: { id: slackUserId, username: slackUserId.toLowerCase(), team_id: 'T000' },
      api_app_id: 'A000',
      team: { id: 'T000', domain: 'example' },
      container: { type: 'message', message_ts: '1733562000.000100', channel_id: 'C000', is_ephemeral: false },
      trigger_id: '123.456.abc',
      channel: { id: 'C000', name: 'approvals' },
      response_url: `${slack.base}${responsePath}`,
      actions: [{ action_id: button.action_id, block_id: 'b1', value: button.value, type: 'button', action_ts: '1733562001.000200' }],
    };
    return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  }

  function post(body: string, headers: Record<string, string | null> = {}) {
    const timestamp = String(Math.floor(clock.getTime() / 1000));
    const h: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(SECRET, timestamp, body),
    };
    for (const [k, v] of Object.entries(headers)) {
      if (v === null) delete h[k];
      else h[k] = v;
    }
    return handler(new Request('https://gatehouse.test/api/slack/interactions', { method: 'POST', headers: h, body }));
  }

  const button = (buttons: SlackButton[], action: string) => buttons.find((b) => b.action_id === action)!;

  /** Waits for the ephemeral answer the portal posts after answering (best effort, not awaited by the handler). */
  async function answerAt(path: string): Promise<SlackPayload> {
    await vi.waitFor(() => expect(slack.responses.find((r) => r.path === path)).toBeDefined(), { timeout: 2_000 });
    return slack.responses.find((r) => r.path === path)!.body;
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    access = { store: createAccessStore(db.prisma), now: () => clock, portalUrl: PORTAL, accountFor: seededAccountFor };
    minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    slack = await startSlack();
  });
  afterAll(async () => {
    await slack.close();
    await db.drop();
  });
  beforeEach(async () => {
    slack.reset();
    decided = [];
    handler = handlerWith();
    // users.info failures and unanswered response_urls warn; tests that care assert on the spy.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('dev: the message carries Approve and Reject; a signed click approves through the portal rules, audited as slack, and the message is updated in place', async () => {
    const { request, buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    expect(buttons.map((b) => b.action_id)).toEqual(['gatehouse_approve', 'gatehouse_reject']);
    expect(JSON.parse(button(buttons, 'gatehouse_approve').value!)).toEqual({ requestId: request.id, kind: 'APPROVE' });

    const res = await post(clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON', '/actions/T000/approve-1/token'));
    expect(res.status).toBe(200);
    expect(decided).toEqual([`APPROVED ${request.id}`]);
    // Matched by the confirmed e-mail users.info gave, asked with the bot token.
    expect(slack.lookups).toEqual([{ user: 'USEOYEON', authorization: `Bearer ${BOT_TOKEN}` }]);

    const row = await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id }, select: { status: true } });
    expect(row.status).toBe('APPROVED');
    const decision = await db.prisma.decision.findFirstOrThrow({ where: { requestId: request.id } });
    expect(decision).toMatchObject({ approverId: 'usr_seoyeon_park', kind: 'APPROVE', capacity: 'SECURITY', comment: '' });
    const audit = await db.prisma.auditEvent.findMany({ where: { requestId: request.id }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['request.created', 'request.approval', 'request.approved', 'grant.created']);
    expect(audit[1]).toMatchObject({
      actorId: 'usr_seoyeon_park',
      actorName: 'Seo-yeon Park',
      userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
      after: { capacity: 'SECURITY', comment: '', approvals: 1, required: 1, channel: 'slack', slackUserId: 'USEOYEON' },
    });
    expect(await db.prisma.grant.count({ where: { requestId: request.id } })).toBe(1);

    // The update is queued with the decision, then posted to the response_url: replaced in place.
    const update = await db.prisma.notification.findFirstOrThrow({ where: { requestId: request.id, kind: 'slack_decision_update' } });
    expect(update.targetUrl).toBe(`${slack.base}/actions/T000/approve-1/token`);
    await deliver();
    const [replaced] = slack.responses.filter((r) => r.path === '/actions/T000/approve-1/token');
    expect(replaced!.body).toMatchObject({ replace_original: true });
    expect(replaced!.body.text).toMatch(
      /^✅ Approved: \*Minji Kim\*'s request to read the secret `dev\/payments\/stripe-api-key` in \*DEV\* was approved by Seo-yeon Park \(1\/1 approvals\)\./,
    );
    expect(replaced!.body.blocks.some((b) => b.type === 'actions')).toBe(false);
    // The webhook got the requester's "approved" message; the response_url is forgotten once used.
    expect(slack.webhook.some((m) => m.body.text.startsWith('✅ Request approved') && m.body.text.includes(request.id))).toBe(true);
    expect((await db.prisma.notification.findUniqueOrThrow({ where: { id: update.id } })).targetUrl).toBeNull();
  });

  it('staging: Reject through the explicit SLACK_USER_MAP, updated in place as rejected', async () => {
    const { request, buttons } = await requestWithMessage('sec_staging_payments_stripe_api_key');
    const res = await post(clickBody(button(buttons, 'gatehouse_reject'), 'ULUCASMAP', '/actions/T000/reject-1/token'));
    expect(res.status).toBe(200);
    expect(slack.lookups).toEqual([]);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('REJECTED');
    expect(await db.prisma.decision.findFirstOrThrow({ where: { requestId: request.id } })).toMatchObject({ approverId: 'usr_lucas_meyer', kind: 'REJECT' });
    await deliver();
    expect(slack.responses.find((r) => r.path === '/actions/T000/reject-1/token')!.body.text).toMatch(
      /^❌ Rejected: .* in \*STAGING\* was rejected by Lucas Meyer\./,
    );
  });

  it('a bad signature, a stale or future timestamp and missing headers are 401 and write nothing', async () => {
    const { buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    const body = clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON');
    const before = await writes();
    const seen = await db.prisma.slackInteraction.count();
    const now = Math.floor(clock.getTime() / 1000);
    const cases: [Record<string, string | null>, RegExp][] = [
      [{ 'x-slack-signature': signSlackRequest('another-secret-0123456789abcdef', String(now), body) }, /signature does not match/],
      [{ 'x-slack-signature': 'v0=' + '0'.repeat(64) }, /signature does not match/],
      [
        { 'x-slack-request-timestamp': String(now - 301), 'x-slack-signature': signSlackRequest(SECRET, String(now - 301), body) },
        /older \(or newer\) than five minutes/,
      ],
      [
        { 'x-slack-request-timestamp': String(now + 301), 'x-slack-signature': signSlackRequest(SECRET, String(now + 301), body) },
        /older \(or newer\) than five minutes/,
      ],
      [{ 'x-slack-signature': null }, /X-Slack-Signature and X-Slack-Request-Timestamp are required/],
      [{ 'x-slack-request-timestamp': null }, /X-Slack-Signature and X-Slack-Request-Timestamp are required/],
    ];
    for (const [headers, message] of cases) {
      const res = await post(body, headers);
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });
    }
    // A signed body changed on the way (another request id) is refused too.
    const tampered = body.replace(/req_|c[a-z0-9]{10}/, 'x');
    const res = await post(tampered, { 'x-slack-signature': signSlackRequest(SECRET, String(now), body) });
    expect(res.status).toBe(401);
    expect(await writes()).toEqual(before);
    expect(await db.prisma.slackInteraction.count()).toBe(seen);
    expect(slack.lookups).toEqual([]);
    expect(decided).toEqual([]);
  });

  it('a replayed click is refused (409) and writes nothing more', async () => {
    const { request, buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    const body = clickBody(button(buttons, 'gatehouse_reject'), 'USEOYEON');
    expect((await post(body)).status).toBe(200);
    const after = await writes();
    const replay = await post(body);
    expect(replay.status).toBe(409);
    expect((await replay.json()).error).toEqual({ code: 'CONFLICT', message: 'This Slack request was already handled: a replay is refused.' });
    // Another replica sees the same table: a second handler refuses it as well.
    expect(
      (await handlerWith()(new Request('https://gatehouse.test/api/slack/interactions', { method: 'POST', headers: signedHeaders(body), body }))).status,
    ).toBe(409);
    expect(await writes()).toEqual(after);
    expect(await db.prisma.decision.count({ where: { requestId: request.id } })).toBe(1);
  });

  function signedHeaders(body: string): Record<string, string> {
    const timestamp = String(Math.floor(clock.getTime() / 1000));
    return {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(SECRET, timestamp, body),
    };
  }

  it('an unknown Slack user gets an answer for them only, and nothing is decided', async () => {
    const { request, buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    const before = await writes();
    const cases: [string, RegExp][] = [
      ['UNOBODY', /Gatehouse's Slack workspace has no such member/],
      ['USTRANGER', /No active Gatehouse user has the e-mail address of your Slack account/],
      ['UUNCONFIRMED', /no confirmed e-mail address/],
      ['UEXTERNAL', /This Slack account cannot decide in Gatehouse/],
      ['UDELETED', /This Slack account cannot decide in Gatehouse/],
    ];
    for (const [user, message] of cases) {
      const path = `/actions/T000/${user}/token`;
      const res = await post(clickBody(button(buttons, 'gatehouse_approve'), user, path));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(message) });
      expect(await answerAt(path)).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: expect.stringMatching(message) });
    }
    // Slack's API down: the person is told to try again, nothing is decided.
    handler = handlerWith({
      directory: {
        userMap: USER_MAP,
        botToken: BOT_TOKEN,
        apiUrl: 'http://127.0.0.1:9/api',
        findUserByEmail: (email) => findActiveActorByEmail(email, db.prisma),
      },
    });
    expect((await (await post(clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON'))).json()).text).toMatch(/could not ask Slack who you are; try again/);
    // Without a bot token, only the map identifies anyone.
    handler = handlerWith({
      directory: { userMap: USER_MAP, apiUrl: `${slack.base}/api`, findUserByEmail: (email) => findActiveActorByEmail(email, db.prisma) },
    });
    const res = await post(clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON'));
    expect((await res.json()).text).toMatch(/ask an admin to map your Slack user id \(USEOYEON\) in SLACK_USER_MAP/);
    expect(await writes()).toEqual(before);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING');
    expect(decided).toEqual([]);
  });

  it('users who may not decide are told why, as in the portal, and nothing is written: the requester, an admin not on the list, ops', async () => {
    const { request, buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    const before = await writes();
    const cases: [string, string][] = [
      ['UMINJI', '🚫 You cannot approve or reject your own request.'],
      ['UHYUNWOO', '🚫 You are not one of the approvers of this request.'],
      ['UTOMAS', '🚫 No such request.'],
    ];
    for (const [user, text] of cases) {
      const path = `/actions/T000/${user}-ineligible/token`;
      const res = await post(clickBody(button(buttons, 'gatehouse_approve'), user, path));
      expect(res.status).toBe(200);
      expect((await res.json()).text).toBe(text);
      expect((await answerAt(path)).text).toBe(text);
    }
    expect(await writes()).toEqual(before);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('PENDING');
  });

  it('a security user demoted since the request was made is refused at decision time', async () => {
    const { buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    await db.prisma.user.update({ where: { id: 'usr_seoyeon_park' }, data: { roles: ['ENGINEER'] } });
    try {
      const before = await writes();
      const res = await post(clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON'));
      expect((await res.json()).text).toBe('🚫 You no longer hold the SECURITY role, so your decision cannot count.');
      expect(await writes()).toEqual(before);
    } finally {
      await db.prisma.user.update({ where: { id: 'usr_seoyeon_park' }, data: { roles: ['SECURITY'] } });
    }
  });

  it('a decided request refuses a second click from another approver', async () => {
    const { buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    expect((await post(clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON'))).status).toBe(200);
    const before = await writes();
    const res = await post(clickBody(button(buttons, 'gatehouse_reject'), 'ULUCASMAP'));
    expect((await res.json()).text).toBe('🚫 The request is already approved.');
    expect(await writes()).toEqual(before);
  });

  it('prod: the message links to the portal instead; a forged Approve is refused with the link (step-up), and nothing is written', async () => {
    const { request, buttons } = await requestWithMessage('sec_prod_payments_stripe_api_key');
    expect(buttons).toEqual([
      { type: 'button', action_id: 'gatehouse_open', text: { type: 'plain_text', text: 'Review in Gatehouse' }, url: `${PORTAL}/requests/${request.id}` },
    ]);
    const before = await writes();
    // The link button's click is only acknowledged.
    const open = await post(clickBody(buttons[0]!, 'USEOYEON'));
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('');
    // A click crafted with an Approve action for the prod request (an eligible approver, correctly signed).
    const forged: SlackButton = {
      type: 'button',
      action_id: 'gatehouse_approve',
      text: { type: 'plain_text', text: 'Approve' },
      value: JSON.stringify({ requestId: request.id, kind: 'APPROVE' }),
    };
    const res = await post(clickBody(forged, 'USEOYEON'));
    expect((await res.json()).text).toBe(
      `🚫 A prod decision needs a fresh sign-in, which Slack cannot give: decide in Gatehouse. <${PORTAL}/requests/${request.id}|Review in Gatehouse>`,
    );
    expect(await writes()).toEqual(before);
    expect(decided).toEqual([]);
  });

  it('a failed update of the message does not lose the decision: it stays queued and is retried', async () => {
    const { request, buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    slack.answerResponsesWith(500);
    expect((await post(clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON', '/actions/T000/flaky/token'))).status).toBe(200);
    expect(await deliver()).toMatchObject({ retrying: 1 });
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('APPROVED');
    const update = await db.prisma.notification.findFirstOrThrow({ where: { requestId: request.id, kind: 'slack_decision_update' } });
    expect(update).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'Slack response_url answered 500: internal_error' });
    slack.answerResponsesWith(200);
    expect(await deliverPendingNotifications(outbox(), createSlackWebhookNotifier(slack.webhookUrl), update.nextAttemptAt)).toMatchObject({ sent: 1 });
    expect(slack.responses.filter((r) => r.path === '/actions/T000/flaky/token').at(-1)!.body.text).toMatch(/^✅ Approved/);
  });

  it('a response_url outside Slack is not followed: the decision stands, no update is queued', async () => {
    const { request, buttons } = await requestWithMessage('sec_dev_payments_stripe_api_key');
    const body = clickBody(button(buttons, 'gatehouse_approve'), 'USEOYEON').replace(
      encodeURIComponent(slack.base),
      encodeURIComponent('https://attacker.example'),
    );
    expect((await post(body)).status).toBe(200);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('APPROVED');
    expect(await db.prisma.notification.count({ where: { requestId: request.id, kind: 'slack_decision_update' } })).toBe(0);
  });

  it('is 404 with a clear message when no signing secret is configured, and 400 for a signed body that is not a click', async () => {
    handler = handlerWith({ signingSecret: undefined });
    const res = await post('payload=%7B%7D');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/Slack interactivity is not configured on this portal: set SLACK_SIGNING_SECRET/);
    handler = handlerWith();
    for (const body of ['', 'payload=not-json', `payload=${encodeURIComponent('{"type":"view_submission"}')}`]) {
      const bad = await post(body);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('BAD_REQUEST');
    }
    const big = await post(`payload=${'a'.repeat(300 * 1024)}`);
    expect(big.status).toBe(413);
  });
});
