import type { AccountRef } from '@/lib/cloud/accounts';

/**
 * The AWS account a resource lives in (docs/decisions/039): its alias with the id, or the id alone.
 * Every place that shows an AWS resource shows this beside it.
 */
export function AwsAccount({ account, className }: { account: AccountRef | null | undefined; className?: string }) {
  if (!account?.accountId) return null;
  return (
    <span className={className ?? 'font-mono text-xs text-slate-600'} data-testid="aws-account" title={`AWS account ${account.accountId}`}>
      {account.alias ? `${account.alias} · ${account.accountId}` : account.accountId}
    </span>
  );
}
