/**
 * Opt-in end-to-end check of the grant engine across accounts against an emulator (`npm run
 * test:aws` with AWS_ENDPOINT_URL pointing at moto): dev and staging live in one account, prod in
 * another, each reached by assuming its role with its external id (moto keeps each assumed
 * account's state apart). A PROD grant runs through the real wiring (grantDeps, cloudFor, the AWS
 * adapters) on a test database: its policy, its registered secret and its team role are read back
 * from prod's account and are absent from dev's and from the portal's own; giving back removes
 * them there; the reconciler finds a copy planted in dev's account as an orphan of dev's, and
 * removes it there only. Emulator only: the made-up accounts cannot be assumed in real AWS.
 */
import { randomBytes } from 'node:crypto';
import {
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessDeps } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { GRANT_POLICY_PATH } from '@/lib/grants/policy';
import type { Actor } from '@/lib/identity/actor';
import type { createTestDatabase as CreateTestDatabase } from '@/lib/server/db/test-databases';

// The suite's own on-switch, not portal configuration: env() has no reason to know it.
// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL } = process.env;
const enabled = Boolean(AWS_ENDPOINT_URL);
if (!enabled) console.info('skipped: set AWS_ENDPOINT_URL to an emulator (moto) that keeps state per assumed account');

const DEV = { id: '210987654321', role: 'arn:aws:iam::210987654321:role/gatehouse-dev', externalId: 'gatehouse-dev-e2e', region: 'us-east-1' };
const PROD = { id: '345678901234', role: 'arn:aws:iam::345678901234:role/gatehouse-prod', externalId: 'gatehouse-prod-e2e', region: 'eu-central-1' };
const run = randomBytes(3).toString('hex');
const TEAM_ROLE = 'gatehouse-payments-prod-on-call';

/** A client acting in an account through its role, independent of the portal's wiring, to read back what is there. */
async function inAccount(account: typeof DEV) {
  const base = { endpoint: AWS_ENDPOINT_URL, region: account.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const out = await new STSClient(base).send(new AssumeRoleCommand({ RoleArn: account.role, RoleSessionName: 'e2e-readback', ExternalId: account.externalId }));
  const c = out.Credentials!;
  const config = { ...base, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } };
  return { iam: new IAMClient(config), secrets: new SecretsManagerClient(config) };
}

async function policyNames(iam: IAMClient): Promise<string[]> {
  return ((await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: GRANT_POLICY_PATH, MaxItems: 1000 }))).Policies ?? []).map(
    (p) => p.PolicyName!,
  );
}

async function exists(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    if (/NoSuchEntity|ResourceNotFound/.test(String((e as { name?: string }).name))) return false;
    throw e;
  }
}

