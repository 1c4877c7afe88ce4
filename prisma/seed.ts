import type { PrismaClient } from '@/lib/server/db/generated/client';
import type { AppRole } from '@/lib/identity/actor';
import { REQUEST_TYPES, secretName } from '@/lib/access/model';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import { defaultRule } from '@/lib/access/rules';
import { SANDBOX_ACCOUNT_ID, sandboxSecretArn, sandboxUserArn } from '@/lib/cloud/sandbox-ids';
import type { PolicyStatement } from '@/lib/catalog/schemas';

// Demo organisation for local mode and e2e tests. Ids are stable so that tests and links can name
// them. Re-running creates what is missing and leaves what admins changed alone.
export const SEED_TEAMS = [
  { id: 'team_payments', slug: 'payments', name: 'Payments', description: 'Card and bank payment APIs' },
  { id: 'team_platform', slug: 'platform', name: 'Platform', description: 'Shared infrastructure, CI/CD and the portal itself' },
  { id: 'team_data', slug: 'data', name: 'Data', description: 'Pipelines, warehouse and reporting' },
] as const;

type SeedUser = { id: string; email: string; name: string; roles: AppRole[]; teams: { id: string; lead?: boolean }[] };

export const SEED_USERS: readonly SeedUser[] = [
  { id: 'usr_minji_kim', email: 'minji.kim@example.com', name: 'Minji Kim', roles: ['ENGINEER'], teams: [{ id: 'team_payments' }] },
  { id: 'usr_jaewon_choi', email: 'jaewon.choi@example.com', name: 'Jae-won Choi', roles: ['ENGINEER'], teams: [{ id: 'team_payments', lead: true }] },
  { id: 'usr_daniel_okafor', email: 'daniel.okafor@example.com', name: 'Daniel Okafor', roles: ['ENGINEER'], teams: [{ id: 'team_data' }] },
  { id: 'usr_seoyeon_park', email: 'seoyeon.park@example.com', name: 'Seo-yeon Park', roles: ['SECURITY'], teams: [{ id: 'team_platform' }] },
  { id: 'usr_lucas_meyer', email: 'lucas.meyer@example.com', name: 'Lucas Meyer', roles: ['SECURITY'], teams: [{ id: 'team_platform' }] },
  { id: 'usr_priya_raman', email: 'priya.raman@example.com', name: 'Priya Raman', roles: ['OPS', 'ENGINEER'], teams: [{ id: 'team_platform' }] },
  { id: 'usr_hyunwoo_lee', email: 'hyunwoo.lee@example.com', name: 'Hyun-woo Lee', roles: ['ADMIN'], teams: [{ id: 'team_platform', lead: true }] },
  // Object-level checks (e2e/authz-matrix.spec.ts): an OPS-only user, and a third security user
  // whom a test demotes to show that a frozen approver must still hold the role when deciding.
  { id: 'usr_tomas_novak', email: 'tomas.novak@example.com', name: 'Tomas Novak', roles: ['OPS'], teams: [{ id: 'team_platform' }] },
  { id: 'usr_amara_osei', email: 'amara.osei@example.com', name: 'Amara Osei', roles: ['SECURITY'], teams: [{ id: 'team_platform' }] },
];

const SEED_SECRETS: { team: string; teamSlug: string; env: Environment; name: string; description: string }[] = [
  { team: 'team_payments', teamSlug: 'payments', env: 'PROD', name: 'stripe-api-key', description: 'Stripe secret key used by the payments API' },
  { team: 'team_payments', teamSlug: 'payments', env: 'PROD', name: 'db-app-password', description: 'Application user of the payments database' },
  { team: 'team_payments', teamSlug: 'payments', env: 'STAGING', name: 'stripe-api-key', description: 'Stripe test-mode key for staging' },
  { team: 'team_payments', teamSlug: 'payments', env: 'DEV', name: 'stripe-api-key', description: 'Stripe test-mode key for dev' },
  { team: 'team_data', teamSlug: 'data', env: 'PROD', name: 'warehouse-readonly', description: 'Read-only warehouse credentials for reporting' },
  { team: 'team_data', teamSlug: 'data', env: 'DEV', name: 'warehouse-readonly', description: 'Dev warehouse credentials' },
  { team: 'team_platform', teamSlug: 'platform', env: 'PROD', name: 'slack-webhook', description: 'Incoming webhook of the #alerts channel' },
];

const ROLE_FUNCTIONS: { fn: string; description: string; actions: string[] }[] = [
  {
    fn: 'read-only',
    description: 'Read logs, metrics and function configuration',
    actions: ['logs:GetLogEvents', 'logs:FilterLogEvents', 'cloudwatch:GetMetricData', 'lambda:GetFunction'],
  },
  {
    fn: 'deployer',
    description: 'Publish function versions and shift the live alias',
    actions: ['lambda:UpdateFunctionCode', 'lambda:PublishVersion', 'lambda:UpdateAlias', 'lambda:GetFunction'],
  },
  {
    fn: 'on-call',
    description: 'Redrive the dead-letter queue and read everything on-call needs',
    actions: ['sqs:StartMessageMoveTask', 'sqs:GetQueueAttributes', 'logs:FilterLogEvents', 'cloudwatch:DescribeAlarms'],
  },
];

/**
 * Each service's resources of a team in an environment (`prefix` is `<env>-<team>-`), in the
 * environment's account, any region: the precise shapes lib/control-plane/arn-rules.ts accepts.
 * CloudWatch GetMetricData has no resource-level permissions (AWS only honours it with Resource
 * "*", which the ARN rules refuse), so cloudwatch actions get the team's alarms: DescribeAlarms
 * works on them, GetMetricData is then not granted by this statement in a real account.
 */
