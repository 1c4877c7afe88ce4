import type { AuditAction } from '@/lib/audit/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, decideRequest } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import type { AuditActor } from '@/lib/audit/model';
import { DEFAULT_RULE_FLOORS } from '@/lib/control-plane/floors';
import { sandboxSecretArn } from '@/lib/cloud/sandbox-ids';
import { assertRolePolicyMatches, assertSecretArnMatches } from '@/lib/control-plane/arn-rules';
import type { PolicyStatement } from '@/lib/catalog/schemas';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { listAuditEvents, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import type { ControlPlaneContext } from '@/lib/control-plane/ports';
import { proposeUserRoles } from '@/lib/server/identity';
import { createIdentityStore } from '@/lib/server/db/repositories/identity-write';
import { decideChange } from '@/lib/server/control-plane';
import { createDecisionStore } from '@/lib/server/db/repositories/control-plane';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, testDatabaseKinds, seededAccountFor, signedIn } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

const origin = { ip: '198.51.100.10', userAgent: 'vitest' };
const hyunwoo: AuditActor = { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' };
const seoyeon: AuditActor = { id: 'usr_seoyeon_park', name: 'Seo-yeon Park' };
const ctx: ControlPlaneContext = {
  floors: DEFAULT_RULE_FLOORS,
  accountFor: async () => ({ partition: 'aws', accountId: '111122223333', region: 'us-east-1' }),
};

describe.each(testDatabaseKinds())('control-plane changes on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
  });
  afterAll(async () => db.drop());

  const roles = async (id: string) => (await db.prisma.user.findUniqueOrThrow({ where: { id }, select: { roles: true } })).roles;
  const latest = async (action: AuditAction) => (await listAuditEvents({ action, limit: 1 }, db.prisma)).events[0];

  it('an admin adding SECURITY proposes it; the subject cannot approve it, another security user applies it', async () => {
    const proposal = await proposeUserRoles('usr_daniel_okafor', ['ENGINEER', 'SECURITY'], hyunwoo, origin, createIdentityStore(db.prisma));
    expect(proposal).toMatchObject({
      kind: 'USER_ROLES',
      status: 'PROPOSED',
      targetKey: 'user:usr_daniel_okafor',
      before: ['ENGINEER'],
      payload: { userId: 'usr_daniel_okafor', roles: ['ENGINEER', 'SECURITY'] },
    });
    expect(await roles('usr_daniel_okafor')).toEqual(['ENGINEER']);
    expect(await latest('control_plane.change.proposed')).toMatchObject({
      actorId: 'usr_hyunwoo_lee',
      targetType: 'control_plane_change',
      before: ['ENGINEER'],
    });

    await expect(decideChange({ changeId: proposal!.id, decision: 'APPROVE' }, hyunwoo, origin, ctx, createDecisionStore(db.prisma))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      decideChange({ changeId: proposal!.id, decision: 'APPROVE' }, { id: 'usr_minji_kim', name: 'Minji Kim' }, origin, ctx, createDecisionStore(db.prisma)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await roles('usr_daniel_okafor')).toEqual(['ENGINEER']);

    expect(await decideChange({ changeId: proposal!.id, decision: 'APPROVE' }, seoyeon, origin, ctx, createDecisionStore(db.prisma))).toMatchObject({
      status: 'APPLIED',
      decidedById: 'usr_seoyeon_park',
    });
    expect(await roles('usr_daniel_okafor')).toEqual(['ENGINEER', 'SECURITY']);
    expect(await latest('control_plane.change.approved')).toMatchObject({
      actorId: 'usr_seoyeon_park',
      before: ['ENGINEER'],
      after: { payload: { roles: ['ENGINEER', 'SECURITY'] }, authorId: 'usr_hyunwoo_lee' },
    });
    // Decided once: a second approval is a CONFLICT.
    await expect(
      decideChange(
        { changeId: proposal!.id, decision: 'APPROVE' },
        { id: 'usr_lucas_meyer', name: 'Lucas Meyer' },
        origin,
        ctx,
        createDecisionStore(db.prisma),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('nobody approves their own elevation: a security user cannot approve ADMIN for themself', async () => {
    const proposal = await proposeUserRoles('usr_lucas_meyer', ['ADMIN', 'SECURITY'], hyunwoo, origin, createIdentityStore(db.prisma));
    await expect(
      decideChange(
        { changeId: proposal!.id, decision: 'APPROVE' },
        { id: 'usr_lucas_meyer', name: 'Lucas Meyer' },
        origin,
        ctx,
        createDecisionStore(db.prisma),
      ),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This change gives you a role: someone else must approve it.',
    });
    expect(await roles('usr_lucas_meyer')).toEqual(['SECURITY']);
  });

  it('a proposal whose author has since been demoted cannot be approved (409), only rejected', async () => {
    const proposal = await proposeUserRoles('usr_priya_raman', ['OPS', 'SECURITY'], hyunwoo, origin, createIdentityStore(db.prisma));
    await db.prisma.user.update({ where: { id: 'usr_hyunwoo_lee' }, data: { roles: ['ENGINEER'] } });
    try {
      const before = await db.prisma.auditEvent.count();
      await expect(decideChange({ changeId: proposal!.id, decision: 'APPROVE' }, seoyeon, origin, ctx, createDecisionStore(db.prisma))).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('is no longer an active security or admin user'),
      });
      expect(await roles('usr_priya_raman')).not.toContain('SECURITY');
      expect(await db.prisma.auditEvent.count()).toBe(before);
      expect(
        await decideChange({ changeId: proposal!.id, decision: 'REJECT', comment: 'author demoted' }, seoyeon, origin, ctx, createDecisionStore(db.prisma)),
      ).toMatchObject({ status: 'REJECTED' });
    } finally {
      await db.prisma.user.update({ where: { id: 'usr_hyunwoo_lee' }, data: { roles: ['ADMIN'] } });
    }
  });

  it('other role changes (ENGINEER -> OPS, removing SECURITY) are not proposals', async () => {
    expect(await proposeUserRoles('usr_minji_kim', ['ENGINEER', 'OPS'], hyunwoo, origin, createIdentityStore(db.prisma))).toBeNull();
    expect(await proposeUserRoles('usr_daniel_okafor', ['ENGINEER'], hyunwoo, origin, createIdentityStore(db.prisma))).toBeNull();
    await expect(proposeUserRoles('usr_nobody', ['ADMIN'], hyunwoo, origin, createIdentityStore(db.prisma))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a request is held to the floors even when the stored rule was weakened in the database directly', async () => {
    await db.prisma.approvalRule.update({
      where: { requestType_environment: { requestType: 'SECRET_READ', environment: 'PROD' } },
      data: { approvalsRequired: 1, maxDurationMinutes: 90 * 24 * 60 },
    });
    const deps = {
      store: createAccessStore(db.prisma),
      accountFor: seededAccountFor,
      now: () => new Date('2026-12-07T09:00:00Z'),
      floors: DEFAULT_RULE_FLOORS,
    };
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const input = (durationMinutes: number) =>
      ({
        type: 'SECRET_READ',
        secretId: 'sec_prod_payments_stripe_api_key',
        justification: 'Payout batch INC-42',
        durationMinutes,
        breakGlass: false,
      }) as CreateRequestInput;
    await expect(createRequest(deps, minji, input(90 * 24 * 60), origin)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: 'The rule for prod allows at most 8 h.',
    });
    const r = await createRequest(deps, minji, input(60), origin);
    expect(r).toMatchObject({ approvalsRequired: 2, maxDurationMinutes: 480 });
    const lucas = (await findActiveActor('usr_lucas_meyer', db.prisma))!;
    expect(await decideRequest(deps, signedIn(lucas, deps.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, origin)).toMatchObject({
      status: 'PENDING',
      approvals: 1,
    });
  });

  it('break-glass lasts at most the configured floor (here 30 min), refused with 422 before anything is written', async () => {
    const deps = {
      store: createAccessStore(db.prisma),
      accountFor: seededAccountFor,
      now: () => new Date('2026-12-07T09:00:00Z'),
      floors: { ...DEFAULT_RULE_FLOORS, breakGlassMaxMinutes: 30 },
    };
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const before = await db.prisma.accessRequest.count();
    const input = {
      type: 'SECRET_READ',
      secretId: 'sec_prod_payments_stripe_api_key',
      justification: 'Payments API down INC-43',
      durationMinutes: 45,
      breakGlass: true,
      breakGlassReason: 'Payments API down, need the key to rotate',
    } as CreateRequestInput;
    await expect(createRequest(deps, minji, input, origin)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: 'Break-glass access lasts at most 30 min.',
    });
    expect(await db.prisma.accessRequest.count()).toBe(before);
  });

  it('the seed’s catalog satisfies the ARN rules in the sandbox account', async () => {
    const account = { partition: 'aws', accountId: '111122223333', region: 'us-east-1' };
    const secrets = await db.prisma.catalogSecret.findMany({ select: { name: true, arn: true } });
    for (const s of secrets) {
      expect(s.arn).toBe(sandboxSecretArn('us-east-1', s.name));
      expect(() => assertSecretArnMatches(s.arn!, s.name, account)).not.toThrow();
    }
    const rolesInCatalog = await db.prisma.catalogRole.findMany({ select: { environment: true, policy: true, team: { select: { slug: true } } } });
    for (const r of rolesInCatalog)
      expect(() => assertRolePolicyMatches(r.policy as unknown as PolicyStatement[], r.team.slug, r.environment, account)).not.toThrow();
    // One statement per service, each on that service's resources of the team (not arn:aws:*:*:*:*dev-payments-*).
    const readOnly = await db.prisma.catalogRole.findUniqueOrThrow({ where: { id: 'role_payments_dev_read_only' }, select: { policy: true } });
    expect(readOnly.policy).toEqual([
      { actions: ['logs:GetLogEvents', 'logs:FilterLogEvents'], resources: ['arn:aws:logs:*:111122223333:log-group:/aws/lambda/dev-payments-*'] },
      { actions: ['cloudwatch:GetMetricData'], resources: ['arn:aws:cloudwatch:*:111122223333:alarm:dev-payments-*'] },
      { actions: ['lambda:GetFunction'], resources: ['arn:aws:lambda:*:111122223333:function:dev-payments-*'] },
    ]);
  });

  it('leaves an intact audit chain behind', async () => {
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, firstBreak: null });
  });
});
