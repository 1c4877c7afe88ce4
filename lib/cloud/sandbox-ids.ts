import { createHash } from 'node:crypto';

/** The local sandbox account's id: fixed, so that seeded identities and ARNs are stable (the AWS documentation's example account). */
export const SANDBOX_ACCOUNT_ID = '111122223333';

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
