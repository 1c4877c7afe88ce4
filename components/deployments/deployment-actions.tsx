'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Field, Input, Select, Textarea } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import { formDataToObject, type ActionResult } from '@/lib/action-result';
import { planFormSchema } from '@/lib/deployments/schemas';

type Decide = (input: { id: string; kind: 'APPROVE' | 'REJECT'; comment: string; confirmStackName?: string }) => Promise<ActionResult>;

/**
 * Approve / reject a plan, with a comment (required to reject). With `confirmStackName` (a prod plan
 * with warnings), approving needs that stack name typed exactly; the server checks it again.
 */
export function DeploymentDecisionForm({ id, decide, confirmStackName = null }: { id: string; decide: Decide; confirmStackName?: string | null }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const [typed, setTyped] = useState('');
  const { call, pending, error } = useActionCall(decide);
  const confirmed = confirmStackName === null || typed === confirmStackName;
  return (
    <div className="space-y-2" data-testid="deployment-decision">
      <Field id="deployment-comment" label={t('deploy.approvals.comment')} error={error?.fields?.comment}>
        <Textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={1000} />
      </Field>
      {confirmStackName !== null ? (
        <Field id="deployment-confirm-stack" label={t('deploy.approvals.confirm', { stack: confirmStackName })}>
          <Input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} maxLength={200} className="font-mono" />
        </Field>
      ) : null}
      <div className="flex gap-2">
        <Button
          type="button"
          disabled={pending || !confirmed}
          onClick={() => call(confirmStackName === null ? { id, kind: 'APPROVE', comment } : { id, kind: 'APPROVE', comment, confirmStackName: typed })}
        >
          {t('deploy.approvals.approve')}
        </Button>
        <Button type="button" variant="danger" disabled={pending} onClick={() => call({ id, kind: 'REJECT', comment })}>
          {t('deploy.approvals.reject')}
        </Button>
      </div>
      {/* A comment's own error is shown on its field. */}
      <FormError compact>{error && !error.fields?.comment ? error.message : null}</FormError>
    </div>
  );
}

/** "Execute change set": starts the deployment; a refusal (409: not approved, expired, stack busy) is shown as it is. */
export function ExecuteButton({ id, execute }: { id: string; execute: (input: { id: string }) => Promise<ActionResult> }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(execute, { refreshOnError: true });
  return (
    <div>
      <Button type="button" size="lg" disabled={pending} onClick={() => call({ id })}>
        {pending ? t('deploy.execute.pending') : t('deploy.execute.button')}
      </Button>
      <FormError compact className="mt-2">
        {error?.message}
      </FormError>
    </div>
  );
}

type Plan = (input: Record<string, unknown>) => Promise<ActionResult>;

export interface PlanFormParameter {
  name: string;
  value: string;
  allowedValues: string[] | null;
  /** ReleaseLabel: the picked release's id, shown read-only and not posted (docs/decisions/042-releases.md). */
  setByRelease?: boolean;
  description: string | null;
  constraint: string | null;
}

/** A release the plan form offers: its id and "r-… · commit abc1234 · built 2026-12-07 09:00 UTC". */
export interface PlanFormRelease {
  id: string;
  label: string;
}

