import { Badge } from '@/components/ui/badge';
import type { CloudAccount } from '@/lib/cloud/account';
import type { Translate } from '@/lib/i18n/messages';

/** Which account the portal acts in: the sandbox is labelled as such, everywhere. */
export function AccountLabel({ account, t }: { account: CloudAccount | null; t: Translate }) {
  if (!account) return <Badge tone="danger">{t('account.unavailable')}</Badge>;
  if (account.mode === 'sandbox') {
    return (
      <Badge tone="sandbox" data-testid="account-label" title={`${account.accountId} · ${account.region}`}>
        {t('account.sandbox')}
      </Badge>
    );
  }
  return (
    <Badge tone="info" data-testid="account-label" title={account.principalArn}>
      {t('account.aws', { accountId: account.accountId })} · {account.region}
    </Badge>
  );
}
