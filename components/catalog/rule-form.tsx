'use client';

import { useId } from 'react';
import { Field, FormStatus, inputClass, useCatalogForm, type CatalogAction } from '@/components/catalog/catalog-form';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { APPROVER_GROUPS, type ApprovalRuleValues, type RequestType } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';

/** Edits the approval rule of one request type in one environment (later requests only). */
export function RuleForm({
  requestType,
  environment,
  rule,
  action,
}: {
  requestType: RequestType;
  environment: Environment;
  rule: ApprovalRuleValues;
  action: CatalogAction;
}) {
  const { t } = useI18n();
  const uid = useId();
  const { onSubmit, pending, result, errorFor, formError } = useCatalogForm(action);
  const id = (field: string) => `${uid}-${field}`;
  const label = t('access.rules.edit', { type: t(`access.type.${requestType}`), env: t(`access.env.${environment}`) });

  return (
    <form onSubmit={onSubmit} aria-label={label} className="grid min-w-[18rem] gap-3" noValidate>
      <input type="hidden" name="requestType" value={requestType} />
      <input type="hidden" name="environment" value={environment} />
      <Field id={id('approvals')} label={t('access.rules.approvals')} error={errorFor('approvalsRequired')}>
        {(p) => <input {...p} type="number" name="approvalsRequired" min={1} max={5} step={1} className={inputClass} defaultValue={rule.approvalsRequired} />}
      </Field>
      <Field id={id('group')} label={t('access.rules.group')} error={errorFor('approverGroup')}>
        {(p) => (
          <select {...p} name="approverGroup" className={inputClass} defaultValue={rule.approverGroup}>
            {APPROVER_GROUPS.map((group) => (
              <option key={group} value={group}>
                {t(`access.group.${group}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={id('max')} label={t('access.rules.maxMinutes')} error={errorFor('maxDurationMinutes')}>
        {(p) => (
          <input {...p} type="number" name="maxDurationMinutes" min={15} max={129_600} step={1} className={inputClass} defaultValue={rule.maxDurationMinutes} />
        )}
      </Field>
      <Field id={id('ttl')} label={t('access.rules.ttlMinutes')} error={errorFor('pendingTtlMinutes')}>
        {(p) => (
          <input {...p} type="number" name="pendingTtlMinutes" min={15} max={10_080} step={1} className={inputClass} defaultValue={rule.pendingTtlMinutes} />
        )}
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="breakGlassAllowed" defaultChecked={rule.breakGlassAllowed} />
        {t('access.rules.breakGlassAllowed')}
      </label>
      <p className="text-xs text-muted">{t('access.rules.futureOnly')}</p>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" size="sm" disabled={pending}>
          {t('access.catalog.save')}
        </Button>
        <FormStatus result={result} formError={formError} />
      </div>
    </form>
  );
}