/** "Plan <env>": the environment's parameters (changeable), and in the sandbox a resource to fail; opens the plan when made. */
export function PlanForm({
  environment,
  label,
  parameters,
  failOptions,
  releases = [],
  plan,
}: {
  environment: string;
  label: string;
  parameters: PlanFormParameter[];
  failOptions: string[] | null;
  /** The recorded releases, newest first: the plan deploys the first unless another is picked. */
  releases?: PlanFormRelease[];
  plan: Plan;
}) {
  const { t } = useI18n();
  const router = useRouter();
  // The release picked ('' is the newest): what the read-only ReleaseLabel shows.
  const [picked, setPicked] = useState('');
  const pickedId = picked || releases[0]?.id;
  const { call, pending, error } = useActionCall(plan, {
    // The plan action's own schema (lib/deployments/schemas.ts); the server checks again.
    schema: planFormSchema,
    invalidMessage: t('forms.invalid'),
    refresh: false,
    onSuccess: (data) => router.push(`/deployments/${(data as { id: string }).id}`),
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        call(formDataToObject(new FormData(event.currentTarget)));
      }}
      className="space-y-3"
      data-testid={`plan-form-${environment}`}
    >
      <input type="hidden" name="environment" value={environment} />
      {releases.length ? (
        <Field id={`release-${environment}`} label={t('deploy.plan.release')}>
          <Select name="release" value={picked} onChange={(e) => setPicked(e.target.value)} className="px-2 py-1">
            <option value="">{t('deploy.plan.releaseNewest', { id: releases[0]!.id })}</option>
            {releases.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <details>
        <summary className="cursor-pointer text-sm text-primary">{t('deploy.plan.parameters', { count: parameters.length, env: environment })}</summary>
        <div className="mt-2 grid gap-2">
          {parameters.map((p) => {
            const id = `param-${environment}-${p.name}`;
            return (
              <Field
                key={p.name}
                id={id}
                label={<span className="font-mono text-xs">{p.name}</span>}
                hint={p.setByRelease ? t('release.label.setByRelease') : [p.description, p.constraint].filter(Boolean).join(' · ') || undefined}
              >
                {p.setByRelease ? (
                  // No name: not posted. The server sets it from the release and refuses one that differs.
                  <Input name={undefined} readOnly value={pickedId ?? p.value} className="bg-bg px-2 py-1 font-mono text-muted" />
                ) : p.allowedValues ? (
                  <Select name={`param.${p.name}`} defaultValue={p.value} className="px-2 py-1">
                    {p.allowedValues.map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Input name={`param.${p.name}`} defaultValue={p.value} className="px-2 py-1 font-mono" />
                )}
              </Field>
            );
          })}
        </div>
      </details>
      {failOptions ? (
        <div className="grid gap-1">
          <label htmlFor={`fail-${environment}`} className="text-sm font-medium text-violet-900">
            {t('deploy.plan.failResource')}
          </label>
          <Select id={`fail-${environment}`} name="sandboxFailResource" defaultValue="" className="border-violet-200 bg-violet-50 px-2 py-1">
            <option value="">{t('deploy.plan.noFailure')}</option>
            {failOptions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? t('deploy.plan.pending') : label}
      </Button>
      <FormError compact>
        {error?.fields
          ? Object.entries(error.fields)
              .map(([k, v]) => `${k}: ${v}`)
              .join('; ')
          : error?.message}
      </FormError>
    </form>
  );
}

/** "Detect drift" for an environment. */
export function DetectDriftButton({ environment, detect }: { environment: string; detect: (input: { environment: string }) => Promise<ActionResult> }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(detect, { refreshOnError: true });
  return (
    <div>
      <Button type="button" size="sm" variant="secondary" disabled={pending} onClick={() => call({ environment })}>
        {pending ? t('deploy.drift.detecting') : t('deploy.drift.detect')}
      </Button>
      <FormError compact className="mt-1">
        {error?.message}
      </FormError>
    </div>
  );
}

type Simulate = (input: { environment: string; logicalId: string; change: 'edit' | 'delete' }) => Promise<ActionResult>;

/** Sandbox only: change a resource as someone in the console would, for drift detection to find. */
export function SimulateDriftForm({ environment, resources, simulate }: { environment: string; resources: string[]; simulate: Simulate }) {
  const { t } = useI18n();
  const [logicalId, setLogicalId] = useState(resources.includes('ApiFunction') ? 'ApiFunction' : (resources[0] ?? ''));
  const { call, pending, result, error } = useActionCall(simulate);
  return (
    <div className="space-y-2 rounded-md border border-violet-200 bg-violet-50 p-2" data-testid={`simulate-drift-${environment}`}>
      <label htmlFor={`drift-${environment}`} className="block text-xs font-medium text-violet-900">
        {t('deploy.drift.simulate')}
      </label>
      <Select id={`drift-${environment}`} value={logicalId} onChange={(e) => setLogicalId(e.target.value)} className="px-2 py-1">
        {resources.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
      <div className="flex gap-2">
        <Button type="button" size="sm" variant="secondary" disabled={pending || !logicalId} onClick={() => call({ environment, logicalId, change: 'edit' })}>
          {t('deploy.drift.simulateEdit')}
        </Button>
        <Button type="button" size="sm" variant="secondary" disabled={pending || !logicalId} onClick={() => call({ environment, logicalId, change: 'delete' })}>
          {t('deploy.drift.simulateDelete')}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs">
        {result?.ok ? (result.data as { description: string }).description : null}
      </p>
      <FormError compact className="text-xs">
        {error?.message}
      </FormError>
    </div>
  );
}

type FailShift = (input: { environment: string; function: string }) => Promise<ActionResult>;

/**
 * Sandbox only: fires a function's error alarm, so that the next traffic shift of that function
 * stops and rolls back (docs/decisions/044-traffic-shift.md).
 */
export function FailShiftForm({ environment, fail }: { environment: string; fail: FailShift }) {
  const { t } = useI18n();
  const [fn, setFn] = useState('api');
  const { call, pending, result, error } = useActionCall(fail);
  return (
    <div className="space-y-2 rounded-md border border-violet-200 bg-violet-50 p-2" data-testid={`fail-shift-${environment}`}>
      <label htmlFor={`fail-shift-${environment}`} className="block text-xs font-medium text-violet-900">
        {t('deploy.shift.failLabel')}
      </label>
      <div className="flex gap-2">
        <Select id={`fail-shift-${environment}`} value={fn} onChange={(e) => setFn(e.target.value)} className="w-auto px-2 py-1">
          {['api', 'worker', 'notifier'].map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </Select>
        <Button type="button" size="sm" variant="secondary" disabled={pending} onClick={() => call({ environment, function: fn })}>
          {t('deploy.shift.failButton')}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs">
        {result?.ok ? t('deploy.shift.failDone', { alarm: (result.data as { alarm: string }).alarm }) : null}
      </p>
      <FormError compact className="text-xs">
        {error?.message}
      </FormError>
    </div>
  );
}
