import { AwsAccount } from '@/components/cloud/aws-account';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import type { AccountRef } from '@/lib/cloud/accounts';
import type { GrantEndReason, GrantKind, GrantSetup, GrantStatus } from '@/lib/grants/model';
import { GRANT_SESSION_TAG, type PolicyDocument, type PolicySummary } from '@/lib/grants/policy';
import type { Translate } from '@/lib/i18n/messages';
import type { ReactNode } from 'react';

const TONE: Record<GrantStatus, 'warn' | 'ok' | 'danger' | 'neutral'> = {
  PENDING: 'warn',
  ACTIVE: 'ok',
  GRANT_FAILED: 'danger',
  ENDING: 'warn',
  ENDED: 'neutral',
};

/** How a grant ended: why, and when (null while its removal from AWS is still under way). */
export interface GrantEnd {
  reason: GrantEndReason;
  at: Date | null;
}

/** The end of a grant of a request, once it has one (its reason is recorded when it ends). */
export function grantEndOf(grant: { endReason: string | null; endedAt: Date | null }): GrantEnd | null {
  const reason = grant.endReason;
  if (reason !== 'EXPIRED' && reason !== 'GIVEN_BACK' && reason !== 'REVOKED') return null;
  return { reason, at: grant.endedAt };
}

/** "Given back at 15:20: AWS no longer honours the policy." — or that its removal is under way. */
export function grantEndText(end: GrantEnd, t: Translate, when: (d: Date) => string): string {
  return end.at ? t(`grantEnd.at.${end.reason}`, { time: when(end.at) }) : t(`grantEnd.removing.${end.reason}`);
}

/** The policy, said in words, then shown exactly. */
export function PolicyExplained({
  kind,
  summary,
  policy,
  t,
  when,
  ended = null,
}: {
  kind: GrantKind;
  summary: PolicySummary;
  policy: PolicyDocument;
  t: Translate;
  when: (d: Date) => string;
  /** Set once the grant ended early or expired: the document's own end no longer matters. */
  ended?: GrantEnd | null;
}) {
  return (
    <div className="space-y-2 text-sm" data-testid="policy-summary">
      <ul className="list-disc pl-5">
        {summary.allows.map((a) => (
          <li key={a.resource + a.actions.join()}>{t('access.grant.summary.allows', { actions: a.actions.join(', '), resource: a.resource })}</li>
        ))}
      </ul>
      {ended ? (
        <p data-testid="grant-ended">{grantEndText(ended, t, when)}</p>
      ) : summary.until ? (
        <p>{t('access.grant.summary.until', { until: when(new Date(summary.until)) })}</p>
      ) : null}
      {summary.viaService ? <p>{t('access.grant.summary.via', { service: summary.viaService })}</p> : null}
      <p className="text-muted">{t(`access.grant.summary.notAllowed.${kind}`)}</p>
      <details>
        <summary className="cursor-pointer text-primary">{t('access.grant.json')}</summary>
        <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100" data-testid="policy-json">
          {JSON.stringify(policy, null, 2)}
        </pre>
      </details>
    </div>
  );
}

