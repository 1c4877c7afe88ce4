import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessStore } from '@/lib/access/ports';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { cancelRequest, createRequest, decideRequest, type AccessDeps } from '@/lib/access/service';
import type { Actor } from '@/lib/identity/actor';
import type { SlackPayload } from '@/lib/notifications/model';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { createNotificationOutbox } from '@/lib/server/db/repositories/notifications';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, testDatabaseKinds, seededAccountFor, signedIn } from '@/lib/server/db/test-databases';
import { deliverPendingNotifications } from '@/lib/server/notifications/deliver';
import { createLogNotifier } from '@/lib/server/notifications/log-notifier';
import { createSlackWebhookNotifier } from '@/lib/server/notifications/slack-webhook';
import { seed } from '@/prisma/seed';

const origin = { ip: '203.0.113.7', userAgent: 'vitest' };
const PORTAL = 'https://gatehouse.test';
const PROD_STRIPE = 'sec_prod_payments_stripe_api_key';
const DEV_STRIPE = 'sec_dev_payments_stripe_api_key';
const JUSTIFICATION = 'Debugging a failed payout batch (INC-42)';
const clock = new Date('2026-11-29T09:00:00Z');
const at = (ms: number) => new Date(clock.getTime() + ms);

function secretRead(secretId: string, extra: Partial<CreateRequestInput> = {}): CreateRequestInput {
  return { type: 'SECRET_READ', secretId, justification: JUSTIFICATION, durationMinutes: 60, breakGlass: false, ...extra } as CreateRequestInput;
}

