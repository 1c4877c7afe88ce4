import { AwsAccount } from '@/components/cloud/aws-account';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import type { AccountScan } from '@/lib/grants/reconcile-service';
import type { Translate } from '@/lib/i18n/messages';

/**
 * The accounts a reconcile scan compared (docs/decisions/039): each with its policies and
 * environments, or why it could not be read. Shown when there are several, or one failed.
 */
export function ReconcileAccounts({ accounts, t }: { accounts: readonly AccountScan[]; t: Translate }) {
  if (accounts.length < 2 && !accounts.some((a) => a.error)) return null;
  return (
    <Card>
      <p className="mb-2 text-sm font-medium">{t('grants.reconcile.accounts')}</p>
      <ul className="space-y-1 text-sm" data-testid="reconcile-accounts">
        {accounts.map((a) => (
          <li key={a.key} data-account-key={a.key} className="flex flex-wrap items-center gap-2">
            <AwsAccount account={a.account} />
            {a.error ? (
              <Alert as="span">{t('grants.reconcile.accountFailed', { error: a.error })}</Alert>
            ) : (
              <span className="text-muted">
                {t('grants.reconcile.accountScanned', {
                  policies: a.policyCount,
                  environments: a.environments.map((e) => t(`access.env.${e}`)).join(', '),
                })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
