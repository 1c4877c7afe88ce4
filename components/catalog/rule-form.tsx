'use client';

import { useId } from 'react';
import { FormStatus, useCatalogForm, type CatalogAction } from '@/components/catalog/catalog-form';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input, Select } from '@/components/ui/field';
import { updateRuleSchema } from '@/lib/catalog/schemas';
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
  const { onSubmit, onBlur, onChange, pending, result, errorFor, formError } = useCatalogForm(action, { schema: updateRuleSchema });
  const id = (field: string) => `${uid}-${field}`;
  const label = t('access.rules.edit', { type: t(`access.type.${requestType}`), env: t(`access.env.${environment}`) });

  return (
    <form onSubmit={onSubmit} onBlur={onBlur} onChange={onChange} aria-label={label} className="grid min-w-[18rem] gap-3" noValidate>
      <input type="hidden" name="requestType" value={requestType} />
      <input type="hidden" name="environment" value={environment} />
      <Field id={id('approvals')} label={t('access.rules.approvals')} error={errorFor('approvalsRequired')}>
        <Input type="number" name="approvalsRequired" min={1} max={5} step={1} defaultValue={rule.approvalsRequired} />
      </Field>
      <Field id={id('group')} label={t('access.rules.group')} error={errorFor('approverGroup')}>
        <Select name="approverGroup" defaultValue={rule.approverGroup}>
          {APPROVER_GROUPS.map((group) => (
            <option key={group} value={group}>
              {t(`access.group.${group}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id={id('max')} label={t('access.rules.maxMinutes')} error={errorFor('maxDurationMinutes')}>
        <Input type="number" name="maxDurationMinutes" min={15} max={129_600} step={1} defaultValue={rule.maxDurationMinutes} />
      </Field>
      <Field id={id('ttl')} label={t('access.rules.ttlMinutes')} error={errorFor('pendingTtlMinutes')}>
        <Input type="number" name="pendingTtlMinutes" min={15} max={10_080} step={1} defaultValue={rule.pendingTtlMinutes} />
      </Field>
      <Checkbox name="breakGlassAllowed" defaultChecked={rule.breakGlassAllowed} label={t('access.rules.breakGlassAllowed')} />
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
