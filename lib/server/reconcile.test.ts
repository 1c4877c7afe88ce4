import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, decideRequest, type AccessDeps } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { GRANT_POLICY_PATH, type PolicyDocument } from '@/lib/grants/policy';
import { principalFromArn } from '@/lib/grants/principals';
import { endGrant, runGrantLifecycle, type GrantDeps } from '@/lib/grants/service';
import type { Actor } from '@/lib/identity/actor';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { createGrantStore } from '@/lib/server/db/repositories/grants';
import { createReconcileStore } from '@/lib/server/db/repositories/reconcile';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, testDatabaseKinds, seededAccountFor, signedIn } from '@/lib/server/db/test-databases';
import { fixAllFindings, fixFinding, fixFindingById, scanReconciliation, type ReconcileDeps } from '@/lib/server/reconcile';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { createSandboxIamAccount } from '@/lib/server/sandbox/iam-account';
import { createSandboxSecrets } from '@/lib/server/sandbox/secrets';
import { seedSandboxAccount } from '@/lib/server/sandbox/seed-account';
import { seed } from '@/prisma/seed';

const DEV_STRIPE = 'sec_dev_payments_stripe_api_key';
const MINJI = principalFromArn('arn:aws:iam::111122223333:user/minji.kim');
const MINJI_REF = { kind: 'IAM_USER', name: 'minji.kim' };
const WIDE: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Tampered', Effect: 'Allow', Action: ['secretsmanager:*'], Resource: ['*'] }] };

