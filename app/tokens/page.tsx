import type { Metadata } from 'next';
import { createApiTokenAction, revokeApiTokenAction } from '@/app/tokens/actions';
import { CreateTokenForm } from '@/components/tokens/create-token-form';
import { RevokeTokenButton } from '@/components/tokens/revoke-token-button';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import type { Translate } from '@/lib/i18n/messages';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from '@/lib/tokens/schemas';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { listApiTokens, type ApiTokenView } from '@/lib/server/db/repositories/api-tokens';
import { env } from '@/lib/server/env';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'API tokens' };

function statusOf(token: ApiTokenView, now: Date): 'active' | 'expired' | 'revoked' {
  return token.revokedAt ? 'revoked' : token.expiresAt <= now ? 'expired' : 'active';
}

const TONE = { active: 'ok', expired: 'neutral', revoked: 'danger' } as const;

function TokenTable({ tokens, owner, now, t, when }: { tokens: ApiTokenView[]; owner: boolean; now: Date; t: Translate; when: (d: Date) => string }) {
  return (
    <Table data-testid={owner ? 'all-tokens' : 'my-tokens'}>
      <thead>
        <tr>
          <Th>{t('tokens.col.name')}</Th>
          {owner ? <Th>{t('tokens.col.owner')}</Th> : null}
          <Th>{t('tokens.col.scopes')}</Th>
          <Th>{t('tokens.col.created')}</Th>
          <Th>{t('tokens.col.expires')}</Th>
          <Th>{t('tokens.col.lastUsed')}</Th>
          <Th>{t('tokens.col.status')}</Th>
          <Th />
        </tr>
      </thead>
      <tbody>
        {tokens.map((token) => {
          const status = statusOf(token, now);
          return (
            <tr key={token.id} data-token-id={token.id}>
              <Td className="font-medium">
                {token.name} <span className="font-mono text-xs text-muted">…{token.hint}</span>
              </Td>
              {owner ? <Td>{token.userName}</Td> : null}
              <Td className="font-mono text-xs">{token.scopes.join(', ')}</Td>
              <Td>{when(token.createdAt)}</Td>
              <Td>{when(token.expiresAt)}</Td>
              <Td data-testid="token-last-used">{token.lastUsedAt ? when(token.lastUsedAt) : t('tokens.never')}</Td>
              <Td>
                <Badge tone={TONE[status]} data-token-status={status}>
                  {t(`tokens.status.${status}`)}
                </Badge>
              </Td>
              <Td>{status === 'active' ? <RevokeTokenButton tokenId={token.id} name={token.name} action={revokeApiTokenAction} /> : null}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

/** The user's personal API tokens: create one (shown once), list and revoke; security and admins also see everyone's active ones. */
export default async function TokensPage() {
  const actor = await requirePermission('tokens.manage', '/tokens');
  const now = new Date();
  const anyone = can(actor, 'tokens.revoke.any');
  const [{ t, locale }, mine, all] = await Promise.all([getTranslator(), listApiTokens(actor.id, now), anyone ? listApiTokens(null, now) : null]);
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const when = (d: Date) => format.format(d);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('tokens.title')}</h1>
      <p className="text-sm text-muted">{t('tokens.intro')}</p>
      <Card>
        <CardTitle>{t('tokens.create.title')}</CardTitle>
        <CreateTokenForm action={createApiTokenAction} maxDays={TOKEN_MAX_DAYS} defaultDays={TOKEN_DEFAULT_DAYS} portalUrl={env().GATEHOUSE_PUBLIC_URL} />
      </Card>
      <Card>
        <CardTitle>{t('tokens.mine')}</CardTitle>
        {mine.length ? <TokenTable tokens={mine} owner={false} now={now} t={t} when={when} /> : <p className="text-sm text-muted">{t('tokens.none')}</p>}
      </Card>
      {all ? (
        <Card>
          <CardTitle>{t('tokens.all.title')}</CardTitle>
          <p className="mb-3 text-sm text-muted">{t('tokens.all.intro')}</p>
          {all.length ? <TokenTable tokens={all} owner now={now} t={t} when={when} /> : <p className="text-sm text-muted">{t('tokens.all.none')}</p>}
        </Card>
      ) : null}
    </div>
  );
}
