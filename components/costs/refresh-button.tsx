'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';
import { formatInstant } from '@/lib/i18n/format';

/** "Refresh now" for ops and admins: the server refetches only answers at least 10 minutes old. */
export function RefreshCostsButton<I extends object>({ run, input }: { run: (input: I) => Promise<ActionResult>; input: I }) {
  const { t, locale, zone } = useI18n();
  const { call, pending, result, error } = useActionCall(run);
  const data = result?.ok ? (result.data as { refreshed: number; refreshAllowedAt: string | Date }) : null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        type="button"
        size="sm"
        variant="secondary"
        disabled={pending}
        onClick={() => call(input)}
        title={t('costs.refreshHint')}
        aria-describedby="refresh-hint"
      >
        {pending ? t('costs.refreshing') : t('costs.refresh')}
      </Button>
      <span id="refresh-hint" className="text-xs text-muted">
        {t('costs.refreshHint')}
      </span>
      {data ? (
        <span role="status" className="text-xs text-muted">
          {data.refreshed > 0 ? t('costs.refreshed', { count: data.refreshed }) : t('costs.refreshNone')}{' '}
          {t('costs.refreshBound', { time: formatInstant(data.refreshAllowedAt, locale, zone, 'time') })}
        </span>
      ) : null}
      <FormError compact className="text-xs">
        {error?.message}
      </FormError>
    </div>
  );
}