describe.each(testDatabaseKinds())('reconciler on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const clock = new Date('2026-11-29T10:00:00Z');
  let access: AccessDeps;
  let grants: GrantDeps;
  let deps: ReconcileDeps;
  const users: Record<string, Actor> = {};
  const iam = () => createSandboxIam(createSandboxStore(db.prisma), () => clock);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    await seedSandboxAccount(db.prisma);
    access = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => clock };
    grants = {
      store: createGrantStore(db.prisma),
      iam: () => iam(),
      secrets: () => createSandboxSecrets(createSandboxStore(db.prisma), () => clock),
      now: () => clock,
      random: () => 0.5,
    };
    deps = {
      accounts: [{ key: 'home', account: { accountId: '111122223333', alias: null }, environments: ['DEV', 'STAGING', 'PROD'], iam: iam() }],
      store: createReconcileStore(db.prisma),
      now: () => clock,
    };
    for (const id of ['usr_minji_kim', 'usr_jaewon_choi', 'usr_seoyeon_park']) users[id] = (await findActiveActor(id, db.prisma))!;
  });
  afterAll(async () => db.drop());

  async function activeGrant(requester = 'usr_minji_kim') {
    const r = await createRequest(
      access,
      users[requester]!,
      {
        type: 'SECRET_READ',
        secretId: DEV_STRIPE,
        justification: 'Checking the payout job config',
        durationMinutes: 60,
        breakGlass: false,
      } as CreateRequestInput,
      null,
    );
    await decideRequest(access, signedIn(users.usr_seoyeon_park!, access.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, null);
    await runGrantLifecycle(grants);
    const g = await db.prisma.grant.findUniqueOrThrow({ where: { requestId: r.id } });
    expect(g.status).toBe('ACTIVE');
    return g;
  }
  const inAws = async (name: string) => (await iam().listPolicies(GRANT_POLICY_PATH)).find((p) => p.name === name) ?? null;
  const auditCount = (action: string, targetId: string) => db.prisma.auditEvent.count({ where: { action, targetId } });

  it('finds an orphan, a tampered document and a detached policy; fixing each removes or restores it, audited', async () => {
    const tampered = await activeGrant();
    const detached = await activeGrant();
    const ended = await activeGrant();
    await activeGrant(); // untouched: no finding
    await endGrant(grants, ended.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: '', origin: null });
    expect((await scanReconciliation(deps)).findings).toEqual([]);

    const orphanArn = await iam().ensurePolicy('gatehouse-grant-orphan1', WIDE, {});
    await iam().attachPolicy(MINJI, orphanArn);
    await iam().ensurePolicy(tampered.policyName, WIDE, {});
    await iam().detachPolicy(MINJI, detached.policyArn!);

    const scan = await scanReconciliation(deps);
    expect(scan.scannedAt).toEqual(clock);
    expect(scan.findings.map((f) => f.id).sort()).toEqual(
      [`DRIFT_ATTACHMENT:${detached.policyName}`, `DRIFT_DOCUMENT:${tampered.policyName}`, 'ORPHAN:gatehouse-grant-orphan1'].sort(),
    );
    expect(scan.findings.find((f) => f.kind === 'DRIFT_DOCUMENT')).toMatchObject({ actual: WIDE, expected: tampered.policy, grantId: tampered.id });

    const security = users.usr_seoyeon_park!;
    await fixFindingById('ORPHAN:gatehouse-grant-orphan1', security, { ip: '10.0.0.7', userAgent: 'vitest' }, deps);
    expect(await inAws('gatehouse-grant-orphan1')).toBeNull();
    await fixFindingById(`DRIFT_DOCUMENT:${tampered.policyName}`, security, null, deps);
    expect((await inAws(tampered.policyName))?.document).toEqual(tampered.policy);
    await fixFindingById(`DRIFT_ATTACHMENT:${detached.policyName}`, security, null, deps);
    expect((await inAws(detached.policyName))?.attachedTo).toEqual([MINJI_REF]);

    expect(await auditCount('reconcile.orphan_removed', 'gatehouse-grant-orphan1')).toBe(1);
    expect(await auditCount('reconcile.drift_restored', tampered.policyName)).toBe(1);
    expect(await auditCount('reconcile.drift_restored', detached.policyName)).toBe(1);
    const orphanEvent = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'reconcile.orphan_removed' } });
    expect(orphanEvent).toMatchObject({
      actorId: security.id,
      targetType: 'policy',
      ip: '10.0.0.7',
      after: null,
      before: { kind: 'ORPHAN', document: WIDE, attachedTo: [MINJI_REF] },
    });

    expect((await scanReconciliation(deps)).findings).toEqual([]);
    await expect(fixFindingById('ORPHAN:gatehouse-grant-orphan1', security, null, deps)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('re-creates an ACTIVE grant’s missing policy, but never restores a grant that ended after the scan', async () => {
    const missing = await activeGrant();
    const ending = await activeGrant();
    for (const g of [missing, ending]) {
      await iam().detachPolicy(MINJI, g.policyArn!);
      await iam().deletePolicy(g.policyArn!);
    }
    const { findings } = await scanReconciliation(deps);
    expect(findings.map((f) => f.id).sort()).toEqual([`MISSING:${missing.policyName}`, `MISSING:${ending.policyName}`].sort());

    await fixFindingById(`MISSING:${missing.policyName}`, users.usr_seoyeon_park!, null, deps);
    expect(await inAws(missing.policyName)).toMatchObject({ document: missing.policy, attachedTo: [MINJI_REF] });
    expect(await auditCount('reconcile.missing_restored', missing.policyName)).toBe(1);

    await endGrant(grants, ending.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: '', origin: null });
    const stale = findings.find((f) => f.grantId === ending.id)!;
    await expect(fixFinding(stale, users.usr_seoyeon_park!, null, deps)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await inAws(ending.policyName)).toBeNull();
    expect(await auditCount('reconcile.missing_restored', ending.policyName)).toBe(0);
    expect((await scanReconciliation(deps)).findings).toEqual([]);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('keeps a path user’s access; removes an orphan from a path user, a group and a role; removes the policy of a deleted principal; then finds nothing', async () => {
    const store = createSandboxStore(db.prisma);
    // Jae-won's IAM user has a path; IAM (and the sandbox) lists its attachments by name only.
    const PATHED = { kind: 'IAM_USER' as const, name: 'jaewon.path', arn: 'arn:aws:iam::111122223333:user/engineers/jaewon.path' };
    expect(await iam().ensureUser(PATHED.name, '/engineers/')).toBe(PATHED.arn);
    await db.prisma.awsPrincipal.updateMany({ where: { userId: 'usr_jaewon_choi' }, data: { name: PATHED.name, arn: PATHED.arn } });
    // Planted outside the portal: a group and a role with paths.
    const GROUP = { kind: 'IAM_GROUP' as const, name: 'engineers' };
    const ROLE = { kind: 'IAM_ROLE' as const, name: 'ops-deployer' };
    await createSandboxIamAccount(store, () => clock).ensureGroup(GROUP.name, '/teams/');
    await store.put('iam', 'role', ROLE.name, {
      arn: 'arn:aws:iam::111122223333:role/ops/ops-deployer',
      path: '/ops/',
      roleId: 'AROAOPSDEPLOYER000001',
      trustPolicy: { Version: '2012-10-17', Statement: [] },
      maxSessionDuration: 3600,
      description: 'made outside the portal',
      inlinePolicies: {},
      tags: {},
      createdAt: clock.toISOString(),
      lastUsedAt: null,
    });

    const arns = await iam().principalArns();
    expect([arns.get('user/jaewon.path'), arns.get('group/engineers'), arns.get('role/ops-deployer')]).toEqual([
      PATHED.arn,
      'arn:aws:iam::111122223333:group/teams/engineers',
      'arn:aws:iam::111122223333:role/ops/ops-deployer',
    ]);

    const live = await activeGrant('usr_jaewon_choi');
    const PATHED_REF = { kind: 'IAM_USER', name: PATHED.name };
    expect((await inAws(live.policyName))?.attachedTo).toEqual([PATHED_REF]);
    expect((await scanReconciliation(deps)).findings).toEqual([]);

    // The live policy also on the group and the role; an orphan on all three; another grant's user deleted.
    await iam().attachPolicyTo(GROUP, live.policyArn!);
    await iam().attachPolicyTo(ROLE, live.policyArn!);
    const orphanArn = await iam().ensurePolicy('gatehouse-grant-orphan2', WIDE, {});
    for (const p of [GROUP, ROLE, PATHED]) await iam().attachPolicyTo(p, orphanArn);
    const lost = await activeGrant();
    await db.prisma.grant.update({ where: { id: lost.id }, data: { principalName: 'leaver', principalArn: 'arn:aws:iam::111122223333:user/leaver' } });
    await iam().ensureUser('leaver');
    await iam().attachPolicyTo({ kind: 'IAM_USER', name: 'leaver' }, lost.policyArn!);
    await iam().detachPolicy({ kind: 'IAM_USER', name: 'minji.kim' }, lost.policyArn!);
    // Deleted in the console: IAM detaches the user's policies, then deletes it.
    await iam().detachPolicy({ kind: 'IAM_USER', name: 'leaver' }, lost.policyArn!);
    await store.remove('iam', 'user', 'leaver');

    const scan = await scanReconciliation(deps);
    expect(Object.fromEntries(scan.findings.map((f) => [f.id, f.fix.detachFrom]))).toEqual({
      [`DRIFT_ATTACHMENT:${live.policyName}`]: [GROUP, ROLE],
      'ORPHAN:gatehouse-grant-orphan2': [GROUP, ROLE, PATHED_REF],
      [`PRINCIPAL_GONE:${lost.policyName}`]: [],
    });

    expect(await fixAllFindings(users.usr_seoyeon_park!, null, deps)).toEqual({ fixed: 3, failed: 0 });
    expect((await inAws(live.policyName))?.attachedTo).toEqual([PATHED_REF]);
    expect(await inAws('gatehouse-grant-orphan2')).toBeNull();
    expect(await inAws(lost.policyName)).toBeNull();
    expect(await auditCount('reconcile.principal_gone_removed', lost.policyName)).toBe(1);
    expect(await auditCount('reconcile.orphan_removed', 'gatehouse-grant-orphan2')).toBe(1);
    expect((await scanReconciliation(deps)).findings).toEqual([]);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });
});
