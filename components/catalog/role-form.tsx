'use client';

import { useId } from 'react';
import { FormStatus, useCatalogForm, type CatalogAction } from '@/components/catalog/catalog-form';
import type { TeamOption } from '@/components/catalog/secret-form';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input, Select, Textarea } from '@/components/ui/field';
import { upsertRoleSchema } from '@/lib/catalog/schemas';
import { cn } from '@/components/ui/cn';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';

/** A catalog role as the form edits it; the policy is shown as JSON in a textarea. */
export interface RoleFormValues {
  id: string;
  label: string;
  teamId: string;
  environment: Environment;
  function: string;
  description: string;
  policy: { actions: string[]; resources: string[] }[];
  active: boolean;
}

const POLICY_EXAMPLE = [{ actions: ['logs:GetLogEvents'], resources: ['arn:aws:logs:*:*:log-group:/example/*'] }];

/** Adds a team role to the catalog, or edits one when `role` is given. */
export function CatalogRoleForm({
  teams,
  role,
  action,
  compact = false,
}: {
  teams: TeamOption[];
  role?: RoleFormValues;
  action: CatalogAction;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const uid = useId();
  const { onSubmit, onBlur, onChange, pending, result, errorFor, formError } = useCatalogForm(action, {
    schema: upsertRoleSchema,
    conflictField: 'function',
    onSaved: role ? undefined : (form) => form.reset(),
  });
  const id = (field: string) => `${uid}-${field}`;
  const label = role ? t('access.catalog.editRole', { name: role.label }) : t('access.catalog.addRole');

  return (
    <form
      onSubmit={onSubmit}
      onBlur={onBlur}
      onChange={onChange}
      aria-label={label}
      className={cn('grid gap-3', compact ? 'min-w-[26rem]' : 'sm:grid-cols-3')}
      noValidate
    >
      {role ? <input type="hidden" name="id" value={role.id} /> : null}
      <Field id={id('team')} label={t('access.new.team')} error={errorFor('teamId')}>
        <Select name="teamId" defaultValue={role?.teamId ?? teams[0]?.id}>
          {teams.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field id={id('environment')} label={t('access.new.environment')} error={errorFor('environment')}>
        <Select name="environment" defaultValue={role?.environment ?? 'DEV'}>
          {ENVIRONMENTS.map((env) => (
            <option key={env} value={env}>
              {t(`access.env.${env}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id={id('function')} label={t('access.catalog.function')} error={errorFor('function')}>
        <Input name="function" className="font-mono" defaultValue={role?.function ?? ''} required maxLength={40} autoComplete="off" />
      </Field>
      <div className={compact ? '' : 'sm:col-span-3'}>
        <Field id={id('description')} label={t('access.catalog.description')} error={errorFor('description')}>
          <Input name="description" defaultValue={role?.description ?? ''} maxLength={500} />
        </Field>
      </div>
      <div className={compact ? '' : 'sm:col-span-3'}>
        <Field id={id('policy')} label={t('access.catalog.policy')} hint={t('access.catalog.policyHint')} error={errorFor('policy')}>
          <Textarea
            name="policy"
            className="font-mono text-xs"
            rows={8}
            spellCheck={false}
            defaultValue={JSON.stringify(role?.policy ?? POLICY_EXAMPLE, null, 2)}
          />
        </Field>
      </div>
      <Checkbox name="active" defaultChecked={role?.active ?? true} label={t('access.catalog.active')} />
      <div className={cn('flex flex-wrap items-center gap-3', compact ? '' : 'sm:col-span-3')}>
        <Button type="submit" size="sm" disabled={pending}>
          {role ? t('access.catalog.save') : t('access.catalog.addRole')}
        </Button>
        <FormStatus result={result} formError={formError} />
      </div>
    </form>
  );
}