type Answer = (res: http.ServerResponse) => void;
const ok: Answer = (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
const status =
  (code: number, body: string, headers: Record<string, string> = {}): Answer =>
  (res) =>
    res.writeHead(code, { 'content-type': 'text/plain', ...headers }).end(body);

/** A local stand-in for Slack's incoming webhook: records every POST and answers as told. */
async function startWebhookServer() {
  const posts: { path: string; contentType: string | undefined; body: SlackPayload; answered: number }[] = [];
  let answer: Answer = ok;
  let answerCode = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const respond = answer;
      // What the server is about to answer (a hanging answer records 0).
      const code = respond === hang ? 0 : answerCode;
      if (req.method === 'POST')
        posts.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'],
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackPayload,
          answered: code,
        });
      respond(res);
    });
  });
  const hang: Answer = () => {};
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/test-token`,
    posts,
    /** The POSTs the server accepted (2xx). */
    accepted: () => posts.filter((p) => p.answered >= 200 && p.answered < 300),
    answerWith(code: number, body = code === 200 ? 'ok' : 'error', headers: Record<string, string> = {}) {
      answerCode = code;
      answer = code === 200 ? ok : status(code, body, headers);
    },
    hang() {
      answer = hang;
    },
    /** Answers 200 after a delay, so that concurrent runs overlap. */
    slow(ms: number) {
      answerCode = 200;
      answer = (res) => void setTimeout(() => ok(res), ms);
    },
    reset() {
      posts.length = 0;
      answerCode = 200;
      answer = ok;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(testDatabaseKinds())('notifications on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: Awaited<ReturnType<typeof startWebhookServer>>;
  let store: AccessStore;
  let deps: AccessDeps;
  const users: Record<string, Actor> = {};
  const minji = () => users.usr_minji_kim!;
  const seoyeon = () => users.usr_seoyeon_park!;
  const lucas = () => users.usr_lucas_meyer!;
  const outbox = () => createNotificationOutbox(db.prisma);
  const slack = () => createSlackWebhookNotifier(server.url);
  const rowsFor = (requestId: string) => db.prisma.notification.findMany({ where: { requestId }, orderBy: { createdAt: 'asc' } });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    store = createAccessStore(db.prisma);
    deps = { store, now: () => clock, portalUrl: PORTAL, accountFor: seededAccountFor };
    for (const id of ['usr_minji_kim', 'usr_seoyeon_park', 'usr_lucas_meyer']) users[id] = (await findActiveActor(id, db.prisma))!;
    server = await startWebhookServer();
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.prisma.notification.deleteMany();
    server.reset();
    // A failed attempt warns; tests that care assert on the spy.
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('creating a request queues one approval_needed message, and delivery posts it once with the link', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    const [row, ...more] = await rowsFor(r.id);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      kind: 'approval_needed',
      status: 'PENDING',
      attempts: 0,
      nextAttemptAt: clock,
      createdAt: clock,
      sentAt: null,
      lastError: null,
    });
    const payload = row!.payload as unknown as SlackPayload;
    expect(payload.text).toBe(
      `⏳ Approval needed: *Minji Kim* asks to read the secret \`prod/payments/stripe-api-key\` in *PROD* (0/2 approvals). <${PORTAL}/requests/${r.id}|Open in Gatehouse>`,
    );
    // Names, ids and links only: not the requester's free text.
    expect(JSON.stringify(payload)).not.toContain('INC-42');

    expect(await deliverPendingNotifications(outbox(), slack(), clock)).toEqual({ sent: 1, retrying: 0, failed: 0, deferred: 0 });
    expect(server.posts).toHaveLength(1);
    expect(server.posts[0]).toMatchObject({ path: '/services/T000/B000/test-token', contentType: 'application/json', body: payload });
    expect(await db.prisma.notification.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ status: 'SENT', sentAt: clock, attempts: 1 });

    // Sent is sent: later runs post nothing.
    expect(await deliverPendingNotifications(outbox(), slack(), at(3_600_000))).toEqual({ sent: 0, retrying: 0, failed: 0, deferred: 0 });
    expect(server.posts).toHaveLength(1);
  });

  it('a creation that fails queues nothing: the message commits with the request or not at all', async () => {
    const requests = await db.prisma.accessRequest.count();
    // Fails inside the transaction, after the notification was written.
    const failing: AccessStore = {
      ...store,
      transaction: (work) =>
        store.transaction((tx) =>
          work({
            ...tx,
            async enqueueNotification(n) {
              await tx.enqueueNotification(n);
              throw new Error('disk full');
            },
          }),
        ),
    };
    await expect(createRequest({ ...deps, store: failing }, minji(), secretRead(PROD_STRIPE), origin)).rejects.toThrow('disk full');
    // Refused by the rule before any write.
    await expect(createRequest(deps, minji(), secretRead(PROD_STRIPE, { durationMinutes: 600 }), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await db.prisma.accessRequest.count()).toBe(requests);
    expect(await db.prisma.notification.count()).toBe(0);
  });

  it('Slack down: the message stays pending with one attempt, and a retry after recovery sends it exactly once', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    server.answerWith(500, 'internal_error');
    expect(await deliverPendingNotifications(outbox(), slack(), clock)).toEqual({ sent: 0, retrying: 1, failed: 0, deferred: 0 });
    const [failed] = await rowsFor(r.id);
    expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'Slack webhook answered 500: internal_error', sentAt: null });
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());
    expect(failed!.nextAttemptAt.getTime()).toBeLessThanOrEqual(clock.getTime() + 30_000);
    // The webhook URL is a credential: it is in neither the error nor the log.
    expect(failed!.lastError).not.toContain('test-token');
    expect(console.warn).toHaveBeenCalledTimes(1);
    expect(String(vi.mocked(console.warn).mock.calls[0]?.[0])).not.toContain('test-token');

    server.answerWith(200);
    // Not due yet: nothing is posted.
    expect(await deliverPendingNotifications(outbox(), slack(), clock)).toMatchObject({ sent: 0 });
    expect(server.posts).toHaveLength(1);
    expect(await deliverPendingNotifications(outbox(), slack(), at(30_000))).toMatchObject({ sent: 1 });
    expect(await deliverPendingNotifications(outbox(), slack(), at(7_200_000))).toMatchObject({ sent: 0 });
    expect(server.accepted()).toHaveLength(1);
    expect(server.accepted()[0]!.body.text).toContain(`<${PORTAL}/requests/${r.id}|Open in Gatehouse>`);
    expect(await db.prisma.notification.findUniqueOrThrow({ where: { id: failed!.id } })).toMatchObject({ status: 'SENT', attempts: 2, sentAt: at(30_000) });
  });

  it('an unreachable or silent webhook counts as a failed attempt', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    const closed = await startWebhookServer();
    await closed.close();
    expect(await deliverPendingNotifications(outbox(), createSlackWebhookNotifier(closed.url), clock)).toMatchObject({ retrying: 1 });
    expect((await rowsFor(r.id))[0]).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'Slack webhook unreachable: ECONNREFUSED' });

    server.hang();
    const started = Date.now();
    expect(await deliverPendingNotifications(outbox(), createSlackWebhookNotifier(server.url, { timeoutMs: 300 }), at(3_600_000))).toMatchObject({
      retrying: 1,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await rowsFor(r.id))[0]).toMatchObject({ status: 'PENDING', attempts: 2, lastError: 'Slack webhook unreachable: timed out' });
  });

  it('429 with Retry-After: 120 waits at least that long, and holds back the rest of the batch uncounted', async () => {
    const first = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    const second = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    server.answerWith(429, 'rate_limited', { 'retry-after': '120' });
    expect(await deliverPendingNotifications(outbox(), slack(), clock)).toEqual({ sent: 0, retrying: 1, failed: 0, deferred: 1 });
    expect(server.posts).toHaveLength(1);
    const [a] = await rowsFor(first.id);
    const [b] = await rowsFor(second.id);
    expect(a).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'Slack webhook answered 429: rate_limited' });
    expect(b).toMatchObject({ status: 'PENDING', attempts: 0, lastError: null });
    for (const row of [a!, b!]) expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.getTime() + 120_000);

    server.answerWith(200);
    expect(await deliverPendingNotifications(outbox(), slack(), at(119_000))).toMatchObject({ sent: 0 });
    expect(await deliverPendingNotifications(outbox(), slack(), at(a!.nextAttemptAt.getTime() - clock.getTime()))).toMatchObject({ sent: 2 });
    expect(server.accepted()).toHaveLength(2);
  });

  it('two delivery runs at the same time send each message once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await createRequest(deps, minji(), secretRead(i % 2 ? DEV_STRIPE : PROD_STRIPE), origin)).id);
    server.slow(25);
    const reports = await Promise.all([
      deliverPendingNotifications(outbox(), slack(), clock, 4),
      deliverPendingNotifications(outbox(), slack(), clock, 4),
      deliverPendingNotifications(outbox(), slack(), clock, 4),
    ]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(6);
    expect(server.posts).toHaveLength(6);
    const linked = server.posts.map((p) => ids.find((id) => p.body.text.includes(`/requests/${id}|`)));
    expect(new Set(linked).size).toBe(6);
    expect(await db.prisma.notification.count({ where: { status: 'SENT', attempts: 1 } })).toBe(6);
  });

  it.runIf(kind === 'postgres')('a run passes over rows another replica holds instead of waiting for them', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    await db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM notifications WHERE request_id = ${r.id} FOR UPDATE`;
      const started = Date.now();
      expect(await deliverPendingNotifications(outbox(), slack(), clock)).toMatchObject({ sent: 0 });
      expect(Date.now() - started).toBeLessThan(2_000);
    });
    expect(await deliverPendingNotifications(outbox(), slack(), clock)).toMatchObject({ sent: 1 });
    expect(server.posts).toHaveLength(1);
  });

  it('a decision that ends the request tells the requester, by name; a partial approval or a cancellation does not', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    await decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: 'ok' }, origin);
    expect((await rowsFor(r.id)).map((n) => n.kind)).toEqual(['approval_needed']);
    await decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: 'fine' }, origin);
    const decided = (await rowsFor(r.id)).filter((n) => n.kind === 'request_decided');
    expect(decided).toHaveLength(1);
    expect((decided[0]!.payload as unknown as SlackPayload).text).toBe(
      `✅ Request approved: *Minji Kim*, your request to read the secret \`prod/payments/stripe-api-key\` in *PROD* was approved by Lucas Meyer (2/2 approvals). <${PORTAL}/requests/${r.id}|Open in Gatehouse>`,
    );

    const rejected = await createRequest(
      deps,
      minji(),
      { type: 'ROLE', roleId: 'role_payments_dev_deployer', justification: 'Deploy a hotfix', durationMinutes: 60, breakGlass: false } as CreateRequestInput,
      origin,
    );
    await decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: rejected.id, kind: 'REJECT', comment: 'use CI' }, origin);
    const [, rejection] = await rowsFor(rejected.id);
    expect(rejection!.kind).toBe('request_decided');
    expect((rejection!.payload as unknown as SlackPayload).text).toMatch(
      /^❌ Request rejected: \*Minji Kim\*, your request to use the role `payments\/dev\/deployer` in \*DEV\* was rejected by Seo-yeon Park\. /,
    );
    expect(JSON.stringify(rejection!.payload)).not.toContain('use CI');

    const cancelled = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    await cancelRequest(deps, minji(), { requestId: cancelled.id, comment: '' }, origin);
    expect((await rowsFor(cancelled.id)).map((n) => n.kind)).toEqual(['approval_needed']);

    expect(await deliverPendingNotifications(outbox(), slack(), clock)).toMatchObject({ sent: 5 });
  });

  it('break-glass queues a 🚨 message saying it was approved automatically and needs review', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE, { breakGlass: true, breakGlassReason: 'Payments API down' }), origin);
    const rows = await rowsFor(r.id);
    expect(rows.map((n) => n.kind)).toEqual(['break_glass_review']);
    const text = (rows[0]!.payload as unknown as SlackPayload).text;
    expect(text).toMatch(
      /^🚨 Break-glass access: \*Minji Kim\* used break-glass to read the secret `prod\/payments\/stripe-api-key` in \*PROD\*\. It was approved automatically and needs the security team's review\. /,
    );
    expect(text).not.toContain('Payments API down');
  });

  it('gives up after eight failed attempts, loudly', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    server.answerWith(500, 'internal_error');
    for (let attempt = 1; attempt <= 8; attempt++) {
      const report = await deliverPendingNotifications(outbox(), slack(), at(attempt * 7_200_000));
      expect(report).toMatchObject(attempt < 8 ? { retrying: 1 } : { failed: 1 });
    }
    expect((await rowsFor(r.id))[0]).toMatchObject({ status: 'FAILED', attempts: 8 });
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/gave up on approval_needed notification .* after 8 attempts: Slack webhook answered 500/);
    server.answerWith(200);
    expect(await deliverPendingNotifications(outbox(), slack(), at(100 * 3_600_000))).toMatchObject({ sent: 0 });
    expect(server.posts).toHaveLength(8);
  });

  it('without a webhook the message is logged, one line without the free text, and marked sent', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    expect(await deliverPendingNotifications(outbox(), createLogNotifier(), clock)).toMatchObject({ sent: 1 });
    expect(info).toHaveBeenCalledTimes(1);
    const line = String(info.mock.calls[0]?.[0]);
    expect(line).toMatch(/^\[notifications\] \(no SLACK_WEBHOOK_URL; logged only\) ⏳ Approval needed: \*Minji Kim\* asks to read the secret/);
    expect(line).toContain(`<${PORTAL}/requests/${r.id}|Open in Gatehouse>`);
    expect(line).not.toContain('\n');
    expect(line).not.toContain('INC-42');
    expect((await rowsFor(r.id))[0]).toMatchObject({ status: 'SENT' });
    expect(server.posts).toHaveLength(0);
  });
});
