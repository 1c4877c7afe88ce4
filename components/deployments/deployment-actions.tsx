'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

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
      <label htmlFor="deployment-comment" className="block text-sm font-medium">
        {t('deploy.approvals.comment')}
      </label>
      <textarea
        id="deployment-comment"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
        maxLength={1000}
        className="w-full rounded-md border border-border bg-surface px-3 py-2 text-sm"
      />
      {confirmStackName !== null ? (
        <>
          <label htmlFor="deployment-confirm-stack" className="block text-sm font-medium">
            {t('deploy.approvals.confirm', { stack: confirmStackName })}
          </label>
          <input
            id="deployment-confirm-stack"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            className="w-full rounded-md border border-border bg-surface px-3 py-2 font-mono text-sm"
          />
        </>
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
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error.fields?.comment ?? error.message}
        </p>
      ) : null}
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
      {error ? (
        <p role="alert" className="mt-2 text-sm text-danger">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}

type Plan = (input: Record<string, unknown>) => Promise<ActionResult>;

export interface PlanFormParameter {
  name: string;
  value: string;
  allowedValues: string[] | null;
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
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<{ message: string; fields?: Record<string, string> } | null>(null);
  const submit = (form: FormData) =>
    startTransition(async () => {
      setError(null);
      const res = await plan(Object.fromEntries(form.entries()));
      if (res.ok) router.push(`/deployments/${(res.data as { id: string }).id}`);
      else setError(res.error);
    });
  return (
    <form action={submit} className="space-y-3" data-testid={`plan-form-${environment}`}>
      <input type="hidden" name="environment" value={environment} />
      {releases.length ? (
        <div className="grid gap-1">
          <label htmlFor={`release-${environment}`} className="text-sm font-medium">
            {t('deploy.plan.release')}
          </label>
          <select id={`release-${environment}`} name="release" defaultValue="" className="rounded-md border border-border bg-surface px-2 py-1 text-sm">
            <option value="">{t('deploy.plan.releaseNewest', { id: releases[0]!.id })}</option>
            {releases.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <details>
        <summary className="cursor-pointer text-sm text-primary">{t('deploy.plan.parameters', { count: parameters.length, env: environment })}</summary>
        <div className="mt-2 grid gap-2">
          {parameters.map((p) => {
            const id = `param-${environment}-${p.name}`;
            return (
              <div key={p.name} className="grid gap-1">
                <label htmlFor={id} className="font-mono text-xs font-medium">
                  {p.name}
                </label>
                {p.allowedValues ? (
                  <select id={id} name={`param.${p.name}`} defaultValue={p.value} className="rounded-md border border-border bg-surface px-2 py-1 text-sm">
                    {p.allowedValues.map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    name={`param.${p.name}`}
                    defaultValue={p.value}
                    className="rounded-md border border-border bg-surface px-2 py-1 font-mono text-sm"
                  />
                )}
                {p.description || p.constraint ? <p className="text-xs text-muted">{[p.description, p.constraint].filter(Boolean).join(' · ')}</p> : null}
              </div>
            );
          })}
        </div>
      </details>
      {failOptions ? (
        <div className="grid gap-1">
          <label htmlFor={`fail-${environment}`} className="text-sm font-medium text-violet-900">
            {t('deploy.plan.failResource')}
          </label>
          <select
            id={`fail-${environment}`}
            name="sandboxFailResource"
            defaultValue=""
            className="rounded-md border border-violet-200 bg-violet-50 px-2 py-1 text-sm"
          >
            <option value="">{t('deploy.plan.noFailure')}</option>
            {failOptions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <Button type="submit" disabled={pending}>
        {pending ? t('deploy.plan.pending') : label}
      </Button>
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error.fields
            ? Object.entries(error.fields)
                .map(([k, v]) => `${k}: ${v}`)
                .join('; ')
            : error.message}
        </p>
      ) : null}
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
      {error ? (
        <p role="alert" className="mt-1 text-sm text-danger">
          {error.message}
        </p>
      ) : null}
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
      <select
        id={`drift-${environment}`}
        value={logicalId}
        onChange={(e) => setLogicalId(e.target.value)}
        className="w-full rounded-md border border-border bg-surface px-2 py-1 text-sm"
      >
        {resources.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
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
        {error ? (
          <span role="alert" className="text-danger">
            {error.message}
          </span>
        ) : null}
      </p>
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
        <select
          id={`fail-shift-${environment}`}
          value={fn}
          onChange={(e) => setFn(e.target.value)}
          className="rounded-md border border-border bg-surface px-2 py-1 text-sm"
        >
          {['api', 'worker', 'notifier'].map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <Button type="button" size="sm" variant="secondary" disabled={pending} onClick={() => call({ environment, function: fn })}>
          {t('deploy.shift.failButton')}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs">
        {result?.ok ? t('deploy.shift.failDone', { alarm: (result.data as { alarm: string }).alarm }) : null}
        {error ? (
          <span role="alert" className="text-danger">
            {error.message}
          </span>
        ) : null}
      </p>
    </div>
  );
}
