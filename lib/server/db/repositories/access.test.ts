import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRequest, createRequest, decideRequest, expireOverdueRequests, reviewBreakGlass, type AccessDeps } from '@/lib/access/service';
import type { AccessStore } from '@/lib/access/ports';
import type { CreateRequestInput } from '@/lib/access/schemas';
import type { Actor } from '@/lib/identity/actor';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { listAuditEvents, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { setUserRoles } from '@/lib/server/identity';
import { createIdentityStore } from '@/lib/server/db/repositories/identity-write';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { asAuditTableOwner, createTestDatabase, testDatabaseKinds, seededAccountFor, signedIn } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

const origin = { ip: '203.0.113.7', userAgent: 'vitest' };
const admin = { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' };
const PROD_STRIPE = 'sec_prod_payments_stripe_api_key';
const DEV_STRIPE = 'sec_dev_payments_stripe_api_key';

function secretRead(secretId: string, extra: Partial<CreateRequestInput> = {}): CreateRequestInput {
  return {
    type: 'SECRET_READ',
    secretId,
    justification: 'Debugging a failed payout batch (INC-42)',
    durationMinutes: 60,
    breakGlass: false,
    ...extra,
  } as CreateRequestInput;
}

describe.each(testDatabaseKinds())('access requests on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let deps: AccessDeps;
  let clock = new Date('2026-11-29T09:00:00Z');
  const users: Record<string, Actor> = {};
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    deps = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => clock };
    for (const id of ['usr_minji_kim', 'usr_jaewon_choi', 'usr_seoyeon_park', 'usr_lucas_meyer', 'usr_daniel_okafor', 'usr_hyunwoo_lee']) {
      users[id] = (await findActiveActor(id, db.prisma))!;
    }
  });
  afterAll(async () => db.drop());
  const minji = () => users.usr_minji_kim!;
  const seoyeon = () => users.usr_seoyeon_park!;
  const lucas = () => users.usr_lucas_meyer!;

  it('freezes the rule and the eligible approvers on the request', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    expect(r).toMatchObject({
      status: 'PENDING',
      environment: 'PROD',
      teamId: 'team_payments',
      approvalsRequired: 2,
      approverGroup: 'SECURITY',
      maxDurationMinutes: 480,
      eligibleSecurityIds: ['usr_amara_osei', 'usr_lucas_meyer', 'usr_seoyeon_park'],
      eligibleLeadIds: [],
    });
    expect(r.pendingExpiresAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    // A later rule edit does not change a request already made.
    await db.prisma.approvalRule.update({
      where: { requestType_environment: { requestType: 'SECRET_READ', environment: 'PROD' } },
      data: { approvalsRequired: 1 },
    });
    const loaded = await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(loaded.approvalsRequired).toBe(2);
    await db.prisma.approvalRule.update({
      where: { requestType_environment: { requestType: 'SECRET_READ', environment: 'PROD' } },
      data: { approvalsRequired: 2 },
    });
  });

  it('prod needs two approvals: stays pending after one, approved after the second', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    expect(await decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: 'ok' }, origin)).toMatchObject({
      status: 'PENDING',
      approvals: 1,
    });
    await expect(decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: 'fine' }, origin)).toMatchObject({
      status: 'APPROVED',
      approvals: 2,
    });
    const events = await listAuditEvents({ request: r.id, limit: 50 }, db.prisma);
    expect(events.events.map((e) => e.action).reverse()).toEqual([
      'request.created',
      'request.approval',
      'request.approval',
      'request.approved',
      'grant.created',
    ]);
    expect(events.events[0]?.ip).toBe('203.0.113.7');
  });

  it('a prod decision without a recent sign-in is refused with STEP_UP_REQUIRED and writes nothing; dev needs none', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    const audit = await db.prisma.auditEvent.count();
    const decide = (actor: Actor, kind: 'APPROVE' | 'REJECT' = 'APPROVE') => decideRequest(deps, actor, { requestId: r.id, kind, comment: '' }, origin);
    // A session from before sessions carried a sign-in time, one 16 minutes old (the default limit is 15), an API token or Slack user (no session).
    for (const actor of [seoyeon(), signedIn(seoyeon(), new Date(clock.getTime() - 16 * 60_000)), { ...seoyeon(), signedInAt: null }]) {
      await expect(decide(actor)).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED', message: expect.stringContaining('Sign in again to decide on prod') });
      await expect(decide(actor, 'REJECT')).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    }
    expect(await db.prisma.auditEvent.count()).toBe(audit);
    expect(await db.prisma.decision.count({ where: { requestId: r.id } })).toBe(0);
    expect(await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } })).toEqual({ status: 'PENDING' });
    // The limit is configurable; 14 minutes old is within the default.
    await expect(
      decideRequest(
        { ...deps, stepUpMaxAgeMinutes: 10 },
        signedIn(seoyeon(), new Date(clock.getTime() - 14 * 60_000)),
        { requestId: r.id, kind: 'APPROVE', comment: '' },
        origin,
      ),
    ).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(await decide(signedIn(seoyeon(), new Date(clock.getTime() - 14 * 60_000)))).toMatchObject({ status: 'PENDING', approvals: 1 });
    // Dev and staging decisions need no step-up.
    const dev = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    expect(await decideRequest(deps, seoyeon(), { requestId: dev.id, kind: 'APPROVE', comment: '' }, origin)).toMatchObject({ status: 'APPROVED' });
  });

  it('refuses self-approval, non-eligible approvers and decisions on a decided request, writing nothing', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    const before = await db.prisma.auditEvent.count();
    await expect(decideRequest(deps, signedIn(minji(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // An admin sees every request but is not one of its approvers: 403.
    await expect(
      decideRequest(deps, signedIn(users.usr_hyunwoo_lee!, deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // An engineer of another team cannot see it: for them it does not exist (decision 005), 404 not 403.
    for (const kind of ['APPROVE', 'REJECT'] as const) {
      await expect(decideRequest(deps, signedIn(users.usr_daniel_okafor!, deps.now()), { requestId: r.id, kind, comment: '' }, origin)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'No such request.',
      });
    }
    expect(await db.prisma.decision.count({ where: { requestId: r.id } })).toBe(0);
    expect(await db.prisma.auditEvent.count()).toBe(before);
    await decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'REJECT', comment: 'use the sandbox' }, origin);
    await expect(decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(cancelRequest(deps, minji(), { requestId: r.id, comment: '' }, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a decision counts only if the approver still holds the capacity when deciding: else 403 with the reason, nothing written', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    expect(r.eligibleSecurityIds).toContain('usr_lucas_meyer');
    const snapshot = async () => ({
      request: await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true, version: true } }),
      decisions: await db.prisma.decision.count({ where: { requestId: r.id } }),
      // The admin's role changes are audited (user.roles_changed); the refused decisions add nothing.
      audit: await db.prisma.auditEvent.count({ where: { action: { not: 'user.roles_changed' } } }),
      grants: await db.prisma.grant.count({ where: { requestId: r.id } }),
    });
    const before = await snapshot();
    // An admin demotes Lucas; his session (the Actor passed here) still says SECURITY: the database decides.
    expect(lucas().roles).toEqual(['SECURITY']);
    await setUserRoles('usr_lucas_meyer', ['ENGINEER'], admin, origin, createIdentityStore(db.prisma));
    for (const kind of ['APPROVE', 'REJECT'] as const) {
      await expect(decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind, comment: '' }, origin)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: 'You no longer hold the SECURITY role, so your decision cannot count.',
      });
    }
    // Deactivated: refused too.
    await setUserRoles('usr_lucas_meyer', ['SECURITY'], admin, origin, createIdentityStore(db.prisma));
    await db.prisma.user.update({ where: { id: 'usr_lucas_meyer' }, data: { active: false } });
    await expect(decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your account is deactivated, so your decision cannot count.',
    });
    expect(await snapshot()).toEqual(before);
    // Restored: the same approver's decision counts again.
    await db.prisma.user.update({ where: { id: 'usr_lucas_meyer' }, data: { active: true } });
    expect(await decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).toMatchObject({
      status: 'APPROVED',
    });
  });

  it('a team lead who is no longer the lead when deciding is refused with the reason', async () => {
    const jaewon = users.usr_jaewon_choi!;
    const r = await createRequest(
      deps,
      minji(),
      {
        type: 'ROLE',
        roleId: 'role_payments_prod_on_call',
        justification: 'On-call rotation this week',
        durationMinutes: 480,
        breakGlass: false,
      } as CreateRequestInput,
      origin,
    );
    expect(r.eligibleLeadIds).toEqual(['usr_jaewon_choi']);
    const membership = { userId_teamId: { userId: 'usr_jaewon_choi', teamId: 'team_payments' } };
    await db.prisma.teamMembership.update({ where: membership, data: { isLead: false } });
    const audit = await db.prisma.auditEvent.count();
    await expect(decideRequest(deps, signedIn(jaewon, deps.now()), { requestId: r.id, kind: 'APPROVE', comment: 'my team' }, origin)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You are no longer a lead of the team this request is for, so your decision cannot count.',
    });
    expect(await db.prisma.decision.count({ where: { requestId: r.id } })).toBe(0);
    expect(await db.prisma.auditEvent.count()).toBe(audit);
    await db.prisma.teamMembership.update({ where: membership, data: { isLead: true } });
    expect(await decideRequest(deps, signedIn(jaewon, deps.now()), { requestId: r.id, kind: 'APPROVE', comment: 'my team' }, origin)).toMatchObject({
      status: 'PENDING',
      approvals: 1,
    });
  });

  it('two approvers acting at the same instant produce exactly one outcome', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    const results = await Promise.allSettled([
      decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin),
      decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind: 'REJECT', comment: '' }, origin),
    ]);
    const fulfilled = results.filter((x) => x.status === 'fulfilled');
    expect(fulfilled).toHaveLength(1);
    const rejected = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'CONFLICT' });
    const row = await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id }, include: { decisions: true } });
    expect(row.decisions).toHaveLength(1);
    expect(['APPROVED', 'REJECTED']).toContain(row.status);
    const outcomes = await db.prisma.auditEvent.count({ where: { requestId: r.id, action: { in: ['request.approved', 'request.rejected'] } } });
    expect(outcomes).toBe(1);
  });

  it('two prod approvals at the same instant both count and approve the request once', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    const results = await Promise.all([
      decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin),
      decideRequest(deps, signedIn(lucas(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin),
    ]);
    expect(results.map((x) => x.status).sort()).toEqual(['APPROVED', 'PENDING']);
    expect(await db.prisma.auditEvent.count({ where: { requestId: r.id, action: 'request.approved' } })).toBe(1);
  });

  it('a team lead approves a role request as one of the approvals, never alone', async () => {
    const jaewon = users.usr_jaewon_choi!;
    const r = await createRequest(
      deps,
      minji(),
      {
        type: 'ROLE',
        roleId: 'role_payments_prod_on_call',
        justification: 'On-call rotation this week',
        durationMinutes: 480,
        breakGlass: false,
      } as CreateRequestInput,
      origin,
    );
    expect(r.eligibleLeadIds).toEqual(['usr_jaewon_choi']);
    expect(await decideRequest(deps, signedIn(jaewon, deps.now()), { requestId: r.id, kind: 'APPROVE', comment: 'my team' }, origin)).toMatchObject({
      status: 'PENDING',
      approvals: 1,
    });
    expect(await decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).toMatchObject({
      status: 'APPROVED',
      approvals: 2,
    });
  });

  it('refuses what the rule does not allow, writing nothing', async () => {
    const count = await db.prisma.accessRequest.count();
    await expect(createRequest(deps, minji(), secretRead(PROD_STRIPE, { durationMinutes: 600 }), origin)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: 'The rule for prod allows at most 8 h.',
    });
    await expect(createRequest(deps, minji(), secretRead('sec_missing'), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(createRequest(deps, minji(), secretRead(DEV_STRIPE, { breakGlass: true, breakGlassReason: 'prod is down!!' }), origin)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
    // Security asking for prod while only one other security user is active: prod needs two.
    await db.prisma.user.update({ where: { id: 'usr_amara_osei' }, data: { active: false } });
    await expect(createRequest(deps, seoyeon(), secretRead(PROD_STRIPE), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await db.prisma.user.update({ where: { id: 'usr_amara_osei' }, data: { active: true } });
    expect(await db.prisma.accessRequest.count()).toBe(count);
  });

  it('the requester cancels a pending request; nobody else can', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    await expect(cancelRequest(deps, lucas(), { requestId: r.id, comment: '' }, origin)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await cancelRequest(deps, minji(), { requestId: r.id, comment: 'not needed' }, origin)).toEqual({ status: 'CANCELLED' });
    await expect(decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('break-glass is approved at once for at most an hour and reviewed once', async () => {
    const r = await createRequest(
      deps,
      minji(),
      secretRead(PROD_STRIPE, { breakGlass: true, breakGlassReason: 'Payments API down, need the key to rotate', durationMinutes: 60 }),
      origin,
    );
    expect(r).toMatchObject({ status: 'APPROVED', breakGlass: true });
    await expect(
      createRequest(deps, minji(), secretRead(PROD_STRIPE, { breakGlass: true, breakGlassReason: 'Payments API down again', durationMinutes: 120 }), origin),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(reviewBreakGlass(deps, minji(), { requestId: r.id, outcome: 'ACKNOWLEDGED', comment: '' }, origin)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await reviewBreakGlass(deps, seoyeon(), { requestId: r.id, outcome: 'ESCALATED', comment: 'talk to the lead' }, origin)).toEqual({
      outcome: 'ESCALATED',
      revokedGrantId: expect.any(String),
    });
    await expect(reviewBreakGlass(deps, lucas(), { requestId: r.id, outcome: 'ACKNOWLEDGED', comment: '' }, origin)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('expires unanswered requests once, and they can no longer be decided', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    clock = new Date(clock.getTime() + 25 * 3600_000);
    await expect(decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const [a, b] = await Promise.all([expireOverdueRequests(deps), expireOverdueRequests(deps)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('EXPIRED');
    expect(await db.prisma.auditEvent.count({ where: { requestId: r.id, action: 'request.expired' } })).toBe(1);
    expect(await expireOverdueRequests(deps)).toBe(0);
  });

  it('an extension is a new linked request for the same access, only of your own approved access', async () => {
    const original = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    await expect(createRequest(deps, minji(), secretRead(DEV_STRIPE, { extendsRequestId: original.id }), origin)).rejects.toMatchObject({
      message: 'Only approved or active access can be extended.',
    });
    await decideRequest(deps, signedIn(seoyeon(), deps.now()), { requestId: original.id, kind: 'APPROVE', comment: '' }, origin);
    await expect(createRequest(deps, minji(), secretRead(PROD_STRIPE, { extendsRequestId: original.id }), origin)).rejects.toMatchObject({
      message: 'An extension must ask for the same access.',
    });
    await expect(createRequest(deps, users.usr_daniel_okafor!, secretRead(DEV_STRIPE, { extendsRequestId: original.id }), origin)).rejects.toMatchObject({
      message: 'You can only extend your own request.',
    });
    const extension = await createRequest(deps, minji(), secretRead(DEV_STRIPE, { extendsRequestId: original.id }), origin);
    expect(extension).toMatchObject({ status: 'PENDING', extendsRequestId: original.id, secretId: DEV_STRIPE });
  });

  it('the history verifies, and an altered or removed row is found', async () => {
    const ok = await verifyAuditChain(db.prisma);
    expect(ok.ok).toBe(true);
    expect(ok.checked).toBe(await db.prisma.auditEvent.count());
    const victim = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'request.approved' }, orderBy: { seq: 'asc' } });
    // The database refuses both; only its owner, with the triggers off, gets through.
    await expect(db.prisma.auditEvent.update({ where: { seq: victim.seq }, data: { actorName: 'Someone Else' } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.auditEvent.delete({ where: { seq: victim.seq } })).rejects.toThrow(/append-only/);
    await asAuditTableOwner(db, async () => {
      await db.prisma.auditEvent.update({ where: { seq: victim.seq }, data: { actorName: 'Someone Else' } });
      expect((await verifyAuditChain(db.prisma)).firstBreak).toEqual({ seq: victim.seq, reason: 'hash-mismatch' });
      await db.prisma.auditEvent.update({ where: { seq: victim.seq }, data: { actorName: victim.actorName } });
      expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
      await db.prisma.auditEvent.delete({ where: { seq: victim.seq } });
    });
    expect((await verifyAuditChain(db.prisma)).firstBreak).toEqual({ seq: victim.seq, reason: 'missing' });
  });
});

describe.each(testDatabaseKinds())('break-glass limits on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let clock = new Date('2026-11-29T09:00:00Z');
  const users: Record<string, Actor> = {};
  const deps = (extra: Partial<AccessDeps> = {}): AccessDeps => ({
    store: createAccessStore(db.prisma),
    accountFor: seededAccountFor,
    now: () => clock,
    ...extra,
  });
  const PROD_DB = 'sec_prod_payments_db_app_password';
  const glass = (secretId: string, extra: Partial<CreateRequestInput> = {}) =>
    secretRead(secretId, { breakGlass: true, breakGlassReason: 'Payments API down since 09:12', durationMinutes: 60, ...extra });
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    for (const id of ['usr_minji_kim', 'usr_jaewon_choi', 'usr_seoyeon_park', 'usr_lucas_meyer', 'usr_daniel_okafor'])
      users[id] = (await findActiveActor(id, db.prisma))!;
  });
  afterAll(async () => db.drop());

  /** Everything a refused request must leave untouched. */
  const writes = async () => ({
    requests: await db.prisma.accessRequest.count(),
    grants: await db.prisma.grant.count(),
    audit: await db.prisma.auditEvent.count(),
    notifications: await db.prisma.notification.count(),
  });

  it("refuses break-glass on another team's resource (422), writing nothing", async () => {
    const before = await writes();
    await expect(createRequest(deps(), users.usr_daniel_okafor!, glass(PROD_STRIPE), origin)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: 'Break-glass is only for resources of your own teams; this one belongs to another team. Ask for access through normal approval.',
    });
    await expect(
      createRequest(
        deps(),
        users.usr_daniel_okafor!,
        {
          type: 'ROLE',
          roleId: 'role_payments_prod_deployer',
          justification: 'Deploy the hotfix right now',
          durationMinutes: 60,
          breakGlass: true,
          breakGlassReason: 'Payments API down since 09:12',
        } as CreateRequestInput,
        origin,
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await writes()).toEqual(before);
  });

  it('allows one active break-glass grant per user, at most N per rolling 24 h, and no break-glass extension', async () => {
    const minji = users.usr_minji_kim!;
    const first = await createRequest(deps(), minji, glass(PROD_STRIPE), origin);
    expect(first).toMatchObject({ status: 'APPROVED', breakGlass: true });

    let before = await writes();
    await expect(createRequest(deps(), minji, glass(PROD_DB), origin)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You already hold break-glass access; give it back or let it end before breaking glass again.',
    });
    await expect(createRequest(deps(), minji, glass(PROD_STRIPE, { extendsRequestId: first.id }), origin)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: 'Break-glass access cannot be extended; ask for an extension without break-glass, through normal approval.',
    });
    expect(await writes()).toEqual(before);

    // An extension of break-glass access is a normal request: it waits for approval.
    const extension = await createRequest(deps(), minji, secretRead(PROD_STRIPE, { extendsRequestId: first.id }), origin);
    expect(extension).toMatchObject({ status: 'PENDING', breakGlass: false, extendsRequestId: first.id });

    // Escalating the review revokes the grant at once, in the review's transaction, audited.
    const review = await reviewBreakGlass(
      deps(),
      users.usr_seoyeon_park!,
      { requestId: first.id, outcome: 'ESCALATED', comment: 'no incident on record' },
      origin,
    );
    const grant = await db.prisma.grant.findUniqueOrThrow({ where: { requestId: first.id } });
    expect(review).toEqual({ outcome: 'ESCALATED', revokedGrantId: grant.id });
    expect(grant).toMatchObject({
      status: 'ENDING',
      endReason: 'REVOKED',
      endedById: 'usr_seoyeon_park',
      endComment: 'Escalated in the break-glass review: no incident on record',
    });
    const revoked = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: grant.id, action: 'grant.revoked' } });
    const reviewed = await db.prisma.auditEvent.findFirstOrThrow({ where: { requestId: first.id, action: 'break_glass.reviewed' } });
    expect(revoked).toMatchObject({ actorId: 'usr_seoyeon_park', seq: reviewed.seq + 1 });

    // The revoked grant no longer counts as active: a second use in 24 h is allowed.
    clock = new Date(clock.getTime() + 3600_000);
    const second = await createRequest(deps(), minji, glass(PROD_DB), origin);
    expect(second.status).toBe('APPROVED');
    await reviewBreakGlass(deps(), users.usr_lucas_meyer!, { requestId: second.id, outcome: 'ESCALATED', comment: '' }, origin);

    // A third within 24 h of the first is refused (default 2), though none is active.
    clock = new Date(clock.getTime() + 3600_000);
    before = await writes();
    await expect(createRequest(deps(), minji, glass(PROD_STRIPE), origin)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'You have used break-glass 2 time(s) in the last 24 hours, the most allowed (2); ask for access through normal approval.',
    });
    // The limit is configurable.
    expect(await createRequest(deps({ breakGlassPerDay: 3 }), minji, glass(PROD_STRIPE), origin)).toMatchObject({ status: 'APPROVED' });
    expect((await writes()).requests).toBe(before.requests + 1);
  });

  it('a rolling 24 h: the window moves with the clock', async () => {
    const jaewon = users.usr_jaewon_choi!;
    const limited = deps({ breakGlassPerDay: 1 });
    const first = await createRequest(limited, jaewon, glass(PROD_STRIPE), origin);
    await reviewBreakGlass(limited, users.usr_seoyeon_park!, { requestId: first.id, outcome: 'ESCALATED', comment: '' }, origin);
    clock = new Date(clock.getTime() + 24 * 3600_000 - 60_000);
    await expect(createRequest(limited, jaewon, glass(PROD_STRIPE), origin)).rejects.toMatchObject({ code: 'CONFLICT' });
    clock = new Date(clock.getTime() + 61_000);
    expect(await createRequest(limited, jaewon, glass(PROD_STRIPE), origin)).toMatchObject({ status: 'APPROVED' });
  });

  it('two break-glass requests of one user at the same instant: exactly one passes', async () => {
    const jaewon = users.usr_jaewon_choi!;
    // The previous test left jaewon one active grant: end it through the review first.
    const active = await db.prisma.accessRequest.findFirstOrThrow({
      where: { requesterId: 'usr_jaewon_choi', breakGlass: true, status: 'APPROVED', grant: { is: { status: 'PENDING' } } },
    });
    await reviewBreakGlass(deps(), users.usr_lucas_meyer!, { requestId: active.id, outcome: 'ESCALATED', comment: '' }, origin);
    clock = new Date(clock.getTime() + 48 * 3600_000);
    const before = await db.prisma.accessRequest.count({ where: { requesterId: 'usr_jaewon_choi', breakGlass: true } });
    // Each transaction waits after counting until the other has counted too (or 500 ms passed), so
    // without the lock both would count the same nothing and both pass.
    const store = createAccessStore(db.prisma);
    let counted = 0;
    const racing: AccessStore = {
      ...store,
      transaction: (work) =>
        store.transaction((tx) =>
          work({
            ...tx,
            async breakGlassUsage(...args) {
              const usage = await tx.breakGlassUsage(...args);
              counted++;
              for (let waited = 0; counted < 2 && waited < 500; waited += 10) await new Promise((r) => setTimeout(r, 10));
              return usage;
            },
          }),
        ),
    };
    const results = await Promise.allSettled([
      createRequest({ store: racing, now: () => clock, accountFor: seededAccountFor }, jaewon, glass(PROD_STRIPE), origin),
      createRequest({ store: racing, now: () => clock, accountFor: seededAccountFor }, jaewon, glass(PROD_DB), origin),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    expect(await db.prisma.accessRequest.count({ where: { requesterId: 'usr_jaewon_choi', breakGlass: true } })).toBe(before + 1);
  });

  it('every break-glass use queues the security channel message in its own transaction', async () => {
    clock = new Date(clock.getTime() + 48 * 3600_000);
    const r = await createRequest(deps(), users.usr_daniel_okafor!, glass('sec_prod_data_warehouse_readonly'), origin);
    const rows = await db.prisma.notification.findMany({ where: { requestId: r.id }, select: { kind: true, status: true } });
    expect(rows).toEqual([{ kind: 'break_glass_review', status: 'PENDING' }]);
  });
});
