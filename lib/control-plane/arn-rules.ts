import type { Environment } from '@/lib/environments';
import type { PolicyStatement } from '@/lib/catalog/schemas';
import { AppError } from '@/lib/errors';
import { TEAM_ROLE_PATH, teamRoleName } from '@/lib/grants/policy';

/**
 * Catalog entries point only into their own environment (docs/decisions/032): a DEV entry cannot
 * carry a prod secret's ARN, nor a DEV role a policy on prod resources.
 */

/** The AWS account (and region) an environment's resources live in. */
export interface ExpectedAccount {
  partition: string;
  accountId: string;
  region: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The shape of the ARN a catalog secret named `<env>/<team>/<name>` must have. */
export function expectedSecretArnShape(name: string, account: ExpectedAccount): string {
  return `arn:${account.partition}:secretsmanager:${account.region}:${account.accountId}:secret:${name}-XXXXXX`;
}

/** Refuses (422, with the expected shape) a secret ARN that is not this entry's secret in its environment's account and region. */
export function assertSecretArnMatches(arn: string, name: string, account: ExpectedAccount): void {
  const pattern = new RegExp(
    `^arn:${escape(account.partition)}:secretsmanager:${escape(account.region)}:${account.accountId}:secret:${escape(name)}-[A-Za-z0-9]{6}$`,
  );
  if (!pattern.test(arn)) {
    throw new AppError(
      'UNPROCESSABLE',
      `The ARN does not belong to ${name}: it must be ${expectedSecretArnShape(name, account)} (the secret's name plus AWS's 6-character suffix, in this environment's account and region).`,
    );
  }
}

/** Refuses (422) a KMS key ARN outside the environment's account and region. */
export function assertKmsKeyArnMatches(arn: string, account: ExpectedAccount): void {
  const pattern = new RegExp(`^arn:${escape(account.partition)}:kms:${escape(account.region)}:${account.accountId}:key/[A-Za-z0-9-]+$`);
  if (!pattern.test(arn)) {
    throw new AppError(
      'UNPROCESSABLE',
      `The KMS key must be arn:${account.partition}:kms:${account.region}:${account.accountId}:key/<key id> (this environment's account and region).`,
    );
  }
}

/** The ARN the grant engine gives a catalog role (lib/grants/policy.ts teamRoleSpec): it is derived, never typed. */
export function expectedRoleArn(teamSlug: string, environment: Environment, fn: string, account: ExpectedAccount): string {
  return `arn:${account.partition}:iam::${account.accountId}:role${TEAM_ROLE_PATH}${teamRoleName(teamSlug, environment, fn)}`;
}

/**
 * The resource-type prefixes a role policy resource may carry before its name, by service. Only
 * literal prefixes: whatever follows must start with the team/environment token. An unknown
 * service gets no type prefix: its resource part itself must start with the token.
 */
const RESOURCE_TYPE_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  lambda: ['function:'],
  secretsmanager: ['secret:'],
  dynamodb: ['table/'],
  // Log groups are named `/aws/lambda/<function>` by Lambda, `/<env>/<team>/…` or `<env>-<team>-…` by us.
  logs: ['log-group:/aws/lambda/', 'log-group:/', 'log-group:'],
  redshift: ['cluster:'],
  cloudwatch: ['alarm:'],
  sqs: [''],
  s3: [''],
};

/**
 * Whether a resource's name STARTS with the catalog's token for the team in the environment:
 * `<env>-<team>-…`, `<env>-<team>/…`, `<env>/<team>/…` or exactly `<env>-<team>`. Nothing (no `*` or
 * `?`, no other name) may come before the token, or `prod-payments-ledger/dev-payments-*` and
 * `*dev-payments-*` would pass.
 */
function namesTeamEnvironment(service: string, resource: string, teamSlug: string, environment: Environment): boolean {
  const env = environment.toLowerCase();
  const starts = [`${env}-${teamSlug}-`, `${env}-${teamSlug}/`, `${env}/${teamSlug}/`];
  return (RESOURCE_TYPE_PREFIXES[service] ?? ['']).some((prefix) => {
    if (!resource.startsWith(prefix)) return false;
    const name = resource.slice(prefix.length);
    return name === `${env}-${teamSlug}` || starts.some((token) => name.startsWith(token));
  });
}

/**
 * Refuses (422, with the expected shape) a role policy resource outside the role's environment
 * (docs/decisions/032, amended): each ARN must be in the environment's partition, name one service
 * (not `*`: a wildcard service cannot be bound to a name shape), be in its account (or leave the
 * account empty, as S3 and IAM ARNs do — never `*`), and its name must start with the team's token
 * in that environment, after the service's resource-type prefix (`function:`, `secret:`, …).
 * The region may be this one, empty or `*`: the account is the boundary between environments today
 * (one account per portal, `expectedAccountFor`), so a region wildcard widens nothing across it.
 */
export function assertRolePolicyMatches(policy: readonly PolicyStatement[], teamSlug: string, environment: Environment, account: ExpectedAccount): void {
  const env = environment.toLowerCase();
  const shape = `arn:${account.partition}:<service>:${account.region}|*|(empty):${account.accountId}|(empty):[function:|secret:|table/|log-group:/aws/lambda/|…]<name starting ${env}-${teamSlug}-… or ${env}/${teamSlug}/…>`;
  for (const statement of policy) {
    for (const resource of statement.resources) {
      const parts = resource.split(':');
      const [arn, partition, service = '', region, accountId] = parts;
      const rest = parts.slice(5).join(':');
      const ok =
        parts.length >= 6 &&
        arn === 'arn' &&
        partition === account.partition &&
        /^[a-z0-9-]+$/.test(service) &&
        (region === '' || region === '*' || region === account.region) &&
        (accountId === '' || accountId === account.accountId) &&
        namesTeamEnvironment(service, rest, teamSlug, environment);
      if (!ok) throw new AppError('UNPROCESSABLE', `The resource ${resource} is outside ${teamSlug} in ${env}: a resource of this role must be ${shape}.`);
    }
  }
}
