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
  const pattern = new RegExp(`^arn:${escape(account.partition)}:secretsmanager:${escape(account.region)}:${account.accountId}:secret:${escape(name)}-[A-Za-z0-9]{6}$`);
  if (!pattern.test(arn)) {
    throw new AppError('UNPROCESSABLE', `The ARN does not belong to ${name}: it must be ${expectedSecretArnShape(name, account)} (the secret's name plus AWS's 6-character suffix, in this environment's account and region).`);
  }
}

/** Refuses (422) a KMS key ARN outside the environment's account and region. */
export function assertKmsKeyArnMatches(arn: string, account: ExpectedAccount): void {
  const pattern = new RegExp(`^arn:${escape(account.partition)}:kms:${escape(account.region)}:${account.accountId}:key/[A-Za-z0-9-]+$`);
  if (!pattern.test(arn)) {
    throw new AppError('UNPROCESSABLE', `The KMS key must be arn:${account.partition}:kms:${account.region}:${account.accountId}:key/<key id> (this environment's account and region).`);
  }
}

/** The ARN the grant engine gives a catalog role (lib/grants/policy.ts teamRoleSpec): it is derived, never typed. */
export function expectedRoleArn(teamSlug: string, environment: Environment, fn: string, account: ExpectedAccount): string {
  return `arn:${account.partition}:iam::${account.accountId}:role${TEAM_ROLE_PATH}${teamRoleName(teamSlug, environment, fn)}`;
}

/** The catalog's naming convention for a team's resources in an environment: `<env>-<team>-…` or `<env>/<team>/…`. */
function namesTeamEnvironment(resource: string, teamSlug: string, environment: Environment): boolean {
  const env = environment.toLowerCase();
  return new RegExp(`(^|[^a-z0-9])${escape(env)}[-/]${escape(teamSlug)}([-/]|$)`).test(resource);
}

/**
 * Refuses (422, with the expected shape) a role policy resource outside the role's environment:
 * each ARN must be in the environment's partition, in its account and region (or leave them empty
 * or wildcarded, as S3 and IAM ARNs do), and name the team's resources of that environment by the
 * catalog's convention `<env>-<team>-…` or `<env>/<team>/…`.
 */
export function assertRolePolicyMatches(policy: readonly PolicyStatement[], teamSlug: string, environment: Environment, account: ExpectedAccount): void {
  const env = environment.toLowerCase();
  const shape = `arn:${account.partition}:<service>:${account.region}|*|(empty):${account.accountId}|*|(empty):<resource naming ${env}-${teamSlug}-… or ${env}/${teamSlug}/…>`;
  for (const statement of policy) {
    for (const resource of statement.resources) {
      const parts = resource.split(':');
      const [arn, partition, , region, accountId] = parts;
      const rest = parts.slice(5).join(':');
      const ok =
        parts.length >= 6 &&
        arn === 'arn' &&
        partition === account.partition &&
        (region === '' || region === '*' || region === account.region) &&
        (accountId === '' || accountId === '*' || accountId === account.accountId) &&
        namesTeamEnvironment(rest, teamSlug, environment);
      if (!ok) throw new AppError('UNPROCESSABLE', `The resource ${resource} is outside ${teamSlug} in ${env}: a resource of this role must be ${shape}.`);
    }
  }
}