function Json({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100" data-testid={testId}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/**
 * What a registration or a role grant makes in AWS besides its policy, and how the holder uses it:
 * the new secret (its value set with the holder's own credentials), or the team role (assumed with
 * the grant's session tag, which is what lets its end cut the sessions).
 */
export function GrantSetupExplained({
  setup,
  grantId,
  resourceArn,
  endsAt,
  now,
  done,
  t,
}: {
  setup: GrantSetup;
  grantId: string | null;
  resourceArn: string;
  endsAt: Date;
  now: Date;
  done: boolean;
  t: Translate;
}) {
  if (setup.kind === 'CREATE_SECRET') {
    return (
      <div className="space-y-2 text-sm" data-testid="grant-setup">
        <p>{t(done ? 'access.grant.setup.secretCreated' : 'access.grant.setup.secret', { name: setup.name })}</p>
        <p className="text-muted">
          {t('access.grant.setup.secretTags', {
            tags: Object.entries(setup.tags)
              .map(([k, v]) => `${k}=${v}`)
              .join(', '),
          })}
        </p>
        <p>{t('access.grant.setup.secretHowTo')}</p>
        <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{`aws secretsmanager put-secret-value --secret-id '${done ? resourceArn : setup.name}' --secret-string file://value.txt`}</pre>
      </div>
    );
  }
  const seconds = Math.max(900, Math.min(setup.role.maxSessionSeconds, Math.floor((endsAt.getTime() - now.getTime()) / 1000)));
  return (
    <div className="space-y-2 text-sm" data-testid="grant-setup">
      <p>{t(done ? 'access.grant.setup.roleReady' : 'access.grant.setup.role', { arn: setup.role.arn, minutes: setup.role.maxSessionSeconds / 60 })}</p>
      <p className="text-muted">{t('access.grant.setup.roleSessions')}</p>
      <details>
        <summary className="cursor-pointer text-primary">{t('access.grant.setup.rolePermissions')}</summary>
        <Json value={setup.role.permissions} testId="role-permissions-json" />
      </details>
      <details>
        <summary className="cursor-pointer text-primary">{t('access.grant.setup.roleTrust')}</summary>
        <Json value={setup.role.trustPolicy} />
      </details>
      {grantId ? (
        <>
          <p>{t('access.grant.setup.roleHowTo')}</p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{`aws sts assume-role --role-arn '${setup.role.arn}' --role-session-name "$USER" --tags Key=${GRANT_SESSION_TAG},Value=${grantId} --duration-seconds ${seconds}`}</pre>
        </>
      ) : null}
    </div>
  );
}

export interface GrantPanelData {
  id: string;
  status: GrantStatus;
  principalArn: string;
  policyName: string;
  policyArn: string | null;
  startsAt: Date;
  endsAt: Date;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  endReason: string | null;
  endedAt: Date | null;
  endComment: string | null;
}

/** The AWS account a grant acts in, as a row of the grant's facts (nothing when its id is unknown). */
export function GrantAccount({ account, t }: { account: AccountRef | null; t: Translate }) {
  if (!account?.accountId) return null;
  return (
    <>
      <dt className="text-muted">{t('access.grant.account')}</dt>
      <dd>
        <AwsAccount account={account} />
      </dd>
    </>
  );
}

/** The grant of an approved request: its state in AWS, its account, its window and its policy; actions passed in. */
export function GrantPanel({
  grant,
  account,
  explained,
  actions,
  t,
  when,
}: {
  grant: GrantPanelData;
  /** The account of the request's environment: where the policy is. */
  account: AccountRef | null;
  explained: ReactNode;
  actions: ReactNode;
  t: Translate;
  when: (d: Date) => string;
}) {
  const end = grantEndOf(grant);
  return (
    <Card data-testid="grant-panel">
      <CardTitle>
        {t('access.grant.title')}{' '}
        <Badge tone={TONE[grant.status]} data-grant-status={grant.status}>
          {t(`access.grant.status.${grant.status}`)}
        </Badge>
      </CardTitle>
      <dl className="mb-3 grid grid-cols-[fit-content(40%)_minmax(0,1fr)] [overflow-wrap:anywhere] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted">{t('access.grant.principal')}</dt>
        <dd className="font-mono text-xs">{grant.principalArn}</dd>
        <GrantAccount account={account} t={t} />
        <dt className="text-muted">{t('access.grant.policyName')}</dt>
        <dd className="font-mono text-xs" data-testid="grant-policy-name">
          {grant.policyArn ?? grant.policyName}
        </dd>
        <dt className="text-muted" />
        <dd data-testid="grant-window">
          {end
            ? t('grantEnd.window', { from: when(grant.startsAt), end: grantEndText(end, t, when) })
            : t('access.grant.window', { from: when(grant.startsAt), until: when(grant.endsAt) })}
        </dd>
        {grant.lastError && grant.status !== 'ENDED' ? (
          <>
            <dt className="text-muted" />
            <dd className="text-danger">{t('access.grant.error', { error: grant.lastError, attempts: grant.attempts, next: when(grant.nextAttemptAt) })}</dd>
          </>
        ) : null}
        {grant.endReason ? (
          <>
            <dt className="text-muted" />
            <dd>
              {t('access.grant.endReason', { reason: t(`access.grant.reason.${grant.endReason as 'EXPIRED' | 'GIVEN_BACK' | 'REVOKED'}`) })}
              {grant.endComment ? ` — “${grant.endComment}”` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {explained}
      <div className="mt-4 flex flex-wrap gap-3">{actions}</div>
    </Card>
  );
}