const SEED_RESOURCES: Record<string, (prefix: string, account: string) => string> = {
  lambda: (prefix, account) => `arn:aws:lambda:*:${account}:function:${prefix}*`,
  logs: (prefix, account) => `arn:aws:logs:*:${account}:log-group:/aws/lambda/${prefix}*`,
  cloudwatch: (prefix, account) => `arn:aws:cloudwatch:*:${account}:alarm:${prefix}*`,
  sqs: (prefix, account) => `arn:aws:sqs:*:${account}:${prefix}*`,
};

/** One statement per service of the function's actions, on that service's resources of the team in the environment. */
function seedRolePolicy(actions: readonly string[], prefix: string, account: string): PolicyStatement[] {
  const byService = new Map<string, string[]>();
  for (const action of actions) {
    const service = action.split(':')[0]!;
    byService.set(service, [...(byService.get(service) ?? []), action]);
  }
  return Array.from(byService, ([service, serviceActions]) => {
    const resource = SEED_RESOURCES[service];
    if (!resource) throw new Error(`The seed has no resource shape for ${service} actions.`);
    return { actions: serviceActions, resources: [resource(prefix, account)] };
  });
}

/** Where an environment's resources are: the account and region its catalog ARNs point into. */
export interface SeedAccount {
  accountId: string;
  region: string;
}

export interface SeedOptions {
  /** Region of the sandbox account the demo catalog's ARNs point into (when `accountOf` is not given). */
  region?: string;
  /**
   * The account of each environment (docs/decisions/040-sandbox-accounts.md); default: the
   * sandbox account 111122223333 in `region` for every environment.
   */
  accountOf?: (environment: Environment) => SeedAccount;
}

/** Catalog entries (with their sandbox ARNs), the demo users' AWS identities and the default approval rules. */
async function seedAccess(prisma: PrismaClient, region: string, accountOf: (environment: Environment) => SeedAccount): Promise<void> {
  for (const s of SEED_SECRETS) {
    const name = secretName(s.env, s.teamSlug, s.name);
    const account = accountOf(s.env);
    const arn = sandboxSecretArn(account.region, name, account.accountId);
    // A database seeded before environments had accounts of their own holds the entry in the
    // original account: moved to its environment's account, unless an admin changed its ARN.
    const before = sandboxSecretArn(region, name);
    if (arn !== before) await prisma.catalogSecret.updateMany({ where: { name, arn: before }, data: { arn } });
    await prisma.catalogSecret.upsert({
      where: { name },
      create: {
        id: `sec_${name.replace(/[^a-z0-9]+/g, '_')}`,
        name,
        environment: s.env,
        teamId: s.team,
        description: s.description,
        arn,
      },
      update: {},
    });
  }
  // Each demo user acts in every account (the sandbox's, and each environment's) as the IAM user
  // named after their email: one principal per account (docs/decisions/039).
  const accountIds = [...new Set([SANDBOX_ACCOUNT_ID, ...ENVIRONMENTS.map((environment) => accountOf(environment).accountId)])];
  for (const user of SEED_USERS) {
    const userName = user.email.split('@')[0]!;
    for (const accountId of accountIds) {
      await prisma.awsPrincipal.upsert({
        where: { userId_accountId: { userId: user.id, accountId } },
        create: { userId: user.id, accountId, kind: 'IAM_USER', name: userName, arn: sandboxUserArn(userName, accountId) },
        update: {},
      });
    }
  }
  for (const team of SEED_TEAMS) {
    for (const env of ENVIRONMENTS) {
      for (const r of ROLE_FUNCTIONS) {
        const prefix = `${env.toLowerCase()}-${team.slug}-`;
        const policy = seedRolePolicy(r.actions, prefix, accountOf(env).accountId);
        const before = seedRolePolicy(r.actions, prefix, SANDBOX_ACCOUNT_ID);
        if (JSON.stringify(policy) !== JSON.stringify(before)) {
          // As for secrets: a role seeded in the original account moves with its environment, unless edited.
          await prisma.catalogRole.updateMany({ where: { teamId: team.id, environment: env, function: r.fn, policy: { equals: before } }, data: { policy } });
        }
        await prisma.catalogRole.upsert({
          where: { teamId_environment_function: { teamId: team.id, environment: env, function: r.fn } },
          create: {
            id: `role_${team.slug}_${env.toLowerCase()}_${r.fn.replace(/-/g, '_')}`,
            teamId: team.id,
            environment: env,
            function: r.fn,
            description: r.description,
            policy,
          },
          update: {},
        });
      }
    }
  }
  for (const type of REQUEST_TYPES) {
    for (const env of ENVIRONMENTS) {
      await prisma.approvalRule.upsert({
        where: { requestType_environment: { requestType: type, environment: env } },
        create: { requestType: type, environment: env, ...defaultRule(type, env) },
        update: {},
      });
    }
  }
}

/** Creates the demo teams and users when missing; safe to re-run. */
export async function seed(
  prisma: PrismaClient,
  { region = 'us-east-1', accountOf = () => ({ accountId: SANDBOX_ACCOUNT_ID, region }) }: SeedOptions = {},
): Promise<void> {
  for (const team of SEED_TEAMS) {
    await prisma.team.upsert({ where: { id: team.id }, create: team, update: {} });
  }
  for (const user of SEED_USERS) {
    await prisma.user.upsert({
      where: { id: user.id },
      create: { id: user.id, email: user.email, name: user.name, roles: user.roles },
      update: {},
    });
    for (const team of user.teams) {
      await prisma.teamMembership.upsert({
        where: { userId_teamId: { userId: user.id, teamId: team.id } },
        create: { userId: user.id, teamId: team.id, isLead: team.lead ?? false },
        update: {},
      });
    }
  }
  await seedAccess(prisma, region, accountOf);
}
