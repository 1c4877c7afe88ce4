'use client';

import { useId, useState } from 'react';
import { FormStatus, useCatalogForm, type CatalogAction } from '@/components/catalog/catalog-form';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input, Select } from '@/components/ui/field';
import { upsertSecretSchema } from '@/lib/catalog/schemas';
import { cn } from '@/components/ui/cn';
import { secretName } from '@/lib/access/model';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';

export interface TeamOption {
  id: string;
  name: string;
  slug: string;
}

/** A catalog secret as the form edits it: `name` is the last part of <env>/<team>/<name>. */
export interface SecretFormValues {
  id: string;
  fullName: string;
  environment: Environment;
  teamId: string;
  name: string;
  description: string;
  arn: string | null;
  kmsKeyArn: string | null;
  active: boolean;
}

/** Adds a secret to the catalog, or edits one when `secret` is given. */
export function SecretForm({
  teams,
  secret,
  action,
  compact = false,
}: {
  teams: TeamOption[];
  secret?: SecretFormValues;
  action: CatalogAction;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const uid = useId();
  const initial = { environment: secret?.environment ?? ('DEV' as Environment), teamId: secret?.teamId ?? teams[0]?.id ?? '', name: secret?.name ?? '' };
  const [environment, setEnvironment] = useState<Environment>(initial.environment);
  const [teamId, setTeamId] = useState(initial.teamId);
  const [name, setName] = useState(initial.name);
  const { onSubmit, onBlur, onChange, pending, result, errorFor, formError } = useCatalogForm(action, {
    schema: upsertSecretSchema,
    conflictField: 'name',
    // A new secret's form is emptied for the next one; an edited one keeps the saved values.
    onSaved: secret
      ? undefined
      : (form) => {
          form.reset();
          setEnvironment(initial.environment);
          setTeamId(initial.teamId);
          setName('');
        },
  });
  const team = teams.find((x) => x.id === teamId);
  const id = (field: string) => `${uid}-${field}`;
  const label = secret ? t('access.catalog.editSecret', { name: secret.fullName }) : t('access.catalog.addSecret');

  return (
    <form
      onSubmit={onSubmit}
      onBlur={onBlur}
      onChange={onChange}
      aria-label={label}
      className={cn('grid gap-3', compact ? 'min-w-[22rem]' : 'sm:grid-cols-2')}
      noValidate
    >
      {secret ? <input type="hidden" name="id" value={secret.id} /> : null}
      <Field id={id('environment')} label={t('access.new.environment')} error={errorFor('environment')}>
        <Select name="environment" value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
          {ENVIRONMENTS.map((env) => (
            <option key={env} value={env}>
              {t(`access.env.${env}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id={id('team')} label={t('access.new.team')} error={errorFor('teamId')}>
        <Select name="teamId" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
          {teams.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        id={id('name')}
        label={t('access.catalog.shortName')}
        hint={t('access.catalog.fullNameHint', { name: secretName(environment, team?.slug ?? '?', name.trim() || '<name>') })}
        error={errorFor('name')}
      >
        <Input name="name" className="font-mono" value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} autoComplete="off" />
      </Field>
      <Field id={id('description')} label={t('access.catalog.description')} error={errorFor('description')}>
        <Input name="description" defaultValue={secret?.description ?? ''} maxLength={500} />
      </Field>
      <Field id={id('arn')} label={t('access.catalog.secretArn')} error={errorFor('arn')}>
        <Input name="arn" className="font-mono" defaultValue={secret?.arn ?? ''} maxLength={2048} autoComplete="off" spellCheck={false} />
      </Field>
      <Field id={id('kmsKeyArn')} label={t('access.catalog.kmsKeyArn')} error={errorFor('kmsKeyArn')}>
        <Input name="kmsKeyArn" className="font-mono" defaultValue={secret?.kmsKeyArn ?? ''} maxLength={2048} autoComplete="off" spellCheck={false} />
      </Field>
      <Checkbox name="active" defaultChecked={secret?.active ?? true} label={t('access.catalog.active')} />
      <div className={cn('flex flex-wrap items-center gap-3', compact ? '' : 'sm:col-span-2')}>
        <Button type="submit" size="sm" disabled={pending}>
          {secret ? t('access.catalog.save') : t('access.catalog.addSecret')}
        </Button>
        <FormStatus result={result} formError={formError} />
      </div>
    </form>
  );
}
