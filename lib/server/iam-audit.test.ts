import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { BASELINE_GROUP_NAME, BASELINE_POLICY_NAME, generateBaselinePolicy } from '@/lib/iam-audit/baseline';
import type { IamAccountPort } from '@/lib/iam-audit/ports';
import { applyBaseline, decideBaseline, previewBaseline, proposeBaseline, runScan, type IamAuditDeps } from '@/lib/iam-audit/service';
import type { Actor } from '@/lib/identity/actor';
import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { createIamAuditStore } from '@/lib/server/db/repositories/iam-audit';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { createSandboxIamAccount, seedSandboxAuditFixtures } from '@/lib/server/sandbox/iam-account';
import { seedSandboxAccount } from '@/lib/server/sandbox/seed-account';
import { seed } from '@/prisma/seed';

const SETTINGS = { privilegedPrincipals: ['security', 'devops', 'security-*', 'devops-*'], unusedRoleDays: 90 };

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('resolved');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe.each(testDatabaseKinds())('IAM audit and baseline on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let clock = new Date('2026-11-29T10:00:00Z');
  let deps: IamAuditDeps;
  const users: Record<string, Actor> = {};
  const iam = () => createSandboxIamAccount(createSandboxStore(db.prisma), () => clock);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    await seedSandboxAccount(db.prisma);
    deps = {
      iam: iam(),
      accounts: [{ account: { accountId: null, alias: null }, iam: iam() }],
      store: createIamAuditStore(db.prisma),
      settings: SETTINGS,
      now: () => clock,
    };
    for (const id of ['usr_seoyeon_park', 'usr_lucas_meyer', 'usr_minji_kim', 'usr_hyunwoo_lee']) users[id] = (await findActiveActor(id, db.prisma))!;
  });
  afterAll(async () => db.drop());

  const plans = () => db.prisma.iamBaselinePlan.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, status: true } });
  const auditActions = async (targetId: string) =>
    (await db.prisma.auditEvent.findMany({ where: { targetId }, orderBy: { seq: 'asc' }, select: { action: true } })).map((e) => e.action);

  it('a scan of the seeded sandbox finds the deliberately over-broad principals and nothing on the portal’s users', async () => {
    const security = users.usr_seoyeon_park!;
    const scan = await runScan(deps, security, { ip: '10.0.0.9', userAgent: 'vitest' });

    expect(scan.startedByName).toBe('Seo-yeon Park');
    expect(scan.settings).toEqual(SETTINGS);
    expect(scan.findings.map((f) => [f.severity, f.kind, f.principal.type, f.principal.name, f.policy?.name ?? null])).toEqual([
      ['critical', 'INLINE_ADMIN', 'role', 'legacy-admin', 'admin'],
      ['critical', 'INLINE_ADMIN', 'user', 'ci-deployer', 'legacy-deploy'],
      ['critical', 'ADMIN_WILDCARD', 'user', 'legacy-ops', 'AdministratorAccess'],
      ['high', 'SERVICE_WILDCARD', 'group', 'developers', 's3-everything'],
      ['high', 'PASSROLE_WILDCARD', 'user', 'build-bot', 'pass-any-role'],
      ['high', 'SECRET_READ_WILDCARD', 'user', 'data-analyst', 'read-secrets'],
      ['low', 'UNUSED_ROLE', 'role', 'reporting-etl-2023', null],
    ]);
    // The security group may read secrets: exempt. Its members are portal users in the sandbox.
    expect(scan.findings.some((f) => f.principal.name === 'security')).toBe(false);
    expect(scan.findings.find((f) => f.kind === 'SECRET_READ_WILDCARD')?.suggestion?.statement.Resource).toEqual([
      'arn:aws:secretsmanager:*:111122223333:secret:prod/data/*',
    ]);
    // 9 portal users + 4 fixture users, 3 groups, 2 roles.
    expect(scan.principalCount).toBe(18);

    const stored = await deps.store.latestScan();
    expect(stored).toEqual(scan);
    expect(await auditActions(scan.id)).toEqual(['iam.audit.scanned']);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: scan.id }, select: { after: true, ip: true, actorId: true } });
    expect(event).toEqual({
      actorId: 'usr_seoyeon_park',
      ip: '10.0.0.9',
      after: { principalCount: 18, policyCount: 1, findingCount: 7, bySeverity: { critical: 3, high: 3, medium: 0, low: 1 } },
    });
  });

  it('seeding the fixtures again changes nothing', async () => {
    const before = await db.prisma.sandboxObject.count();
    await seedSandboxAuditFixtures(createSandboxStore(db.prisma), new Date('2030-01-01T00:00:00Z'));
    await seedSandboxAccount(db.prisma);
    expect(await db.prisma.sandboxObject.count()).toBe(before);
    const again = await runScan(deps, users.usr_seoyeon_park!, null);
    expect(again.findings.map((f) => f.id)).toEqual((await deps.store.latestScan())!.findings.map((f) => f.id));
  });

  it('baseline: proposed by A, A cannot approve, B approves, applied; the group holds exactly the non-security users', async () => {
    const a = users.usr_seoyeon_park!;
    const b = users.usr_lucas_meyer!;
    const preview = await previewBaseline(deps);
    expect(preview.members).toBeNull();
    expect(preview.document).toEqual(generateBaselinePolicy('aws', '111122223333'));

    const plan = await proposeBaseline(deps, a, null);
    expect(plan).toMatchObject({
      status: 'PROPOSED',
      authorId: a.id,
      authorName: 'Seo-yeon Park',
      groupName: BASELINE_GROUP_NAME,
      policyName: BASELINE_POLICY_NAME,
      version: 0,
    });
    // Everyone outside security / devops: the engineers and the admin (Priya is OPS, Seo-yeon and Lucas SECURITY).
    expect(plan.plan.add.map((m) => m.iamUser)).toEqual(['daniel.okafor', 'hyunwoo.lee', 'jaewon.choi', 'minji.kim']);
    expect(plan.plan).toMatchObject({ remove: [], keep: [], skipped: [], groupExists: false });

    const own = await rejectionOf(decideBaseline(deps, a, { planId: plan.id, decision: 'APPROVE', comment: '' }, null));
    expect(own.code).toBe('FORBIDDEN');
    expect(own.message).toBe('You proposed this plan: another member of the security team or an admin must approve it.');
    expect((await rejectionOf(applyBaseline(deps, a, plan.id, null))).code).toBe('CONFLICT');
    expect((await rejectionOf(decideBaseline(deps, users.usr_minji_kim!, { planId: plan.id, decision: 'APPROVE', comment: '' }, null))).code).toBe('FORBIDDEN');

    // A demoted approver whose session still says SECURITY: the database decides (decision 032).
    await db.prisma.user.update({ where: { id: b.id }, data: { roles: ['ENGINEER'] } });
    const demoted = await rejectionOf(decideBaseline(deps, b, { planId: plan.id, decision: 'APPROVE', comment: '' }, null));
    await db.prisma.user.update({ where: { id: b.id }, data: { roles: ['SECURITY'] } });
    expect(demoted.code).toBe('FORBIDDEN');
    expect((await deps.store.findPlan(plan.id))?.status).toBe('PROPOSED');

    clock = new Date('2026-11-29T10:05:00Z');
    const approved = await decideBaseline(deps, b, { planId: plan.id, decision: 'APPROVE', comment: ' Matches the source document ' }, null);
    expect(approved).toMatchObject({
      status: 'APPROVED',
      decidedById: b.id,
      decidedByName: 'Lucas Meyer',
      decidedAt: clock,
      decisionComment: 'Matches the source document',
    });
    expect((await rejectionOf(decideBaseline(deps, b, { planId: plan.id, decision: 'REJECT', comment: '' }, null))).code).toBe('CONFLICT');

    const applied = await applyBaseline(deps, a, plan.id, { ip: '10.0.0.1', userAgent: 'vitest' });
    expect(applied).toMatchObject({ status: 'APPLIED', appliedById: a.id, appliedAt: clock, attempts: 1, lastError: null });
    expect((await iam().listGroupMembers(BASELINE_GROUP_NAME))?.sort()).toEqual(['daniel.okafor', 'hyunwoo.lee', 'jaewon.choi', 'minji.kim']);
    // The group's policy is the baseline document, and the scan does not flag it.
    const details = await iam().getAccountAuthorizationDetails();
    const group = details.groups.find((g) => g.name === BASELINE_GROUP_NAME)!;
    expect(group).toMatchObject({ path: '/gatehouse/', arn: 'arn:aws:iam::111122223333:group/gatehouse/gatehouse-baseline-secrets' });
    expect(group.attachedPolicies).toEqual([
      { name: BASELINE_POLICY_NAME, arn: 'arn:aws:iam::111122223333:policy/gatehouse/gatehouse-baseline-secrets-metadata' },
    ]);
    expect(details.policies.find((p) => p.name === BASELINE_POLICY_NAME)?.document).toEqual(plan.document);
    const scan = await runScan(deps, a, null);
    expect(scan.findings.some((f) => f.principal.name === BASELINE_GROUP_NAME || f.policy?.name === BASELINE_POLICY_NAME)).toBe(false);

    expect((await rejectionOf(applyBaseline(deps, a, plan.id, null))).message).toBe('This plan has already been applied.');
    expect(await auditActions(plan.id)).toEqual(['iam.baseline.proposed', 'iam.baseline.approved', 'iam.baseline.applied']);
    const appliedEvent = await db.prisma.auditEvent.findFirstOrThrow({ where: { targetId: plan.id, action: 'iam.baseline.applied' }, select: { after: true } });
    expect(appliedEvent.after).toMatchObject({
      added: ['daniel.okafor', 'hyunwoo.lee', 'jaewon.choi', 'minji.kim'],
      removed: [],
      policyArn: 'arn:aws:iam::111122223333:policy/gatehouse/gatehouse-baseline-secrets-metadata',
    });

    // Nothing changed since: the next plan adds and removes nobody.
    expect((await previewBaseline(deps)).plan).toMatchObject({ add: [], remove: [], groupExists: true });
  });

  it('a role change is picked up by the next plan: a new security member leaves the group', async () => {
    await db.prisma.user.update({ where: { id: 'usr_minji_kim' }, data: { roles: ['ENGINEER', 'SECURITY'] } });
    const plan = await proposeBaseline(deps, users.usr_hyunwoo_lee!, null);
    expect(plan.plan.remove).toEqual([{ iamUser: 'minji.kim', userId: 'usr_minji_kim', name: 'Minji Kim' }]);
    expect(plan.plan.add).toEqual([]);
    await decideBaseline(deps, users.usr_seoyeon_park!, { planId: plan.id, decision: 'APPROVE', comment: '' }, null);
    await applyBaseline(deps, users.usr_lucas_meyer!, plan.id, null);
    expect((await iam().listGroupMembers(BASELINE_GROUP_NAME))?.sort()).toEqual(['daniel.okafor', 'hyunwoo.lee', 'jaewon.choi']);
    await db.prisma.user.update({ where: { id: 'usr_minji_kim' }, data: { roles: ['ENGINEER'] } });
  });

  it('a failed apply is recorded with its error and a retry finishes the same plan', async () => {
    const plan = await proposeBaseline(deps, users.usr_seoyeon_park!, null);
    expect(plan.plan.add.map((m) => m.iamUser)).toEqual(['minji.kim']);
    await decideBaseline(deps, users.usr_lucas_meyer!, { planId: plan.id, decision: 'APPROVE', comment: '' }, null);

    let failures = 1;
    const flaky: IamAccountPort = {
      ...iam(),
      async addUserToGroup(group, user) {
        if (failures-- > 0) throw new AppError('RATE_LIMITED', 'IAM AddUserToGroup was throttled by AWS; it will be retried');
        return iam().addUserToGroup(group, user);
      },
    };
    const failing = { ...deps, iam: flaky };
    const e = await rejectionOf(applyBaseline(failing, users.usr_seoyeon_park!, plan.id, null));
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toBe(
      'Applying the baseline failed: IAM AddUserToGroup was throttled by AWS; it will be retried Every step is idempotent: apply again to retry.',
    );
    expect(await deps.store.findPlan(plan.id)).toMatchObject({
      status: 'APPLY_FAILED',
      attempts: 1,
      lastError: 'IAM AddUserToGroup was throttled by AWS; it will be retried',
    });

    const retried = await applyBaseline(failing, users.usr_seoyeon_park!, plan.id, null);
    expect(retried).toMatchObject({ status: 'APPLIED', attempts: 2, lastError: null });
    expect(await iam().listGroupMembers(BASELINE_GROUP_NAME)).toContain('minji.kim');
    expect(await auditActions(plan.id)).toEqual(['iam.baseline.proposed', 'iam.baseline.approved', 'iam.baseline.apply_failed', 'iam.baseline.applied']);
  });

  it('a new proposal supersedes the open one; rejecting ends a plan; only one apply runs at a time', async () => {
    const first = await proposeBaseline(deps, users.usr_seoyeon_park!, null);
    const second = await proposeBaseline(deps, users.usr_lucas_meyer!, null);
    expect((await deps.store.findPlan(first.id))?.status).toBe('SUPERSEDED');
    expect(await auditActions(first.id)).toEqual(['iam.baseline.proposed', 'iam.baseline.superseded']);
    expect((await rejectionOf(decideBaseline(deps, users.usr_seoyeon_park!, { planId: first.id, decision: 'APPROVE', comment: '' }, null))).code).toBe(
      'CONFLICT',
    );

    // The author may withdraw their own proposal.
    const rejected = await decideBaseline(deps, users.usr_lucas_meyer!, { planId: second.id, decision: 'REJECT', comment: 'Wait for the new hires' }, null);
    expect(rejected).toMatchObject({ status: 'REJECTED', decisionComment: 'Wait for the new hires' });
    expect((await deps.store.latestPlan())?.id).toBe(second.id);

    // Two proposals at once: exactly one stays open.
    await Promise.all([proposeBaseline(deps, users.usr_seoyeon_park!, null), proposeBaseline(deps, users.usr_lucas_meyer!, null)]);
    expect((await plans()).filter((p) => ['PROPOSED', 'APPROVED', 'APPLY_FAILED'].includes(p.status))).toHaveLength(1);

    // Two applies at once (double click, two replicas): one applies, the other is told it is busy.
    const open = (await deps.store.latestPlan())!;
    const approver = open.authorId === 'usr_seoyeon_park' ? users.usr_lucas_meyer! : users.usr_seoyeon_park!;
    await decideBaseline(deps, approver, { planId: open.id, decision: 'APPROVE', comment: '' }, null);
    const results = await Promise.allSettled([applyBaseline(deps, approver, open.id, null), applyBaseline(deps, approver, open.id, null)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('CONFLICT');
    expect(await auditActions(open.id)).toEqual(['iam.baseline.proposed', 'iam.baseline.approved', 'iam.baseline.applied']);
  });

  it('keeps the audit chain intact through all of it', async () => {
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, firstBreak: null });
  });
});
