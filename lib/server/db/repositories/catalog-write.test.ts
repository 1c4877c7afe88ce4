import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAction } from '@/lib/audit/actions';
import type { AuditActor } from '@/lib/audit/model';
import { updateRuleSchema, upsertRoleSchema, upsertSecretSchema } from '@/lib/catalog/schemas';
import { listAuditEvents, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { listEditableSecrets, updateRule, upsertRole, upsertSecret } from '@/lib/server/db/repositories/catalog-write';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

const origin = { ip: '198.51.100.9', userAgent: 'vitest' };
const seoyeon: AuditActor = { id: 'usr_seoyeon_park', name: 'Seo-yeon Park' };
const ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:dev/data/etl-token-AbCdEf';
const KMS = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

// Inputs go through the forms' schemas, as the server actions do.
const secretInput = (fields: Record<string, unknown>) => upsertSecretSchema.parse({ environment: 'DEV', teamId: 'team_data', description: 'ETL token', active: 'on', ...fields });
const roleInput = (fields: Record<string, unknown>) =>
  upsertRoleSchema.parse({
    teamId: 'team_data',
    environment: 'STAGING',
    description: 'Query the warehouse',
    policy: JSON.stringify([{ actions: ['redshift-data:ExecuteStatement'], resources: ['arn:aws:redshift:*:*:cluster:staging-data-*'] }]),
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

  const count = () => db.prisma.auditEvent.count();
  const latest = async (action: AuditAction) => (await listAuditEvents({ action, limit: 1 }, db.prisma)).events[0];

  it('creates a secret named <env>/<team>/<name> and records one event with the new row', async () => {
    const before = await count();
    const { row, changed } = await upsertSecret(secretInput({ name: 'etl-token', arn: ARN }), seoyeon, origin, db.prisma);
    expect(changed).toBe(true);
    expect(row).toEqual({ id: expect.any(String), name: 'dev/data/etl-token', environment: 'DEV', teamId: 'team_data', description: 'ETL token', arn: ARN, kmsKeyArn: null, active: true });
    expect(await count()).toBe(before + 1);
    expect(await latest('catalog.secret.created')).toMatchObject({
      actorId: 'usr_seoyeon_park',
      actorName: 'Seo-yeon Park',
      targetType: 'secret',
      targetId: 'dev/data/etl-token',
      environment: 'DEV',
      teamId: 'team_data',
      requestId: null,
      before: null,
      after: row,
      ip: '198.51.100.9',
      userAgent: 'vitest',
    });
  });

  it('updates a secret (moving it renames it) and records before and after', async () => {
    const [existing] = (await listEditableSecrets(db.prisma)).filter((s) => s.name === 'dev/data/etl-token');
    const start = await count();
    const { row } = await upsertSecret(
      secretInput({ id: existing!.id, environment: 'STAGING', name: 'etl-token', description: 'ETL token (staging)', kmsKeyArn: KMS }),
      seoyeon,
      origin,
      db.prisma,
    );
    expect(row).toMatchObject({ id: existing!.id, name: 'staging/data/etl-token', environment: 'STAGING', arn: null, kmsKeyArn: KMS });
    expect(await count()).toBe(start + 1);
    const event = await latest('catalog.secret.updated');
    expect(event).toMatchObject({ targetType: 'secret', targetId: 'staging/data/etl-token', environment: 'STAGING', teamId: 'team_data', before: existing, after: row });
  });

  it('saving a secret unchanged writes nothing', async () => {
    const [existing] = (await listEditableSecrets(db.prisma)).filter((s) => s.name === 'staging/data/etl-token');
    const start = await count();
    const result = await upsertSecret(
      secretInput({ id: existing!.id, environment: 'STAGING', name: 'etl-token', description: 'ETL token (staging)', kmsKeyArn: KMS }),
      seoyeon,
      origin,
      db.prisma,
    );
    expect(result).toEqual({ row: existing, changed: false });
    expect(await count()).toBe(start);
  });

  it('refuses a name already in the catalog with CONFLICT, writing nothing (create and rename)', async () => {
    const start = await count();
    const secrets = await listEditableSecrets(db.prisma);
    await expect(upsertSecret(secretInput({ environment: 'PROD', teamId: 'team_payments', name: 'stripe-api-key' }), seoyeon, origin, db.prisma)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A secret named prod/payments/stripe-api-key is already in the catalog.',
    });
    const mine = secrets.find((s) => s.name === 'staging/data/etl-token')!;
    await expect(upsertSecret(secretInput({ id: mine.id, environment: 'DEV', name: 'warehouse-readonly' }), seoyeon, origin, db.prisma)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await count()).toBe(start);
    expect(await listEditableSecrets(db.prisma)).toEqual(secrets);
  });

  it('two editors adding the same name at once: one wins, the other gets CONFLICT, the chain holds', async () => {
    const start = await count();
    const results = await Promise.allSettled([
      upsertSecret(secretInput({ name: 'race' }), seoyeon, origin, db.prisma),
      upsertSecret(secretInput({ name: 'race' }), { id: 'usr_lucas_meyer', name: 'Lucas Meyer' }, origin, db.prisma),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
    expect(await count()).toBe(start + 1);
    expect(await db.prisma.catalogSecret.count({ where: { name: 'dev/data/race' } })).toBe(1);
  });

  it('refuses an unknown team (UNPROCESSABLE) and an unknown id (NOT_FOUND), writing nothing', async () => {
    const start = await count();
    await expect(upsertSecret(secretInput({ teamId: 'team_nope', name: 'x' }), seoyeon, origin, db.prisma)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(upsertSecret(secretInput({ id: 'sec_nope', name: 'x' }), seoyeon, origin, db.prisma)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(upsertRole(roleInput({ id: 'role_nope', function: 'x-ray' }), seoyeon, origin, db.prisma)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await count()).toBe(start);
  });

  it('creates and updates a role with its policy, one event each', async () => {
    const start = await count();
    const created = await upsertRole(roleInput({ function: 'analyst' }), seoyeon, origin, db.prisma);
    expect(created.row).toMatchObject({ teamId: 'team_data', environment: 'STAGING', function: 'analyst', active: true });
    expect(await latest('catalog.role.created')).toMatchObject({ targetType: 'role', targetId: 'data/staging/analyst', environment: 'STAGING', teamId: 'team_data', before: null, after: created.row });

    const policy = [{ actions: ['redshift-data:ExecuteStatement', 'redshift-data:GetStatementResult'], resources: ['arn:aws:redshift:*:*:cluster:staging-data-*'] }];
    const updated = await upsertRole(roleInput({ id: created.row.id, function: 'analyst', policy: JSON.stringify(policy), active: undefined }), seoyeon, origin, db.prisma);
    expect(updated.row).toMatchObject({ id: created.row.id, policy, active: false });
    expect(await latest('catalog.role.updated')).toMatchObject({ targetId: 'data/staging/analyst', before: created.row, after: updated.row });
    expect(await count()).toBe(start + 2);

    // The same policy again (keys in another order) is no change.
    const again = await upsertRole(
      roleInput({ id: created.row.id, function: 'analyst', policy: JSON.stringify([{ resources: policy[0]!.resources, actions: policy[0]!.actions }]), active: undefined }),
      seoyeon,
      origin,
      db.prisma,
    );
    expect(again.changed).toBe(false);
    expect(await count()).toBe(start + 2);
  });

  it('refuses a second role with the same team, environment and function', async () => {
    const start = await count();
    await expect(upsertRole(roleInput({ environment: 'PROD', teamId: 'team_payments', function: 'deployer' }), seoyeon, origin, db.prisma)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'The role payments/prod/deployer is already in the catalog.',
    });
    expect(await count()).toBe(start);
  });

  it('updates a rule: later requests see it, the event has before and after', async () => {
    const where = { requestType_environment: { requestType: 'SECRET_READ' as const, environment: 'PROD' as const } };
    const stored = await db.prisma.approvalRule.findUniqueOrThrow({ where });
    const input = updateRuleSchema.parse({ requestType: 'SECRET_READ', environment: 'PROD', approvalsRequired: '1', approverGroup: 'SECURITY', maxDurationMinutes: '240', pendingTtlMinutes: '720' });
    const { row, changed } = await updateRule(input, seoyeon, origin, db.prisma);
    expect(changed).toBe(true);
    expect(row).toEqual({ id: stored.id, requestType: 'SECRET_READ', environment: 'PROD', approvalsRequired: 1, approverGroup: 'SECURITY', maxDurationMinutes: 240, pendingTtlMinutes: 720, breakGlassAllowed: false });
    expect(await latest('rule.updated')).toMatchObject({
      targetType: 'rule',
      targetId: 'SECRET_READ/PROD',
      environment: 'PROD',
      teamId: null,
      before: { id: stored.id, approvalsRequired: 2, maxDurationMinutes: 480, pendingTtlMinutes: 1440, breakGlassAllowed: true },
      after: row,
    });
  });

  it('saving a rule unchanged writes nothing, audit included', async () => {
    const before = await count();
    const input = updateRuleSchema.parse({ requestType: 'SECRET_READ', environment: 'PROD', approvalsRequired: '1', approverGroup: 'SECURITY', maxDurationMinutes: '240', pendingTtlMinutes: '720' });
    expect((await updateRule(input, seoyeon, origin, db.prisma)).changed).toBe(false);
    expect(await count()).toBe(before);
  });

  it('creates the row of a rule that only had the built-in default (before is null)', async () => {
    await db.prisma.approvalRule.delete({ where: { requestType_environment: { requestType: 'ROLE', environment: 'DEV' } } });
    const input = updateRuleSchema.parse({ requestType: 'ROLE', environment: 'DEV', approvalsRequired: '1', approverGroup: 'SECURITY_AND_TEAM_LEAD', maxDurationMinutes: '60', pendingTtlMinutes: '60' });
    const { row } = await updateRule(input, seoyeon, origin, db.prisma);
    expect(await latest('rule.updated')).toMatchObject({ targetId: 'ROLE/DEV', before: null, after: row });
  });

  it('leaves an intact audit chain behind', async () => {
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, firstBreak: null, checked: await count() });
  });
});
