import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ACCOUNT_ID, sandboxSecretArn } from '@/lib/cloud/sandbox-ids';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { parseEnv } from '@/lib/server/env-schema';
import { seedDatabase, seedOptionsFor } from '@/lib/server/prepare-database';
import { createSandboxSns } from '@/lib/server/sandbox/alarms';
import { createSandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { createSandboxSecrets } from '@/lib/server/sandbox/secrets';

const REGION = 'eu-central-1';
const DEV = SANDBOX_ACCOUNT_ID;
const STAGING = '444455556666';
const PROD = '777788889999';

const optionsFor = (more: Record<string, string>) => seedOptionsFor(parseEnv({ GATEHOUSE_CLOUD: 'sandbox', AWS_REGION: REGION, ...more }));

describe('seeding three sandbox accounts', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeEach(async () => {
    db = await createTestDatabase('embedded');
  });
  afterEach(async () => db.drop());
  const store = (accountId: string) => createSandboxStore(db.prisma, accountId);
  const arnOf = async (name: string) => (await db.prisma.catalogSecret.findUniqueOrThrow({ where: { name }, select: { arn: true } })).arn;

  it('puts each environment’s catalog entries, secrets, stack and alarm topic in its own account; users in every account', async () => {
    await seedDatabase(db, optionsFor({}));
    expect(await arnOf('prod/payments/stripe-api-key')).toBe(sandboxSecretArn(REGION, 'prod/payments/stripe-api-key', PROD));
    expect(await arnOf('staging/payments/stripe-api-key')).toBe(sandboxSecretArn(REGION, 'staging/payments/stripe-api-key', STAGING));
    expect(await arnOf('dev/payments/stripe-api-key')).toBe(sandboxSecretArn(REGION, 'dev/payments/stripe-api-key', DEV));
    const role = await db.prisma.catalogRole.findUniqueOrThrow({
      where: { teamId_environment_function: { teamId: 'team_payments', environment: 'PROD', function: 'read-only' } },
      select: { policy: true },
    });
    expect(JSON.stringify(role.policy)).toContain(`:${PROD}:`);
    expect(JSON.stringify(role.policy)).not.toContain(`:${DEV}:`);

    const secretNames = async (id: string) => (await createSandboxSecrets(store(id)).listSecrets()).map((s) => s.name);
    expect(await secretNames(PROD)).toEqual([
      'prod/data/warehouse-readonly',
      'prod/payments/db-app-password',
      'prod/payments/stripe-api-key',
      'prod/platform/slack-webhook',
    ]);
    expect(await secretNames(STAGING)).toEqual(['staging/payments/stripe-api-key']);
    expect(await secretNames(DEV)).toEqual(['dev/data/warehouse-readonly', 'dev/payments/stripe-api-key']);

    for (const id of [DEV, STAGING, PROD]) {
      expect((await createSandboxIam(store(id)).listUsers()).find((u) => u.name === 'minji.kim')?.arn).toBe(`arn:aws:iam::${id}:user/minji.kim`);
    }
    // The audit's over-broad fixtures are the original account's only.
    expect(await store(DEV).get('iam', 'user', 'ci-deployer')).not.toBeNull();
    expect(await store(PROD).get('iam', 'user', 'ci-deployer')).toBeNull();

    const stack = async (id: string, env: string) =>
      createSandboxCloudFormation(store(id), { region: REGION, durationMs: 1000 }).describeStack(`serverless-${env}`);
    expect((await stack(PROD, 'prod'))?.stackId).toMatch(new RegExp(`^arn:aws:cloudformation:${REGION}:${PROD}:stack/serverless-prod/`));
    expect((await stack(STAGING, 'staging'))?.stackId).toMatch(new RegExp(`:${STAGING}:stack/serverless-staging/`));
    expect(await stack(DEV, 'prod')).toBeNull();
    expect(await stack(DEV, 'staging')).toBeNull();
    expect(await stack(STAGING, 'prod')).toBeNull();

    const prodTopic = `arn:aws:sns:${REGION}:${PROD}:serverless-prod-alarms`;
    expect(await createSandboxSns(store(PROD)).listSubscriptions(REGION, prodTopic)).toEqual([
      expect.objectContaining({ endpoint: `arn:aws:lambda:${REGION}:${PROD}:function:serverless-prod-notifier:live` }),
    ]);
    await expect(createSandboxSns(store(DEV)).listSubscriptions(REGION, `arn:aws:sns:${REGION}:${DEV}:serverless-prod-alarms`)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    // Safe to re-run.
    const before = await db.prisma.sandboxObject.count();
    await seedDatabase(db, optionsFor({}));
    expect(await db.prisma.sandboxObject.count()).toBe(before);
  });

  it('moves a database seeded with one account to three, leaving what an admin changed alone; single mode seeds as before', async () => {
    await seedDatabase(db, optionsFor({ GATEHOUSE_SANDBOX_ACCOUNTS: 'single' }));
    expect(await arnOf('prod/payments/stripe-api-key')).toBe(sandboxSecretArn(REGION, 'prod/payments/stripe-api-key'));
    expect(await arnOf('prod/data/warehouse-readonly')).toBe(sandboxSecretArn(REGION, 'prod/data/warehouse-readonly'));
    expect((await createSandboxSecrets(store(DEV)).listSecrets()).length).toBe(7);
    expect(await store(PROD).get('iam', 'user', 'minji.kim')).toBeNull();
    const edited = `arn:aws:secretsmanager:${REGION}:${DEV}:secret:prod/data/warehouse-readonly-Edited`;
    await db.prisma.catalogSecret.update({ where: { name: 'prod/data/warehouse-readonly' }, data: { arn: edited } });

    await seedDatabase(db, optionsFor({}));
    expect(await arnOf('prod/payments/stripe-api-key')).toBe(sandboxSecretArn(REGION, 'prod/payments/stripe-api-key', PROD));
    expect(await arnOf('prod/data/warehouse-readonly')).toBe(edited);
    expect(await arnOf('dev/payments/stripe-api-key')).toBe(sandboxSecretArn(REGION, 'dev/payments/stripe-api-key'));
    expect(await store(PROD).get('iam', 'user', 'minji.kim')).not.toBeNull();
    const role = await db.prisma.catalogRole.findUniqueOrThrow({
      where: { teamId_environment_function: { teamId: 'team_data', environment: 'STAGING', function: 'deployer' } },
      select: { policy: true },
    });
    expect(JSON.stringify(role.policy)).toContain(`arn:aws:lambda:*:${STAGING}:function:staging-data-*`);
  });
});
