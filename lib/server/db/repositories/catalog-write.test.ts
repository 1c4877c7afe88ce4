import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAction } from '@/lib/audit/actions';
import type { AuditActor } from '@/lib/audit/model';
import { updateRuleSchema, upsertRoleSchema, upsertSecretSchema } from '@/lib/catalog/schemas';
import type { ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { DEFAULT_RULE_FLOORS } from '@/lib/control-plane/floors';
import type { ControlPlaneChange } from '@/lib/control-plane/model';
import { listAuditEvents, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import type { ControlPlaneContext } from '@/lib/control-plane/ports';
import { updateRule, upsertRole, upsertSecret } from '@/lib/server/catalog';
import { createCatalogStore, listEditableSecrets } from '@/lib/server/db/repositories/catalog-write';
import { decideChange } from '@/lib/server/control-plane';
import { createDecisionStore } from '@/lib/server/db/repositories/control-plane';
import { listOpenChanges } from '@/lib/server/db/repositories/control-plane-changes';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

const origin = { ip: '198.51.100.9', userAgent: 'vitest' };
const seoyeon: AuditActor = { id: 'usr_seoyeon_park', name: 'Seo-yeon Park' };
const lucas: AuditActor = { id: 'usr_lucas_meyer', name: 'Lucas Meyer' };
const ACCOUNT: ExpectedAccount = { partition: 'aws', accountId: '123456789012', region: 'ap-northeast-2' };
const ctx: ControlPlaneContext = { floors: DEFAULT_RULE_FLOORS, accountFor: async () => ACCOUNT };
const ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dev/data/etl-token-AbCdEf';
const KMS = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

// Inputs go through the forms' schemas, as the server actions do.
const secretInput = (fields: Record<string, unknown>) =>
  upsertSecretSchema.parse({ environment: 'DEV', teamId: 'team_data', description: 'ETL token', active: 'on', ...fields });
const roleInput = (fields: Record<string, unknown>) =>
  upsertRoleSchema.parse({
    teamId: 'team_data',
    environment: 'STAGING',
    description: 'Query the warehouse',
    policy: JSON.stringify([{ actions: ['redshift-data:ExecuteStatement'], resources: ['arn:aws:redshift:*:123456789012:cluster:staging-data-*'] }]),
    active: 'on',
    ...fields,
  });

describe.each(testDatabaseKinds())('catalog edits on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
  });
  afterAll(async () => db.drop());

  const store = () => createCatalogStore(db.prisma);
  const count = () => db.prisma.auditEvent.count();
  const latest = async (action: AuditAction) => (await listAuditEvents({ action, limit: 1 }, db.prisma)).events[0];
  /** The second person (Lucas, security) approves: the change applies in that transaction. */
  const approve = (proposal: ControlPlaneChange | null, by: AuditActor = lucas) =>
    decideChange({ changeId: proposal!.id, decision: 'APPROVE', comment: 'looks right' }, by, origin, ctx, createDecisionStore(db.prisma));

  it('proposes a new secret: nothing is in the catalog until another security user approves it', async () => {
    const before = await count();
    const proposed = await upsertSecret(secretInput({ name: 'etl-token', arn: ARN }), seoyeon, origin, ctx, store());
    expect(proposed).toMatchObject({
      row: null,
      changed: false,
      proposal: { kind: 'CATALOG_SECRET', status: 'PROPOSED', targetLabel: 'dev/data/etl-token', authorId: 'usr_seoyeon_park', before: null },
    });
    expect(await db.prisma.catalogSecret.count({ where: { name: 'dev/data/etl-token' } })).toBe(0);
    expect(await count()).toBe(before + 1);
    expect(await latest('control_plane.change.proposed')).toMatchObject({
      actorId: 'usr_seoyeon_park',
      targetType: 'control_plane_change',
      targetId: 'dev/data/etl-token',
      environment: 'DEV',
      before: null,
    });

    const decided = await approve(proposed.proposal);
    expect(decided).toMatchObject({ status: 'APPLIED', decidedById: 'usr_lucas_meyer', comment: 'looks right' });
    const [row] = (await listEditableSecrets(db.prisma)).filter((s) => s.name === 'dev/data/etl-token');
    expect(row).toEqual({
      id: expect.any(String),
      name: 'dev/data/etl-token',
      environment: 'DEV',
      teamId: 'team_data',
      description: 'ETL token',
      arn: ARN,
      kmsKeyArn: null,
      active: true,
    });
    expect(await count()).toBe(before + 3);
    expect(await latest('catalog.secret.created')).toMatchObject({
      actorId: 'usr_lucas_meyer',
      targetType: 'secret',
      targetId: 'dev/data/etl-token',
      environment: 'DEV',
      teamId: 'team_data',
      before: null,
      after: row,
      ip: '198.51.100.9',
    });
    expect(await latest('control_plane.change.approved')).toMatchObject({
      actorId: 'usr_lucas_meyer',
      targetId: 'dev/data/etl-token',
      after: { changeId: proposed.proposal!.id, status: 'APPLIED', authorId: 'usr_seoyeon_park' },
    });
  });

  it('refuses the author approving their own proposal (FORBIDDEN), applying nothing', async () => {
    const { proposal } = await upsertSecret(secretInput({ name: 'own-token' }), seoyeon, origin, ctx, store());
    const start = await count();
    await expect(approve(proposal, seoyeon)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'You proposed this change: another member of the security team or an admin must approve it.',
    });
    expect(await db.prisma.catalogSecret.count({ where: { name: 'dev/data/own-token' } })).toBe(0);
    expect(await count()).toBe(start);
    // The author withdraws it instead.
    expect(await decideChange({ changeId: proposal!.id, decision: 'WITHDRAW' }, seoyeon, origin, ctx, createDecisionStore(db.prisma))).toMatchObject({
      status: 'WITHDRAWN',
    });
    expect(await latest('control_plane.change.withdrawn')).toMatchObject({ actorId: 'usr_seoyeon_park', targetId: 'dev/data/own-token' });
  });

  it('refuses a DEV entry carrying the prod secret’s ARN (UNPROCESSABLE, with the expected shape), writing nothing', async () => {
    const start = await count();
    const prodArn = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:prod/payments/stripe-api-key-Xy12Ab';
    await expect(
      upsertSecret(secretInput({ teamId: 'team_payments', name: 'stripe-copy', arn: prodArn }), seoyeon, origin, ctx, store()),
    ).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dev/payments/stripe-copy-XXXXXX'),
    });
    const [devStripe] = (await listEditableSecrets(db.prisma)).filter((s) => s.name === 'dev/payments/stripe-api-key');
    await expect(
      upsertSecret(secretInput({ id: devStripe!.id, teamId: 'team_payments', name: 'stripe-api-key', arn: prodArn }), seoyeon, origin, ctx, store()),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(
      upsertSecret(
        secretInput({ name: 'other-account', arn: ARN.replace('123456789012', '999999999999').replace('etl-token', 'other-account') }),
        seoyeon,
        origin,
        ctx,
        store(),
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await count()).toBe(start);
  });

  it('moving a secret (environment, KMS key) is proposed; a description-only edit applies at once', async () => {
    const [existing] = (await listEditableSecrets(db.prisma)).filter((s) => s.name === 'dev/data/etl-token');
    const moved = await upsertSecret(
      secretInput({ id: existing!.id, environment: 'STAGING', name: 'etl-token', description: 'ETL token (staging)', kmsKeyArn: KMS }),
      seoyeon,
      origin,
      ctx,
      store(),
    );
    expect(moved).toMatchObject({ row: existing, changed: false, proposal: { targetLabel: 'staging/data/etl-token', before: existing } });
    expect((await listEditableSecrets(db.prisma)).find((s) => s.id === existing!.id)).toEqual(existing);
    await approve(moved.proposal);
    const after = (await listEditableSecrets(db.prisma)).find((s) => s.id === existing!.id)!;
    expect(after).toMatchObject({ name: 'staging/data/etl-token', environment: 'STAGING', arn: null, kmsKeyArn: KMS });
    expect(await latest('catalog.secret.updated')).toMatchObject({ targetId: 'staging/data/etl-token', before: existing, after });

    const start = await count();
    const described = await upsertSecret(
      secretInput({ id: existing!.id, environment: 'STAGING', name: 'etl-token', description: 'ETL token, nightly', kmsKeyArn: KMS }),
      seoyeon,
      origin,
      ctx,
      store(),
    );
    expect(described).toMatchObject({ changed: true, proposal: null, row: { description: 'ETL token, nightly' } });
    expect(await count()).toBe(start + 1);
  });

  it('saving a secret unchanged writes nothing', async () => {
    const [existing] = (await listEditableSecrets(db.prisma)).filter((s) => s.name === 'staging/data/etl-token');
    const start = await count();
    const result = await upsertSecret(
      secretInput({ id: existing!.id, environment: 'STAGING', name: 'etl-token', description: 'ETL token, nightly', kmsKeyArn: KMS }),
      seoyeon,
      origin,
      ctx,
      store(),
    );
    expect(result).toEqual({ row: existing, changed: false, proposal: null });
    expect(await count()).toBe(start);
  });

  it('refuses to apply a stale proposal (the target changed since) with CONFLICT; it stays open to reject', async () => {
    const [existing] = (await listEditableSecrets(db.prisma)).filter((s) => s.name === 'staging/data/etl-token');
    const arn = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:staging/data/etl-token-Q1w2E3';
    const { proposal } = await upsertSecret(
      secretInput({ id: existing!.id, environment: 'STAGING', name: 'etl-token', description: 'ETL token, nightly', kmsKeyArn: KMS, arn }),
      seoyeon,
      origin,
      ctx,
      store(),
    );
    await upsertSecret(
      secretInput({ id: existing!.id, environment: 'STAGING', name: 'etl-token', description: 'changed meanwhile', kmsKeyArn: KMS }),
      seoyeon,
      origin,
      ctx,
      store(),
    );
    const start = await count();
    await expect(approve(proposal)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'staging/data/etl-token changed after this change was proposed: reject it and propose again.',
    });
    expect((await listEditableSecrets(db.prisma)).find((s) => s.id === existing!.id)!.arn).toBeNull();
    expect(await count()).toBe(start);
    expect(
      await decideChange({ changeId: proposal!.id, decision: 'REJECT', comment: 'stale' }, lucas, origin, ctx, createDecisionStore(db.prisma)),
    ).toMatchObject({ status: 'REJECTED' });
    expect(await latest('control_plane.change.rejected')).toMatchObject({ actorId: 'usr_lucas_meyer' });
  });

  it('refuses a name already in the catalog with CONFLICT, writing nothing (create and rename)', async () => {
    const start = await count();
    const secrets = await listEditableSecrets(db.prisma);
    await expect(
      upsertSecret(secretInput({ environment: 'PROD', teamId: 'team_payments', name: 'stripe-api-key' }), seoyeon, origin, ctx, store()),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A secret named prod/payments/stripe-api-key is already in the catalog.',
    });
    const mine = secrets.find((s) => s.name === 'staging/data/etl-token')!;
    await expect(
      upsertSecret(secretInput({ id: mine.id, environment: 'DEV', name: 'warehouse-readonly' }), seoyeon, origin, ctx, store()),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await count()).toBe(start);
    expect(await listEditableSecrets(db.prisma)).toEqual(secrets);
  });

  it('two editors proposing the same new name at once: one proposal stays open, the other is superseded; the chain holds', async () => {
    const results = await Promise.all([
      upsertSecret(secretInput({ name: 'race' }), seoyeon, origin, ctx, store()),
      upsertSecret(secretInput({ name: 'race' }), lucas, origin, ctx, store()),
    ]);
    expect(results.every((r) => r.proposal?.status === 'PROPOSED')).toBe(true);
    const open = (await listOpenChanges(undefined, db.prisma)).filter((c) => c.targetLabel === 'dev/data/race');
    expect(open).toHaveLength(1);
    expect(await db.prisma.controlPlaneChange.count({ where: { targetLabel: 'dev/data/race', status: 'SUPERSEDED' } })).toBe(1);
    // The one left open is approved by the other person.
    await approve(open[0]!, open[0]!.authorId === lucas.id ? seoyeon : lucas);
    expect(await db.prisma.catalogSecret.count({ where: { name: 'dev/data/race' } })).toBe(1);
  });

  it('refuses an unknown team (UNPROCESSABLE) and an unknown id (NOT_FOUND), writing nothing', async () => {
    const start = await count();
    await expect(upsertSecret(secretInput({ teamId: 'team_nope', name: 'x' }), seoyeon, origin, ctx, store())).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(upsertSecret(secretInput({ id: 'sec_nope', name: 'x' }), seoyeon, origin, ctx, store())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(upsertRole(roleInput({ id: 'role_nope', function: 'x-ray' }), seoyeon, origin, ctx, store())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await count()).toBe(start);
  });

  it('creates a role and changes its policy through proposals; an unchanged policy is no change', async () => {
    const created = await upsertRole(roleInput({ function: 'analyst' }), seoyeon, origin, ctx, store());
    expect(created).toMatchObject({ row: null, proposal: { kind: 'CATALOG_ROLE', targetLabel: 'data/staging/analyst' } });
    await approve(created.proposal);
    const role = await db.prisma.catalogRole.findFirstOrThrow({ where: { teamId: 'team_data', environment: 'STAGING', function: 'analyst' } });
    expect(await latest('catalog.role.created')).toMatchObject({
      actorId: 'usr_lucas_meyer',
      targetType: 'role',
      targetId: 'data/staging/analyst',
      environment: 'STAGING',
      teamId: 'team_data',
      before: null,
    });

    const policy = [
      {
        actions: ['redshift-data:ExecuteStatement', 'redshift-data:GetStatementResult'],
        resources: ['arn:aws:redshift:*:123456789012:cluster:staging-data-*'],
      },
    ];
    const updated = await upsertRole(roleInput({ id: role.id, function: 'analyst', policy: JSON.stringify(policy) }), seoyeon, origin, ctx, store());
    expect(updated.proposal).not.toBeNull();
    await approve(updated.proposal);
    expect((await db.prisma.catalogRole.findUniqueOrThrow({ where: { id: role.id } })).policy).toEqual(policy);
    expect(await latest('catalog.role.updated')).toMatchObject({ targetId: 'data/staging/analyst', after: { policy } });

    // Deactivating applies at once; the same policy again (keys in another order) is no change.
    expect(
      (await upsertRole(roleInput({ id: role.id, function: 'analyst', policy: JSON.stringify(policy), active: undefined }), seoyeon, origin, ctx, store()))
        .changed,
    ).toBe(true);
    const start = await count();
    const again = await upsertRole(
      roleInput({
        id: role.id,
        function: 'analyst',
        policy: JSON.stringify([{ resources: policy[0]!.resources, actions: policy[0]!.actions }]),
        active: undefined,
      }),
      seoyeon,
      origin,
      ctx,
      store(),
    );
    expect(again).toMatchObject({ changed: false, proposal: null });
    expect(await count()).toBe(start);
  });

  it('refuses a DEV role whose policy names prod resources (UNPROCESSABLE), writing nothing', async () => {
    const start = await count();
    const policy = JSON.stringify([
      { actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:prod/data/*'] },
    ]);
    await expect(upsertRole(roleInput({ environment: 'DEV', function: 'reader', policy }), seoyeon, origin, ctx, store())).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('dev-data-… or dev/data/…'),
    });
    expect(await count()).toBe(start);
  });

  it('refuses a second role with the same team, environment and function', async () => {
    const start = await count();
    await expect(
      upsertRole(
        roleInput({
          environment: 'PROD',
          teamId: 'team_payments',
          function: 'deployer',
          policy: JSON.stringify([{ actions: ['lambda:GetFunction'], resources: ['arn:aws:lambda:*:123456789012:function:prod-payments-api'] }]),
        }),
        seoyeon,
        origin,
        ctx,
        store(),
      ),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'The role payments/prod/deployer is already in the catalog.',
    });
    expect(await count()).toBe(start);
  });

  it('a rule change by one security user is not effective until another approves it', async () => {
    const where = { requestType_environment: { requestType: 'SECRET_READ' as const, environment: 'PROD' as const } };
    const stored = await db.prisma.approvalRule.findUniqueOrThrow({ where });
    const input = updateRuleSchema.parse({
      requestType: 'SECRET_READ',
      environment: 'PROD',
      approvalsRequired: '3',
      approverGroup: 'SECURITY',
      maxDurationMinutes: '240',
      pendingTtlMinutes: '720',
    });
    const { proposal, changed } = await updateRule(input, seoyeon, origin, ctx, store());
    expect(changed).toBe(false);
    expect(proposal).toMatchObject({ kind: 'APPROVAL_RULE', targetLabel: 'SECRET_READ/PROD', status: 'PROPOSED' });
    expect(await db.prisma.approvalRule.findUniqueOrThrow({ where })).toEqual(stored);
    await expect(approve(proposal, seoyeon)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await db.prisma.approvalRule.findUniqueOrThrow({ where })).toEqual(stored);

    await approve(proposal);
    const after = await db.prisma.approvalRule.findUniqueOrThrow({ where });
    expect(after).toMatchObject({ approvalsRequired: 3, maxDurationMinutes: 240, pendingTtlMinutes: 720, breakGlassAllowed: false });
    expect(await latest('rule.updated')).toMatchObject({
      actorId: 'usr_lucas_meyer',
      targetType: 'rule',
      targetId: 'SECRET_READ/PROD',
      environment: 'PROD',
      teamId: null,
      before: { id: stored.id, approvalsRequired: 2, maxDurationMinutes: 480, pendingTtlMinutes: 1440, breakGlassAllowed: true },
      after: { id: stored.id, approvalsRequired: 3, maxDurationMinutes: 240 },
    });
  });

  it('saving a rule unchanged writes nothing (no proposal), audit included', async () => {
    const before = await count();
    const input = updateRuleSchema.parse({
      requestType: 'SECRET_READ',
      environment: 'PROD',
      approvalsRequired: '3',
      approverGroup: 'SECURITY',
      maxDurationMinutes: '240',
      pendingTtlMinutes: '720',
    });
    expect(await updateRule(input, seoyeon, origin, ctx, store())).toMatchObject({ changed: false, proposal: null });
    expect(await count()).toBe(before);
  });

  it('refuses a rule crossing the configured floors (UNPROCESSABLE, naming the floor), writing nothing', async () => {
    const start = await count();
    const weak = updateRuleSchema.parse({
      requestType: 'SECRET_READ',
      environment: 'PROD',
      approvalsRequired: '1',
      approverGroup: 'SECURITY',
      maxDurationMinutes: '129600',
      pendingTtlMinutes: '720',
    });
    await expect(updateRule(weak, seoyeon, origin, ctx, store())).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: 'SECRET_READ/PROD: at least 2 approvals are required in prod (configured floor); 1 is below it.',
    });
    const long = updateRuleSchema.parse({
      requestType: 'SECRET_READ',
      environment: 'PROD',
      approvalsRequired: '2',
      approverGroup: 'SECURITY',
      maxDurationMinutes: '129600',
      pendingTtlMinutes: '720',
    });
    await expect(updateRule(long, seoyeon, origin, ctx, store())).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('at most 8 h (configured floor)'),
    });
    expect(await count()).toBe(start);
  });

  it('re-checks the approver’s roles in the database at approval time: a demoted security user cannot approve', async () => {
    const input = updateRuleSchema.parse({
      requestType: 'ROLE',
      environment: 'DEV',
      approvalsRequired: '1',
      approverGroup: 'SECURITY_AND_TEAM_LEAD',
      maxDurationMinutes: '60',
      pendingTtlMinutes: '60',
    });
    const { proposal } = await updateRule(input, seoyeon, origin, ctx, store());
    await db.prisma.user.update({ where: { id: 'usr_lucas_meyer' }, data: { roles: ['ENGINEER'] } });
    try {
      await expect(approve(proposal)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await db.prisma.user.update({ where: { id: 'usr_lucas_meyer' }, data: { roles: ['SECURITY'] } });
    }
  });

  it('creates the row of a rule that only had the built-in default (before is null)', async () => {
    await db.prisma.controlPlaneChange.updateMany({ where: { status: 'PROPOSED', targetKey: 'rule:ROLE/DEV' }, data: { status: 'WITHDRAWN' } });
    await db.prisma.approvalRule.delete({ where: { requestType_environment: { requestType: 'ROLE', environment: 'DEV' } } });
    const input = updateRuleSchema.parse({
      requestType: 'ROLE',
      environment: 'DEV',
      approvalsRequired: '1',
      approverGroup: 'SECURITY_AND_TEAM_LEAD',
      maxDurationMinutes: '60',
      pendingTtlMinutes: '60',
    });
    const { proposal } = await updateRule(input, seoyeon, origin, ctx, store());
    expect(proposal).toMatchObject({ before: null });
    await approve(proposal);
    expect(await latest('rule.updated')).toMatchObject({ targetId: 'ROLE/DEV', before: null, after: { approvalsRequired: 1, maxDurationMinutes: 60 } });
  });

  it('leaves an intact audit chain behind', async () => {
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, firstBreak: null, checked: await count() });
  });
});
