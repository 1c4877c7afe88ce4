import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRequest, createRequest, decideRequest, expireOverdueRequests, reviewBreakGlass, type AccessDeps } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import type { Actor } from '@/lib/identity/actor';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { listAuditEvents, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { asAuditTableOwner, createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

const origin = { ip: '203.0.113.7', userAgent: 'vitest' };
const PROD_STRIPE = 'sec_prod_payments_stripe_api_key';
const DEV_STRIPE = 'sec_dev_payments_stripe_api_key';

function secretRead(secretId: string, extra: Partial<CreateRequestInput> = {}): CreateRequestInput {
  return { type: 'SECRET_READ', secretId, justification: 'Debugging a failed payout batch (INC-42)', durationMinutes: 60, breakGlass: false, ...extra } as CreateRequestInput;
}

describe.each(testDatabaseKinds())('access requests on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let deps: AccessDeps;
  let clock = new Date('2026-11-29T09:00:00Z');
  const users: Record<string, Actor> = {};
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    deps = { store: createAccessStore(db.prisma), now: () => clock };
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
      eligibleSecurityIds: ['usr_lucas_meyer', 'usr_seoyeon_park'],
      eligibleLeadIds: [],
    });
    expect(r.pendingExpiresAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    // A later rule edit does not change a request already made.
    await db.prisma.approvalRule.update({ where: { requestType_environment: { requestType: 'SECRET_READ', environment: 'PROD' } }, data: { approvalsRequired: 1 } });
    const loaded = await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(loaded.approvalsRequired).toBe(2);
    await db.prisma.approvalRule.update({ where: { requestType_environment: { requestType: 'SECRET_READ', environment: 'PROD' } }, data: { approvalsRequired: 2 } });
  });

  it('prod needs two approvals: stays pending after one, approved after the second', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE), origin);
    expect(await decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'APPROVE', comment: 'ok' }, origin)).toMatchObject({ status: 'PENDING', approvals: 1 });
    await expect(decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await decideRequest(deps, lucas(), { requestId: r.id, kind: 'APPROVE', comment: 'fine' }, origin)).toMatchObject({ status: 'APPROVED', approvals: 2 });
    const events = await listAuditEvents({ request: r.id, limit: 50 }, db.prisma);
    expect(events.events.map((e) => e.action).reverse()).toEqual(['request.created', 'request.approval', 'request.approval', 'request.approved', 'grant.created']);
    expect(events.events[0]?.ip).toBe('203.0.113.7');
  });

  it('refuses self-approval, non-eligible approvers and decisions on a decided request, writing nothing', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    const before = await db.prisma.auditEvent.count();
    await expect(decideRequest(deps, minji(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decideRequest(deps, users.usr_daniel_okafor!, { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await db.prisma.decision.count({ where: { requestId: r.id } })).toBe(0);
    expect(await db.prisma.auditEvent.count()).toBe(before);
    await decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'REJECT', comment: 'use the sandbox' }, origin);
    await expect(decideRequest(deps, lucas(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(cancelRequest(deps, minji(), { requestId: r.id, comment: '' }, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('two approvers acting at the same instant produce exactly one outcome', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    const results = await Promise.allSettled([
      decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin),
      decideRequest(deps, lucas(), { requestId: r.id, kind: 'REJECT', comment: '' }, origin),
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
      decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin),
      decideRequest(deps, lucas(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin),
    ]);
    expect(results.map((x) => x.status).sort()).toEqual(['APPROVED', 'PENDING']);
    expect(await db.prisma.auditEvent.count({ where: { requestId: r.id, action: 'request.approved' } })).toBe(1);
  });

  it('a team lead approves a role request as one of the approvals, never alone', async () => {
    const jaewon = users.usr_jaewon_choi!;
    const r = await createRequest(deps, minji(), { type: 'ROLE', roleId: 'role_payments_prod_on_call', justification: 'On-call rotation this week', durationMinutes: 480, breakGlass: false } as CreateRequestInput, origin);
    expect(r.eligibleLeadIds).toEqual(['usr_jaewon_choi']);
    expect(await decideRequest(deps, jaewon, { requestId: r.id, kind: 'APPROVE', comment: 'my team' }, origin)).toMatchObject({ status: 'PENDING', approvals: 1 });
    expect(await decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).toMatchObject({ status: 'APPROVED', approvals: 2 });
  });

  it('refuses what the rule does not allow, writing nothing', async () => {
    const count = await db.prisma.accessRequest.count();
    await expect(createRequest(deps, minji(), secretRead(PROD_STRIPE, { durationMinutes: 600 }), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE', message: 'The rule for prod allows at most 8 h.' });
    await expect(createRequest(deps, minji(), secretRead('sec_missing'), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(createRequest(deps, minji(), secretRead(DEV_STRIPE, { breakGlass: true, breakGlassReason: 'prod is down!!' }), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    // Security asking for prod: only one other security user is left, and prod needs two.
    await expect(createRequest(deps, seoyeon(), secretRead(PROD_STRIPE), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await db.prisma.accessRequest.count()).toBe(count);
  });

  it('the requester cancels a pending request; nobody else can', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    await expect(cancelRequest(deps, lucas(), { requestId: r.id, comment: '' }, origin)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await cancelRequest(deps, minji(), { requestId: r.id, comment: 'not needed' }, origin)).toEqual({ status: 'CANCELLED' });
    await expect(decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('break-glass is approved at once for at most an hour and reviewed once', async () => {
    const r = await createRequest(deps, minji(), secretRead(PROD_STRIPE, { breakGlass: true, breakGlassReason: 'Payments API down, need the key to rotate', durationMinutes: 60 }), origin);
    expect(r).toMatchObject({ status: 'APPROVED', breakGlass: true });
    await expect(createRequest(deps, minji(), secretRead(PROD_STRIPE, { breakGlass: true, breakGlassReason: 'Payments API down again', durationMinutes: 120 }), origin)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(reviewBreakGlass(deps, minji(), { requestId: r.id, outcome: 'ACKNOWLEDGED', comment: '' }, origin)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await reviewBreakGlass(deps, seoyeon(), { requestId: r.id, outcome: 'ESCALATED', comment: 'talk to the lead' }, origin)).toEqual({ outcome: 'ESCALATED' });
    await expect(reviewBreakGlass(deps, lucas(), { requestId: r.id, outcome: 'ACKNOWLEDGED', comment: '' }, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('expires unanswered requests once, and they can no longer be decided', async () => {
    const r = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    clock = new Date(clock.getTime() + 25 * 3600_000);
    await expect(decideRequest(deps, seoyeon(), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
    const [a, b] = await Promise.all([expireOverdueRequests(deps), expireOverdueRequests(deps)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe('EXPIRED');
    expect(await db.prisma.auditEvent.count({ where: { requestId: r.id, action: 'request.expired' } })).toBe(1);
    expect(await expireOverdueRequests(deps)).toBe(0);
  });

  it('an extension is a new linked request for the same access, only of your own approved access', async () => {
    const original = await createRequest(deps, minji(), secretRead(DEV_STRIPE), origin);
    await expect(createRequest(deps, minji(), secretRead(DEV_STRIPE, { extendsRequestId: original.id }), origin)).rejects.toMatchObject({ message: 'Only approved or active access can be extended.' });
    await decideRequest(deps, seoyeon(), { requestId: original.id, kind: 'APPROVE', comment: '' }, origin);
    await expect(createRequest(deps, minji(), secretRead(PROD_STRIPE, { extendsRequestId: original.id }), origin)).rejects.toMatchObject({ message: 'An extension must ask for the same access.' });
    await expect(createRequest(deps, users.usr_daniel_okafor!, secretRead(DEV_STRIPE, { extendsRequestId: original.id }), origin)).rejects.toMatchObject({ message: 'You can only extend your own request.' });
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