describe.skipIf(!enabled)('grants across accounts against the emulator', () => {
  let db: Awaited<ReturnType<typeof CreateTestDatabase>>;
  let access: AccessDeps;
  let modules: {
    service: typeof import('@/lib/grants/service');
    wiring: typeof import('@/lib/server/grants');
    reconcile: typeof import('@/lib/server/reconcile');
    grantStore: typeof import('@/lib/server/db/repositories/grants');
    reconcileStore: typeof import('@/lib/server/db/repositories/reconcile');
    access: typeof import('@/lib/access/service');
  };
  const users: Record<string, Actor> = {};
  let dev: Awaited<ReturnType<typeof inAccount>>;
  let prod: Awaited<ReturnType<typeof inAccount>>;
  let home: IAMClient;

  beforeAll(async () => {
    // The portal's configuration is read once, when the modules first ask for it: set it first.
    vi.stubEnv('GATEHOUSE_CLOUD', 'aws');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('GATEHOUSE_AUDIT_CHECKPOINTS', 'file');
    const route = (a: typeof DEV, alias: string) => ({ accountId: a.id, alias, regions: [a.region], roleArn: a.role, externalId: a.externalId });
    vi.stubEnv('GATEHOUSE_ACCOUNTS', JSON.stringify({ dev: route(DEV, 'dev'), staging: route(DEV, 'dev'), prod: route(PROD, 'prod') }));
    const { createTestDatabase } = await import('@/lib/server/db/test-databases');
    const { seed } = await import('@/prisma/seed');
    const { createAccessStore } = await import('@/lib/server/db/repositories/access');
    const { findActiveActor } = await import('@/lib/server/db/repositories/users');
    modules = {
      service: await import('@/lib/grants/service'),
      wiring: await import('@/lib/server/grants'),
      reconcile: await import('@/lib/server/reconcile'),
      grantStore: await import('@/lib/server/db/repositories/grants'),
      reconcileStore: await import('@/lib/server/db/repositories/reconcile'),
      access: await import('@/lib/access/service'),
    };
    db = await createTestDatabase('embedded');
    await seed(db.prisma);
    const { expectedAccountFor } = await import('@/lib/server/cloud/account');
    access = { store: createAccessStore(db.prisma), now: () => new Date(), accountFor: expectedAccountFor };
    // Minji's identity in each account: the IAM user of her name there (docs/decisions/039).
    for (const a of [DEV, PROD])
      await db.prisma.awsPrincipal.create({
        data: { userId: 'usr_minji_kim', accountId: a.id, kind: 'IAM_USER', name: 'minji.kim', arn: `arn:aws:iam::${a.id}:user/minji.kim` },
      });
    for (const id of ['usr_minji_kim', 'usr_jaewon_choi', 'usr_seoyeon_park', 'usr_lucas_meyer']) users[id] = (await findActiveActor(id, db.prisma))!;
    [dev, prod] = [await inAccount(DEV), await inAccount(PROD)];
    home = new IAMClient({ endpoint: AWS_ENDPOINT_URL, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    // The team role is made by name: one left in either account by an earlier run against the same emulator goes first.
    for (const a of [dev, prod]) {
      if (!(await exists(() => a.iam.send(new GetRoleCommand({ RoleName: TEAM_ROLE }))))) continue;
      for (const PolicyName of (await a.iam.send(new ListRolePoliciesCommand({ RoleName: TEAM_ROLE }))).PolicyNames ?? [])
        await a.iam.send(new DeleteRolePolicyCommand({ RoleName: TEAM_ROLE, PolicyName }));
      await a.iam.send(new DeleteRoleCommand({ RoleName: TEAM_ROLE }));
    }
    // The requester's IAM user, by name, in each account (a grant attaches to it in its environment's account).
    for (const a of [dev, prod])
      await a.iam.send(new CreateUserCommand({ UserName: 'minji.kim' })).catch((e: { name?: string }) => {
        if (e.name !== 'EntityAlreadyExistsException' && e.name !== 'EntityAlreadyExists') throw e;
      });
  });

  afterAll(async () => {
    await db?.drop();
    vi.unstubAllEnvs();
  });

  /** A PROD request by Minji, approved by two people (the second a security user or, for a role, her team lead). */
  async function approvedProdRequest(input: Partial<CreateRequestInput>, second = 'usr_lucas_meyer') {
    const r = await modules.access.createRequest(
      access,
      users.usr_minji_kim!,
      { justification: 'Incident follow-up in production', durationMinutes: 60, breakGlass: false, ...input } as CreateRequestInput,
      null,
    );
    for (const approver of ['usr_seoyeon_park', second])
      // Signed in just now: prod decisions need a recent sign-in (docs/decisions/046-step-up.md).
      await modules.access.decideRequest(access, { ...users[approver]!, signedInAt: new Date() }, { requestId: r.id, kind: 'APPROVE', comment: '' }, null);
    return db.prisma.grant.findUniqueOrThrow({ where: { requestId: r.id } });
  }

  it('a PROD grant’s policy, registered secret and team role land in prod’s account only; giving back removes them there', async () => {
    const grants = modules.wiring.grantDeps(modules.grantStore.createGrantStore(db.prisma));
    const read = await approvedProdRequest({ type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key' });
    const register = await approvedProdRequest({
      type: 'SECRET_REGISTER',
      environment: 'PROD',
      teamId: 'team_payments',
      secretName: `cross-account-${run}`,
      description: 'A key made in prod’s account',
    });
    const role = await approvedProdRequest({ type: 'ROLE', roleId: 'role_payments_prod_on_call' }, 'usr_jaewon_choi');
    for (const g of [read, register, role]) expect(await modules.service.applyGrant(grants, g.id)).toBe('applied');

    const applied = await db.prisma.grant.findUniqueOrThrow({ where: { id: read.id } });
    expect(applied.policyArn).toBe(`arn:aws:iam::${PROD.id}:policy/gatehouse/${read.policyName}`);
    const inProd = await policyNames(prod.iam);
    expect(inProd).toEqual(expect.arrayContaining([read.policyName, register.policyName, role.policyName]));
    const attached = (await prod.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'minji.kim' }))).AttachedPolicies!.map((p) => p.PolicyName);
    expect(attached).toEqual(expect.arrayContaining([read.policyName, register.policyName, role.policyName]));
    for (const other of [dev.iam, home]) {
      const there = await policyNames(other);
      for (const g of [read, register, role]) expect(there).not.toContain(g.policyName);
    }
    const attachedInDev = (await dev.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'minji.kim' }))).AttachedPolicies!.map((p) => p.PolicyName);
    for (const g of [read, register, role]) expect(attachedInDev).not.toContain(g.policyName);

    // The registered secret is in prod's account and region, with the exact ARN the grant now names.
    const secretName = `prod/payments/cross-account-${run}`;
    const secret = await prod.secrets.send(new DescribeSecretCommand({ SecretId: secretName }));
    expect(secret.ARN).toMatch(new RegExp(`^arn:aws:secretsmanager:${PROD.region}:${PROD.id}:secret:`));
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: register.id } })).resourceArn).toBe(secret.ARN);
    expect(await exists(() => dev.secrets.send(new DescribeSecretCommand({ SecretId: secretName })))).toBe(false);

    // The team role is made in prod's account, and the grant's policy names that role.
    const teamRole = await prod.iam.send(new GetRoleCommand({ RoleName: TEAM_ROLE }));
    expect(teamRole.Role!.Arn).toBe(`arn:aws:iam::${PROD.id}:role/gatehouse/roles/${TEAM_ROLE}`);
    expect(role.resourceArn).toBe(teamRole.Role!.Arn);
    expect(await exists(() => dev.iam.send(new GetRoleCommand({ RoleName: TEAM_ROLE })))).toBe(false);

    for (const g of [read, register, role])
      expect(await modules.service.endGrant(grants, g.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: 'done', origin: null })).toEqual({
        status: 'ENDED',
      });
    const left = await policyNames(prod.iam);
    for (const g of [read, register, role]) expect(left).not.toContain(g.policyName);
    const stillAttached = (await prod.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'minji.kim' }))).AttachedPolicies!.map((p) => p.PolicyName);
    for (const g of [read, register, role]) expect(stillAttached).not.toContain(g.policyName);
  });

  it('reconcile runs per account: a PROD grant’s policy copied into dev’s account is an orphan there, removed there only', async () => {
    const grants = modules.wiring.grantDeps(modules.grantStore.createGrantStore(db.prisma));
    const live = await approvedProdRequest({ type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key' });
    expect(await modules.service.applyGrant(grants, live.id)).toBe('applied');
    const document = JSON.stringify(live.policy);
    await dev.iam.send(new CreatePolicyCommand({ PolicyName: live.policyName, Path: GRANT_POLICY_PATH, PolicyDocument: document }));

    const deps = await modules.reconcile.reconcileDeps(modules.reconcileStore.createReconcileStore(db.prisma));
    expect(deps.accounts.map((a) => [a.key, a.environments])).toEqual([
      [DEV.id, ['DEV', 'STAGING']],
      [PROD.id, ['PROD']],
    ]);
    const scan = await modules.reconcile.scanReconciliation(deps);
    expect(scan.accounts.map((a) => [a.key, a.error])).toEqual([
      [DEV.id, null],
      [PROD.id, null],
    ]);
    const mine = scan.findings.filter((f) => f.policyName === live.policyName);
    expect(mine.map((f) => [f.id, f.kind, f.account])).toEqual([[`ORPHAN:${live.policyName}@${DEV.id}`, 'ORPHAN', { accountId: DEV.id, alias: 'dev' }]]);
    await modules.reconcile.fixFindingById(mine[0]!.id, users.usr_seoyeon_park!, null, deps);
    expect(await policyNames(dev.iam)).not.toContain(live.policyName);
    expect(await policyNames(prod.iam)).toContain(live.policyName);
    expect((await modules.reconcile.scanReconciliation(deps)).findings.filter((f) => f.policyName === live.policyName)).toEqual([]);

    await modules.service.endGrant(grants, live.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: 'done', origin: null });
    expect(await policyNames(prod.iam)).not.toContain(live.policyName);
  });
});
