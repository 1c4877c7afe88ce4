import { createHash } from 'node:crypto';
import type { AccountsConfig } from '@/lib/cloud/accounts';
import type { EnvironmentSlug } from '@/lib/environments';

/**
 * The local sandbox account's id: fixed, so that seeded identities and ARNs are stable (the AWS
 * documentation's example account). With one account per environment it is dev's account, and
 * the portal's own.
 */
export const SANDBOX_ACCOUNT_ID = '111122223333';

/**
 * The accounts the sandbox simulates by default (GATEHOUSE_SANDBOX_ACCOUNTS=three): one per
 * environment, with the AWS documentation's other example ids, so that `npm start` shows the
 * multi-account shape (docs/decisions/040-sandbox-accounts.md).
 */
export const SANDBOX_ACCOUNTS: Readonly<Record<EnvironmentSlug, { accountId: string; alias: string }>> = {
  dev: { accountId: SANDBOX_ACCOUNT_ID, alias: 'sandbox-dev' },
  staging: { accountId: '444455556666', alias: 'sandbox-staging' },
  prod: { accountId: '777788889999', alias: 'sandbox-prod' },
};

/** SANDBOX_ACCOUNTS as a GATEHOUSE_ACCOUNTS configuration (no role to assume: the sandbox is local). */
export const SANDBOX_ACCOUNTS_CONFIG: AccountsConfig = {
  dev: { ...SANDBOX_ACCOUNTS.dev },
  staging: { ...SANDBOX_ACCOUNTS.staging },
  prod: { ...SANDBOX_ACCOUNTS.prod },
};

/** A Secrets Manager ARN as AWS forms it: the name plus a dash and six characters (here derived from the name, so it is stable). */
export function sandboxSecretArn(region: string, name: string, accountId = SANDBOX_ACCOUNT_ID): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(name).digest();
  const suffix = Array.from(digest.subarray(0, 6), (b) => alphabet[b % alphabet.length]).join('');
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

/** The IAM user ARN of a user name in the sandbox account. */
export function sandboxUserArn(userName: string, accountId = SANDBOX_ACCOUNT_ID): string {
  return `arn:aws:iam::${accountId}:user/${userName}`;
}
