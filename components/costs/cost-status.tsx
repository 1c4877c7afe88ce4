import type { ReactNode } from 'react';
import { moneyFormat } from '@/lib/i18n/format';
import { Time } from '@/components/time';
import { Badge } from '@/components/ui/badge';
import type { CostBasis } from '@/lib/costs/schemas';
import type { CostOverviewView } from '@/lib/costs/service';
import type { Translate } from '@/lib/i18n/messages';

/**
 * Where the figures come from: the basis, how old they are, this month's paid requests, and the
 * warnings for stale figures or a missing forecast. `refresh` is the "refresh now" control, if allowed.
 */
export function CostStatus({
  view,
  basis,
  refreshHours,
  refresh,
  t,
}: {
  view: CostOverviewView;
  basis: CostBasis;
  refreshHours: number;
  refresh: ReactNode;
  t: Translate;
}) {
  const money = moneyFormat(t.locale);
  // The time sits where each language's sentence puts it.
  const [asOfBefore = '', asOfAfter = ''] = t('costs.asOf', { time: '\u0000' }).split('\u0000');
  const unavailable = view.forecastUnavailable;
  const [retryBefore = '', retryAfter = ''] = unavailable ? t('costs.forecastUnavailable', { code: unavailable.code, time: '\u0000' }).split('\u0000') : [];
  return (
    <>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm" data-testid="cost-status">
        <Badge tone="info" data-testid="cost-basis">
          {t('costs.basisLabel', { basis: t(`costs.basis.${basis}`) })}
        </Badge>
        <span className="text-muted">
          {asOfBefore}
          <Time value={view.asOf} />
          {asOfAfter}
          {view.mode === 'sandbox' ? ` · ${t('costs.sandboxData')}` : ''}
        </span>
        <span className="text-muted" data-testid="cost-requests">
          {t(view.mode === 'sandbox' ? 'costs.requests.sandbox' : 'costs.requests', {
            count: view.requestsThisMonth.count,
            cost: money.format(view.requestsThisMonth.usd),
          })}
        </span>
        <span className="text-xs text-muted">{t('costs.refreshEvery', { hours: refreshHours })}</span>
        {refresh}
      </div>
      <p className="text-xs text-muted">{t(`costs.basis.explain.${basis}`)}</p>
      {view.stale ? (
        <p role="status" className="text-sm text-warn">
          {t('costs.stale')}
        </p>
      ) : null}
      {unavailable ? (
        // The billed figures below are real; only the forecast is missing (decision 027).
        <p role="status" className="text-sm text-warn" data-testid="forecast-unavailable">
          {retryBefore}
          <Time value={unavailable.retryAt} />
          {retryAfter}
        </p>
      ) : null}
    </>
  );
}
