'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input, Radio, Select, Textarea } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';
import { createRequestSchema } from '@/lib/access/schemas';
import { type ApprovalRuleValues, type RequestType } from '@/lib/access/model';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import { formatMinutes, zonedInputToIso } from '@/lib/i18n/format';

export interface FormCatalog {
  secrets: { id: string; name: string; environment: Environment; teamName: string }[];
  roles: { id: string; label: string; environment: Environment; description: string }[];
  teams: { id: string; name: string; slug: string }[];
  rules: Record<RequestType, Record<Environment, ApprovalRuleValues>>;
  /** The break-glass limits in force (lib/access/rules.ts breakGlassMaxMinutes, GATEHOUSE_BREAK_GLASS_PER_DAY). */
  breakGlass: { maxMinutes: number; perDay: number };
}

/** One form for the three request types; it shows the rule that will apply before submitting. */
export function RequestForm({
  catalog,
  action,
  initial,
}: {
  catalog: FormCatalog;
  action: (form: FormData) => Promise<ActionResult<{ id: string }>>;
  initial?: { type?: RequestType; secretId?: string; roleId?: string; extendsRequestId?: string };
}) {
  const { t, locale, zone } = useI18n();
  const router = useRouter();
  const [type, setType] = useState<RequestType>(initial?.type ?? 'SECRET_READ');
  const [secretId, setSecretId] = useState(initial?.secretId ?? '');
  const [roleId, setRoleId] = useState(initial?.roleId ?? '');
  const [registerEnv, setRegisterEnv] = useState<Environment>('DEV');
  const [teamId, setTeamId] = useState(catalog.teams[0]?.id ?? '');
  const [breakGlass, setBreakGlass] = useState(false);
  const {
    call,
    pending,
    error,
    fields: errors,
    onBlur,
    onChange,
  } = useActionCall(action, {
    // The same schema the server action parses with (lib/access/schemas.ts): field errors show before
    // a round trip, and the server checks again.
    schema: createRequestSchema,
    invalidMessage: t('forms.invalid'),
    // The scheduled start is a wall-clock time in the reader's zone: it is sent as ISO with that
    // zone's offset, so the server stores the instant meant (docs/decisions/048-time-zone-policy.md).
    prepare: (form) => {
      const copy = new FormData();
      for (const [key, value] of form.entries()) copy.append(key, value);
      const startsAt = copy.get('startsAt');
      if (typeof startsAt === 'string' && startsAt !== '') copy.set('startsAt', zonedInputToIso(startsAt, zone) ?? startsAt);
      return copy;
    },
    refresh: false,
    onSuccess: (data) => router.push(`/requests/${data.id}`),
  });

  const environment: Environment | null =
    type === 'SECRET_READ'
      ? (catalog.secrets.find((s) => s.id === secretId)?.environment ?? null)
      : type === 'ROLE'
        ? (catalog.roles.find((r) => r.id === roleId)?.environment ?? null)
        : registerEnv;
  const rule = environment ? catalog.rules[type][environment] : null;
  const team = catalog.teams.find((x) => x.id === teamId);

  return (
    <form
      className="max-w-2xl space-y-5"
      aria-label={t('access.new.title')}
      // The schema's messages replace the browser's own bubbles, so every error reads the same way
      // and is tied to its field (Field wires aria-describedby and aria-invalid).
      noValidate
      onBlur={onBlur}
      onChange={onChange}
      onSubmit={(event) => {
        event.preventDefault();
        call(new FormData(event.currentTarget));
      }}
    >
      {initial?.extendsRequestId ? <input type="hidden" name="extendsRequestId" value={initial.extendsRequestId} /> : null}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">{t('access.new.type')}</legend>
        <div className="flex flex-wrap gap-4">
          {(['SECRET_READ', 'SECRET_REGISTER', 'ROLE'] as const).map((value) => (
            <Radio key={value} name="type" value={value} checked={type === value} onChange={() => setType(value)} label={t(`access.type.${value}`)} />
          ))}
        </div>
      </fieldset>

      {type === 'SECRET_READ' ? (
        <Field id="secretId" label={t('access.new.secret')} error={errors.secretId}>
          <Select value={secretId} onChange={(e) => setSecretId(e.target.value)} required>
            <option value="">{t('access.new.pickSecret')}</option>
            {catalog.secrets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.teamName})
              </option>
            ))}
          </Select>
        </Field>
      ) : null}

      {type === 'ROLE' ? (
        <Field id="roleId" label={t('access.new.role')} error={errors.roleId}>
          <Select value={roleId} onChange={(e) => setRoleId(e.target.value)} required>
            <option value="">{t('access.new.pickRole')}</option>
            {catalog.roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label} — {r.description}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}

      {type === 'SECRET_REGISTER' ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="environment" label={t('access.new.environment')} error={errors.environment}>
            <Select value={registerEnv} onChange={(e) => setRegisterEnv(e.target.value as Environment)}>
              {ENVIRONMENTS.map((env) => (
                <option key={env} value={env}>
                  {t(`access.env.${env}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="teamId" label={t('access.new.team')} error={errors.teamId}>
            <Select value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              {catalog.teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </Select>
          </Field>
          <div className="sm:col-span-2">
            <Field
              id="secretName"
              label={t('access.new.secretName')}
              hint={t('access.new.secretNameHint', { env: registerEnv.toLowerCase(), team: team?.slug ?? '?' })}
              error={errors.secretName}
            >
              <Input required maxLength={128} />
            </Field>
          </div>
          <div className="sm:col-span-2">
            <Field id="description" label={t('access.new.description')} error={errors.description}>
              <Input required maxLength={500} />
            </Field>
          </div>
          <Field id="rotationDays" label={t('access.new.rotation')} error={errors.rotationDays}>
            <Input type="number" min={1} max={365} />
          </Field>
        </div>
      ) : null}

      <section aria-live="polite" className="rounded-md border border-blue-200 bg-blue-50 p-3 text-sm text-blue-950" data-testid="rule-preview">
        <h2 className="font-semibold">{t('access.new.rule')}</h2>
        {rule && breakGlass && rule.breakGlassAllowed ? (
          <p data-testid="break-glass-rule">
            {t('breakGlassRule.text', {
              max: formatMinutes(Math.min(catalog.breakGlass.maxMinutes, rule.maxDurationMinutes), locale),
              perDay: catalog.breakGlass.perDay,
            })}
          </p>
        ) : rule ? (
          <p>
            {t('access.new.ruleText', {
              approvals: rule.approvalsRequired,
              group: t(`access.group.${rule.approverGroup}`),
              max: formatMinutes(rule.maxDurationMinutes, locale),
              ttl: formatMinutes(rule.pendingTtlMinutes, locale),
            })}
          </p>
        ) : (
          <p>{t('access.new.pickFirst')}</p>
        )}
      </section>

      <Field id="justification" label={t('access.new.justification')} hint={t('access.new.justificationHint')} error={errors.justification}>
        <Textarea rows={4} required minLength={10} maxLength={2000} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id="ticketRef" label={t('access.new.ticket')} error={errors.ticketRef}>
          <Input maxLength={64} placeholder="OPS-123" />
        </Field>
        <Field id="durationMinutes" label={t('access.new.duration')} error={errors.durationMinutes}>
          <Input
            type="number"
            min={15}
            max={breakGlass && rule ? Math.min(catalog.breakGlass.maxMinutes, rule.maxDurationMinutes) : rule?.maxDurationMinutes}
            defaultValue={60}
            required
          />
        </Field>
        {!breakGlass ? (
          <Field id="startsAt" label={t('access.new.startsAt')} hint={t('format.inputZone', { zone })} error={errors.startsAt}>
            <Input type="datetime-local" />
          </Field>
        ) : null}
      </div>

      {rule?.breakGlassAllowed ? (
        <div className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3">
          <Checkbox
            name="breakGlass"
            checked={breakGlass}
            onChange={(e) => setBreakGlass(e.target.checked)}
            label={t('access.new.breakGlass')}
            className="font-medium text-red-900"
          />
          {breakGlass ? (
            <>
              <Field id="breakGlassReason" label={t('access.new.breakGlassReason')} error={errors.breakGlassReason}>
                <Textarea rows={2} required minLength={10} maxLength={1000} />
              </Field>
            </>
          ) : null}
        </div>
      ) : null}

      <FormError testId="form-error">{error?.message}</FormError>
      <Button type="submit" disabled={pending}>
        {t('access.new.submit')}
      </Button>
    </form>
  );
}
