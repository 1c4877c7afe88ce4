import 'server-only';
import type { PolicyVersion } from '@aws-sdk/client-iam';
import { isAppError } from '@/lib/errors';
import { toAppError } from '@/lib/server/aws/errors';

// What the grant engine's IAM adapter (iam.ts) and the account-wide one (iam-account.ts) share.

/** IAM keeps at most five versions of a managed policy. */
export const MAX_POLICY_VERSIONS = 5;

/** Sends one IAM call; any failure becomes an AppError that names the operation (details.awsError keeps the AWS name). */
export async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toAppError(e, `IAM ${operation}`);
  }
}

/**
 * True when `e` is the AWS error `code`. The SDK names IAM's modelled errors after their class
 * (`NoSuchEntityException`) while the wire code is `NoSuchEntity`; both are accepted.
 */
export function isAwsError(e: unknown, code: 'NoSuchEntity' | 'EntityAlreadyExists' | 'DeleteConflict'): boolean {
  const name = isAppError(e) ? e.details?.awsError : undefined;
  return name === code || name === `${code}Exception`;
}

/** The ARN partition of a region (IAM ARNs carry it). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** Oldest first: by creation date, then by the number in the version id ("v12"). */
export function byAge(a: PolicyVersion, b: PolicyVersion): number {
  const t = (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0);
  if (t !== 0) return t;
  const n = (v: PolicyVersion) => Number(v.VersionId?.replace(/^v/, '') ?? 0);
  return n(a) - n(b);
}
