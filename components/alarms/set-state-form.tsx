'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { useActionCall } from '@/components/use-action-call';
import { Field, Input, Select } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import type { ActionResult } from '@/lib/action-result';
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
  run: (input: SetStateInput) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [state, setState] = useState<AlarmState>(current === 'ALARM' ? 'OK' : 'ALARM');
  const [reason, setReason] = useState(t('alarms.setState.reasonDefault'));
  // Everything that shows this alarm asks again (the server's cache already holds the change).
  const { call, pending, result, error } = useActionCall(run, { refresh: false, onSuccess: () => queryClient.invalidateQueries() });
  const submit = () => call({ name, region, ...(account ? { account } : {}), state, reason });
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
        <Field id="alarm-set-state" label={t('alarms.setState.state')}>
          <Select className="w-auto px-2 py-1.5" value={state} onChange={(e) => setState(e.target.value as AlarmState)}>
            {ALARM_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`alarms.state.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="alarm-set-reason" label={t('alarms.setState.reason')} className="min-w-64 flex-1">
          <Input className="px-2 py-1.5" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? t('alarms.setState.pending') : t('alarms.setState.submit')}
        </Button>
      </div>
      {result?.ok ? (
        <p role="status" className="text-sm text-ok">
          {t('alarms.setState.done', { state: t(`alarms.state.${state}`) })}
        </p>
      ) : null}
      <FormError compact>{error?.message}</FormError>
    </form>
  );
}
