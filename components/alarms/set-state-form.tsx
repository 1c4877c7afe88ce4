'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import type { ActionCallResult } from '@/components/use-action-call';
import { Button } from '@/components/ui/button';
import { ALARM_STATES, type AlarmState } from '@/lib/alarms/model';

export type SetStateInput = { name: string; region: string; account?: string; state: AlarmState; reason: string };

/** Sets the alarm's state (sandbox, ops and admins): the way to try the alert path and this dashboard. */
export function SetStateForm({
  name,
  region,
  account,
  current,
  run,
}: {
  name: string;
  region: string;
  /** The alarm's account when there are several (so the state is set in that one). */
  account?: string;
  current: AlarmState;
  run: (input: SetStateInput) => Promise<ActionCallResult>;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [state, setState] = useState<AlarmState>(current === 'ALARM' ? 'OK' : 'ALARM');
  const [reason, setReason] = useState(t('alarms.setState.reasonDefault'));
  const [result, setResult] = useState<ActionCallResult | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = () =>
    startTransition(async () => {
      setResult(null);
      const res = await run({ name, region, ...(account ? { account } : {}), state, reason });
      setResult(res);
      // Everything that shows this alarm asks again (the server's cache already holds the change).
      if (res.ok) await queryClient.invalidateQueries();
    });
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p className="text-sm text-muted">{t('alarms.setState.intro')}</p>
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs text-muted">
          {t('alarms.setState.state')}
          <select
            aria-label={t('alarms.setState.state')}
            className="rounded-md border border-border bg-surface px-2 py-1.5 text-sm"
            value={state}
            onChange={(e) => setState(e.target.value as AlarmState)}
          >
            {ALARM_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`alarms.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-xs text-muted">
          {t('alarms.setState.reason')}
          <input
            aria-label={t('alarms.setState.reason')}
            className="rounded-md border border-border bg-surface px-2 py-1.5 text-sm"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            required
          />
        </label>
        <Button type="submit" disabled={pending}>
          {pending ? t('alarms.setState.pending') : t('alarms.setState.submit')}
        </Button>
      </div>
      {result?.ok ? (
        <p role="status" className="text-sm text-ok">
          {t('alarms.setState.done', { state: t(`alarms.state.${state}`) })}
        </p>
      ) : null}
      {result && !result.ok ? (
        <p role="alert" className="text-sm text-danger">
          {result.error.message}
        </p>
      ) : null}
    </form>
  );
}
