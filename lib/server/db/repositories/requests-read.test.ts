import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, decideRequest } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { listRequestsSchema } from '@/lib/access/schemas';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { countNavBadges } from '@/lib/server/db/repositories/nav-counts';
import { HISTORY_CAP, listApprovalQueue, listRequests, listRequestsJson, requesterHistory } from '@/lib/server/db/repositories/requests-read';
import { setUserRoles } from '@/lib/server/identity';
import { createIdentityStore } from '@/lib/server/db/repositories/identity-write';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, testDatabaseKinds, seededAccountFor, signedIn } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

describe.each(testDatabaseKinds())('request lists on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const created: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const daniel = (await findActiveActor('usr_daniel_okafor', db.prisma))!;
    const seoyeon = (await findActiveActor('usr_seoyeon_park', db.prisma))!;
    // Created in quick succession; the (created_at, id) keyset breaks any tie between equal times.
    for (let i = 0; i < 8; i++) {
      const now = new Date(Date.UTC(2026, 10, 29, 9, Math.floor(i / 2)));
      const deps = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => now };
      const r = await createRequest(
        deps,
        i % 3 === 0 ? daniel : minji,
        {
          type: 'SECRET_READ',
          secretId: i % 2 ? 'sec_dev_payments_stripe_api_key' : 'sec_prod_payments_stripe_api_key',
          justification: `List test request ${i}`,
          durationMinutes: 60,
          breakGlass: false,
        } as CreateRequestInput,
        null,
      );
      if (i === 5) await decideRequest(deps, signedIn(seoyeon, deps.now()), { requestId: r.id, kind: 'REJECT', comment: '' }, null);
      created.push(r.id);
    }
  });
  afterAll(async () => db.drop());

  it('pages through everything newest first with keyset cursors, no gaps, no repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await listRequests(listRequestsSchema.parse({ scope: 'all', limit: 3, cursor }), null, db.prisma);
      seen.push(...res.requests.map((r) => r.id));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    const expected = (await db.prisma.accessRequest.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })).map((r) => r.id);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(8);
  });

  it('filters by requester, status and environment', async () => {
    const mine = await listRequests(listRequestsSchema.parse({}), 'usr_daniel_okafor', db.prisma);
    expect(mine.requests.map((r) => r.id).sort()).toEqual([created[0], created[3], created[6]].sort());
    const rejected = await listRequests(listRequestsSchema.parse({ scope: 'all', status: 'REJECTED' }), null, db.prisma);
    expect(rejected.requests.map((r) => r.id)).toEqual([created[5]]);
    const prod = await listRequests(listRequestsSchema.parse({ scope: 'all', environment: 'PROD', limit: 100 }), null, db.prisma);
    expect(prod.requests).toHaveLength(4);
    expect(prod.requests.every((r) => r.environment === 'PROD' && r.target === 'prod/payments/stripe-api-key')).toBe(true);
  });

  it('shows role targets, decisions and a break-glass review in the list row', async () => {
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const lucas = (await findActiveActor('usr_lucas_meyer', db.prisma))!;
    const now = new Date(Date.UTC(2026, 10, 29, 9, 30));
    const deps = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => now };
    const role = await createRequest(
      deps,
      minji,
      {
        type: 'ROLE',
        roleId: 'role_payments_prod_on_call',
        justification: 'On-call this week, need the role',
        durationMinutes: 60,
        breakGlass: false,
      } as CreateRequestInput,
      null,
    );
    await decideRequest(deps, signedIn(lucas, deps.now()), { requestId: role.id, kind: 'APPROVE', comment: '' }, null);
    const glass = await createRequest(
      deps,
      minji,
      {
        type: 'SECRET_READ',
        secretId: 'sec_prod_payments_stripe_api_key',
        justification: 'Payments down, need the key',
        durationMinutes: 30,
        breakGlass: true,
        breakGlassReason: 'Payments API is down since 09:25',
      } as CreateRequestInput,
      null,
    );
    const { reviewBreakGlass } = await import('@/lib/access/service');
    await reviewBreakGlass(deps, lucas, { requestId: glass.id, outcome: 'ESCALATED', comment: 'Why no runbook?' }, null);
    const register = await createRequest(
      deps,
      minji,
      {
        type: 'SECRET_REGISTER',
        environment: 'DEV',
        teamId: 'team_payments',
        secretName: 'list-row-key',
        description: 'Shown by name in lists',
        justification: 'A new key for the list test',
        durationMinutes: 60,
        breakGlass: false,
      } as CreateRequestInput,
      null,
    );
    const { requests } = await listRequests(listRequestsSchema.parse({ limit: 3 }), 'usr_minji_kim', db.prisma);
    const [reg, g, r] = requests;
    expect(reg).toMatchObject({ id: register.id, type: 'SECRET_REGISTER', target: 'dev/payments/list-row-key', status: 'PENDING', approvals: 0 });
    expect(r).toMatchObject({
      id: role.id,
      type: 'ROLE',
      target: 'payments/prod/on-call',
      approvals: 1,
      approvalsRequired: 2,
      requesterName: 'Minji Kim',
      teamName: 'Payments',
      breakGlassReviewOutcome: null,
    });
    expect(g).toMatchObject({ id: glass.id, breakGlass: true, status: 'APPROVED', breakGlassReviewOutcome: 'ESCALATED', durationMinutes: 30 });
    // A summary: what the list shows, not the whole record (the detail has that).
    expect(Object.keys(g!)).not.toContain('justification');
    expect(Object.keys(g!)).not.toContain('eligibleSecurityIds');
    expect(Math.abs(g!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(g!.pendingExpiresAt).toBeInstanceOf(Date);
  });

  it('the JSON the database writes is the JSON of the objects: ISO times in UTC with milliseconds, nulls, numbers', async () => {
    const filter = listRequestsSchema.parse({ scope: 'all', limit: 4 });
    const text = await listRequestsJson(filter, null, db.prisma);
    const objects = await listRequests(filter, null, db.prisma);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(objects)));
    const first = (JSON.parse(text) as { requests: Record<string, unknown>[] }).requests[0]!;
    expect(first.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(first.createdAt as string).toISOString()).toBe(first.createdAt);
    expect(first.decidedAt === null || typeof first.decidedAt === 'string').toBe(true);
    expect(typeof first.approvals).toBe('number');
    expect(objects.nextCursor).toMatch(/^\d+_/);
    // The row times are the database's own, not shifted by a time zone.
    const row = await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: first.id as string }, select: { createdAt: true, pendingExpiresAt: true } });
    expect(first.createdAt).toBe(row.createdAt.toISOString());
    expect(first.pendingExpiresAt).toBe(row.pendingExpiresAt.toISOString());
  });

  it('refuses a forged cursor', async () => {
    await expect(listRequests(listRequestsSchema.parse({ cursor: "1'; DROP TABLE users;--" }), null, db.prisma)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('queues only what the approver may still decide', async () => {
    const at = new Date(Date.UTC(2026, 10, 29, 10));
    const lucas = (await findActiveActor('usr_lucas_meyer', db.prisma))!;
    const before = await listApprovalQueue(lucas, at, db.prisma);
    expect(before.map((r) => r.id).filter((id) => created.includes(id)).length).toBeGreaterThan(0);
    const seoyeon = (await findActiveActor('usr_seoyeon_park', db.prisma))!;
    const queue = await listApprovalQueue(seoyeon, at, db.prisma);
    expect(
      queue
        .map((r) => r.id)
        .filter((id) => created.includes(id))
        .sort(),
    ).toEqual(created.filter((_, i) => i !== 5).sort());
    // The page reads the oldest few (in steps of 50): the same order, cut.
    expect((await listApprovalQueue(seoyeon, at, db.prisma, 2)).map((r) => r.id)).toEqual(queue.slice(0, 2).map((r) => r.id));
    // Demoted since the requests were made: still on their frozen lists, but nothing to decide (decision 028).
    await setUserRoles('usr_lucas_meyer', ['ENGINEER'], { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' }, null, createIdentityStore(db.prisma));
    expect(await listApprovalQueue((await findActiveActor('usr_lucas_meyer', db.prisma))!, at, db.prisma)).toEqual([]);
    await setUserRoles('usr_lucas_meyer', ['SECURITY'], { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' }, null, createIdentityStore(db.prisma));
  });

  it('the navigation badge counts exactly the approval queue, for each kind of approver and after a demotion', async () => {
    const at = new Date(Date.UTC(2026, 10, 29, 10));
    const admin = { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' };
    const countFor = async (id: string) => {
      const actor = (await findActiveActor(id, db.prisma))!;
      const badge = await countNavBadges(
        {
          userId: actor.id,
          approvals: { security: actor.roles.includes('SECURITY'), leadTeamIds: actor.teams.filter((t) => t.isLead).map((t) => t.id) },
          plans: false,
          alarmKeys: null,
        },
        at,
        db.prisma,
      );
      return { badge: badge.approvals, queue: (await listApprovalQueue(actor, at, db.prisma)).length };
    };
    for (const id of ['usr_seoyeon_park', 'usr_lucas_meyer', 'usr_jaewon_choi', 'usr_minji_kim', 'usr_hyunwoo_lee']) {
      const { badge, queue } = await countFor(id);
      expect(badge, id).toBe(queue);
    }
    expect((await countFor('usr_seoyeon_park')).badge).toBeGreaterThan(0);
    expect((await countFor('usr_jaewon_choi')).badge).toBeGreaterThan(0);
    await setUserRoles('usr_lucas_meyer', ['ENGINEER'], admin, null, createIdentityStore(db.prisma));
    expect(await countFor('usr_lucas_meyer')).toEqual({ badge: 0, queue: 0 });
    await setUserRoles('usr_lucas_meyer', ['SECURITY'], admin, null, createIdentityStore(db.prisma));
    // Expired requests leave the badge as they leave the queue.
    const later = new Date(at.getTime() + 3 * 86_400_000);
    const seoyeon = (await findActiveActor('usr_seoyeon_park', db.prisma))!;
    const late = await countNavBadges({ userId: seoyeon.id, approvals: { security: true, leadTeamIds: [] }, plans: false, alarmKeys: null }, later, db.prisma);
    expect(late.approvals).toBe((await listApprovalQueue(seoyeon, later, db.prisma)).length);
  });

  it('counts alarms in ALARM in the shared cache of the given keys only, and parts not asked for stay null', async () => {
    const alarm = (name: string, state: string) => ({ name, state });
    await db.prisma.alarmCacheEntry.createMany({
      data: [
        { key: 'alarms:test-1', value: [alarm('a', 'ALARM'), alarm('b', 'OK'), alarm('c', 'ALARM')], nextFetchAt: new Date() },
        { key: 'alarms:test-2', value: [alarm('d', 'ALARM')], nextFetchAt: new Date() },
        { key: 'alarms:gone', value: [alarm('e', 'ALARM')], nextFetchAt: new Date() },
        { key: 'alarms:failed', value: undefined, nextFetchAt: new Date() },
      ],
    });
    const counts = await countNavBadges(
      { userId: 'usr_priya_raman', approvals: null, plans: true, alarmKeys: ['alarms:test-1', 'alarms:test-2', 'alarms:failed'] },
      new Date(),
      db.prisma,
    );
    expect(counts).toEqual({ approvals: null, plans: 0, alarms: 3 });
    expect(await countNavBadges({ userId: 'usr_priya_raman', approvals: null, plans: false, alarmKeys: null }, new Date(), db.prisma)).toEqual({
      approvals: null,
      plans: null,
      alarms: null,
    });
  });

  it('gives each requester’s history in one statement: counts in 90 days and the last access', async () => {
    // The rows' created_at is the database's clock, whatever the use case was told.
    const at = new Date();
    // Daniel made requests 0, 3 and 6; Min-ji the others, of which #5 was rejected.
    const history = await requesterHistory(['usr_daniel_okafor', 'usr_minji_kim', 'usr_nobody'], at, db.prisma);
    expect(history.get('usr_daniel_okafor')).toMatchObject({ total: 3, approved: 0, rejected: 0, lastGrantAt: null });
    const minji = history.get('usr_minji_kim')!;
    expect(minji.rejected).toBe(1);
    expect(minji.total).toBeGreaterThanOrEqual(5);
    expect(history.has('usr_nobody')).toBe(false);
    // Ninety days later the old requests no longer count; one query answers however many requesters there are.
    const later = await requesterHistory(['usr_daniel_okafor'], new Date(at.getTime() + 91 * 24 * 3600_000), db.prisma);
    expect(later.get('usr_daniel_okafor')).toMatchObject({ total: 0, approved: 0, rejected: 0 });

    // An approved dev read becomes a grant: it counts as approved, and its start is the last access.
    const seoyeon = (await findActiveActor('usr_seoyeon_park', db.prisma))!;
    const decidedAt = new Date(Date.UTC(2026, 10, 29, 9, 45));
    const deps = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => decidedAt };
    await decideRequest(deps, seoyeon, { requestId: created[1]!, kind: 'APPROVE', comment: '' }, null);
    const grant = await db.prisma.grant.findUnique({ where: { requestId: created[1]! }, select: { startsAt: true } });
    expect(grant).not.toBeNull();
    const after = (await requesterHistory(['usr_minji_kim'], at, db.prisma)).get('usr_minji_kim')!;
    expect(after.approved).toBe(minji.approved + 1);
    expect(after.lastGrantAt?.getTime()).toBe(grant!.startsAt.getTime());
    expect(after.capped).toBe(false);
  });

  it('reads at most HISTORY_CAP requests per requester: an automated requester shows "over 1,000", counted over its newest 1,000', async () => {
    // 1,002 requests by Priya in the last days: 1,001st and 1,002nd (the oldest) are REJECTED, the
    // rest alternate APPROVED / REJECTED newest first, so the newest 1,000 hold 500 of each.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO access_requests (id, type, status, environment, requester_id, team_id, secret_id, justification, duration_minutes,
        approvals_required, approver_group, max_duration_minutes, eligible_security_ids, eligible_lead_ids, pending_expires_at,
        break_glass, version, created_at, updated_at)
      SELECT 'bulk_' || g, 'SECRET_READ', (CASE WHEN g > 1000 THEN 'REJECTED' WHEN g % 2 = 0 THEN 'APPROVED' ELSE 'REJECTED' END)::"RequestStatus",
        'DEV', 'usr_priya_raman', 'team_payments', 'sec_dev_payments_stripe_api_key', 'Automated ' || g, 60, 1, 'SECURITY', 480,
        ARRAY[]::text[], ARRAY[]::text[], now() + interval '1 day', false, 0, now() - g * interval '1 minute', now()
      FROM generate_series(1, ${HISTORY_CAP + 2}) g`);
    const priya = (await requesterHistory(['usr_priya_raman'], new Date(), db.prisma)).get('usr_priya_raman')!;
    expect(priya).toMatchObject({ total: HISTORY_CAP, capped: true, approved: 500, rejected: 500, lastGrantAt: null });
  });
});
