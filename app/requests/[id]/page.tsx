import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cancelRequestAction, decideRequestAction, giveBackGrantAction, revokeGrantAction, shortenGrantAction } from '@/app/requests/actions';
import { GiveBackButton, RevokeForm, ShortenForm } from '@/components/access/grant-actions';
import { GrantPanel, GrantSetupExplained, PolicyExplained } from '@/components/access/grant-panel';
import { buildGrant, PREVIEW_GRANT_ID, type NewGrant } from '@/lib/grants/build-grant';
import { grantWorkDueBy } from '@/lib/grants/model';
import { summarizePolicy } from '@/lib/grants/policy';
import { can } from '@/lib/server/auth/permissions';
import { findGrantInputs } from '@/lib/server/db/repositories/grant-preview';
import { findGrantView } from '@/lib/server/db/repositories/grants';
import { CancelButton, DecisionForm } from '@/components/access/decision-form';
import { formatMinutes } from '@/components/access/format';
import { BreakGlassBadge, StatusBadge } from '@/components/access/status-badge';
import { RefreshWhile } from '@/components/refresh-while';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { canDecideNow, canViewRequest, standingOf } from '@/lib/access/visibility';
import { reachableApprovals } from '@/lib/access/decide';
import type { ApproverCapacity } from '@/lib/access/model';
import { requirePermission } from '@/lib/server/auth/guards';
import { listAuditEvents } from '@/lib/server/db/repositories/audit';
import { findRequestView, listDecisionViews } from '@/lib/server/db/repositories/requests-read';
import { listUsersForAdmin } from '@/lib/server/db/repositories/users';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Request' };

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermission('request.read', `/requests/${encodeURIComponent(id)}`);
  const request = id.length <= 64 ? await findRequestView(id) : null;
  // Someone else's request is "not found", not "forbidden": its existence is not disclosed.
  if (!request || !canViewRequest(actor, request)) notFound();
  const [{ t, locale }, decisions, history, users, grant] = await Promise.all([
    getTranslator(),
    listDecisionViews(id),
    listAuditEvents({ request: id, limit: 200 }),
    listUsersForAdmin(),
    findGrantView(id),
  ]);
  // Before a decision, approvers see the exact policy an approval now would apply.
  let preview: NewGrant | null = null;
  let previewError: string | null = null;
  if (!grant && request.status === 'PENDING') {
    try {
      preview = buildGrant(request, await findGrantInputs(id), new Date(), PREVIEW_GRANT_ID);
    } catch (e) {
      previewError = e instanceof Error ? e.message : String(e);
    }
  }
  const names = new Map(users.map((u) => [u.id, u.name]));
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const now = new Date();
  const mayDecide = canDecideNow(actor, request, request.decidedBy, now);
  // Approvers frozen on the request may have lost their role or lead since (decision 028).
  const reach =
    request.status === 'PENDING'
      ? reachableApprovals(
          request,
          decisions.map((d) => ({ approverId: d.approver.id, kind: d.kind, capacity: d.capacity as ApproverCapacity })),
          new Map(users.map((u) => [u.id, u.active ? standingOf(u, request.teamId) : { active: false, security: false, leadOfTeam: false }])),
        )
      : null;
  const isRequester = request.requesterId === actor.id;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">
          {t(`access.type.${request.type}`)}: <span className="font-mono text-lg">{request.target}</span>
        </h1>
        <StatusBadge status={request.status} t={t} />
        {request.breakGlass ? <BreakGlassBadge t={t} /> : null}
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted">{t('access.detail.requester')}</dt>
            <dd>{request.requesterName}</dd>
            <dt className="text-muted">{t('access.detail.team')}</dt>
            <dd>
              {request.teamName} · {t(`access.env.${request.environment}`)}
            </dd>
            <dt className="text-muted">{t('access.detail.justification')}</dt>
            <dd className="whitespace-pre-wrap">{request.justification}</dd>
            {request.breakGlassReason ? (
              <>
                <dt className="text-muted">{t('access.detail.breakGlassReason')}</dt>
                <dd className="whitespace-pre-wrap text-danger">{request.breakGlassReason}</dd>
              </>
            ) : null}
            {request.ticketRef ? (
              <>
                <dt className="text-muted">{t('access.detail.ticket')}</dt>
                <dd className="font-mono">{request.ticketRef}</dd>
              </>
            ) : null}
            <dt className="text-muted">{t('access.detail.duration')}</dt>
            <dd>{formatMinutes(request.durationMinutes)}</dd>
            <dt className="text-muted">{t('access.detail.startsAt')}</dt>
            <dd>{request.startsAt ? when.format(request.startsAt) : t('access.detail.now')}</dd>
            <dt className="text-muted">{t('access.detail.rule')}</dt>
            <dd data-testid="frozen-rule">
              {t('access.new.ruleText', {
                approvals: request.approvalsRequired,
                group: t(`access.group.${request.approverGroup}`),
                max: formatMinutes(request.maxDurationMinutes),
                ttl: when.format(request.pendingExpiresAt),
              })}
            </dd>
            <dt className="text-muted">{t('access.detail.approvers')}</dt>
            <dd>
              {[...request.eligibleSecurityIds, ...request.eligibleLeadIds].map((uid) => names.get(uid) ?? uid).join(', ')}
              {reach && !reach.enough ? (
                <p className="mt-1 text-danger" data-testid="approvers-short">
                  {t('access.detail.approversShort', { reachable: reach.reachable, required: request.approvalsRequired })}
                </p>
              ) : null}
            </dd>
            {request.extendsRequestId ? (
              <>
                <dt className="text-muted">{t('access.detail.extends')}</dt>
                <dd>
                  <Link className="text-primary underline" href={`/requests/${request.extendsRequestId}`}>
                    {request.extendsRequestId}
                  </Link>
                </dd>
              </>
            ) : null}
          </dl>
        </Card>
        <Card>
          <CardTitle>
            {t('access.detail.decisions')} ({request.approvals}/{request.approvalsRequired})
          </CardTitle>
          {decisions.length ? (
            <ul className="mb-4 space-y-2 text-sm" data-testid="decisions">
              {decisions.map((d) => (
                <li key={d.id}>
                  <Badge tone={d.kind === 'APPROVE' ? 'ok' : 'danger'}>{d.kind === 'APPROVE' ? t('access.decide.approve') : t('access.decide.reject')}</Badge>{' '}
                  {d.approver.name} · {when.format(d.createdAt)}
                  {d.comment ? <p className="text-muted">“{d.comment}”</p> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mb-4 text-sm text-muted">{t('access.detail.noDecisions')}</p>
          )}
          {mayDecide ? <DecisionForm requestId={request.id} decide={decideRequestAction} /> : null}
          {isRequester && request.status === 'PENDING' ? (
            <>
              <p className="mb-2 text-sm text-muted">{t('access.decide.own')}</p>
              <CancelButton requestId={request.id} cancel={cancelRequestAction} />
            </>
          ) : null}
          {isRequester && (request.status === 'APPROVED' || request.status === 'ACTIVE') && request.type !== 'SECRET_REGISTER' ? (
            <Link
              className="text-sm text-primary underline"
              href={`/requests/new?type=${request.type}&${request.secretId ? `secretId=${request.secretId}` : `roleId=${request.roleId}`}&extends=${request.id}`}
            >
              {t('access.detail.extend')}
            </Link>
          ) : null}
        </Card>
      </div>
      {/* The job applies and removes grants: show its outcome as it lands (only when it is due within minutes,
          not for a grant scheduled days ahead or a retry a quarter of an hour away). */}
      <RefreshWhile active={grant !== null && grantWorkDueBy(grant, new Date(now.getTime() + 5 * 60_000))} />
      {grant ? (
        <GrantPanel
          grant={grant}
          t={t}
          when={(d) => when.format(d)}
          explained={
            <div className="space-y-4">
              {grant.setup ? <GrantSetupExplained setup={grant.setup} grantId={grant.id} resourceArn={grant.resourceArn} endsAt={grant.endsAt} now={now} done={grant.setupAt !== null} t={t} /> : null}
              <PolicyExplained kind={grant.kind} summary={summarizePolicy(grant.policy)} policy={grant.policy} t={t} when={(d) => when.format(d)} />
            </div>
          }
          actions={
            ['PENDING', 'ACTIVE', 'GRANT_FAILED'].includes(grant.status) ? (
              <>
                {isRequester ? <GiveBackButton grantId={grant.id} giveBack={giveBackGrantAction} /> : null}
                {isRequester || can(actor, 'grant.revoke') ? <ShortenForm grantId={grant.id} shorten={shortenGrantAction} /> : null}
                {can(actor, 'grant.revoke') && !isRequester ? <RevokeForm grantId={grant.id} revoke={revokeGrantAction} /> : null}
              </>
            ) : null
          }
        />
      ) : preview ? (
        <Card data-testid="policy-preview">
          <CardTitle>{t('access.grant.preview')}</CardTitle>
          <div className="space-y-4">
            {preview.setup ? <GrantSetupExplained setup={preview.setup} grantId={null} resourceArn={preview.resourceArn} endsAt={preview.endsAt} now={now} done={false} t={t} /> : null}
            <PolicyExplained kind={preview.kind} summary={summarizePolicy(preview.policy)} policy={preview.policy} t={t} when={(d) => when.format(d)} />
          </div>
        </Card>
      ) : previewError ? (
        <Card>
          <p className="text-sm text-danger">{previewError}</p>
        </Card>
      ) : request.status === 'APPROVED' ? (
        <Card>
          <p className="text-sm text-muted">{t('access.grant.notYet')}</p>
        </Card>
      ) : null}
      <Card>
        <CardTitle>{t('access.detail.timeline')}</CardTitle>
        <ol className="space-y-2 border-l border-border pl-4 text-sm" data-testid="timeline">
          {[...history.events].reverse().map((e) => (
            <li key={e.seq}>
              <span className="font-mono text-xs text-muted">#{e.seq}</span> {when.format(e.occurredAt)} · <strong>{e.action}</strong> · {e.actorName}
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
