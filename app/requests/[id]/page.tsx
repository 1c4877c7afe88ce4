import { notFound } from 'next/navigation';
import {
  cancelRequestAction,
  confirmSignInAction,
  decideRequestAction,
  giveBackGrantAction,
  reviewBreakGlassAction,
  revokeGrantAction,
  shortenGrantAction,
} from '@/app/requests/actions';
import { RequestDecisions } from '@/components/access/request-decisions';
import { RequestFacts } from '@/components/access/request-facts';
import { RequestGrant } from '@/components/access/request-grant';
import { RequestTimeline } from '@/components/access/request-timeline';
import { StepUpPrompt } from '@/components/access/step-up-prompt';
import { BreakGlassBadge, StatusBadge } from '@/components/access/status-badge';
import { RefreshWhile } from '@/components/refresh-while';
import { reachableApprovals } from '@/lib/access/decide';
import type { ApproverCapacity } from '@/lib/access/model';
import { canDecideNow, standingOf } from '@/lib/access/visibility';
import { isAppError } from '@/lib/errors';
import { buildGrant, PREVIEW_GRANT_ID, type NewGrant } from '@/lib/grants/build-grant';
import { grantWorkDueBy } from '@/lib/grants/model';
import type { Actor } from '@/lib/identity/actor';
import { findVisibleRequestOrThrow } from '@/lib/server/access-queries';
import { requirePermission } from '@/lib/server/auth/guards';
import { accountsByEnvironment } from '@/lib/server/cloud/account';
import { can } from '@/lib/server/auth/permissions';
import { listAuditEvents } from '@/lib/server/db/repositories/audit';
import { expectedAccountFor } from '@/lib/server/cloud/account';
import { findGrantInputs } from '@/lib/server/db/repositories/grant-preview';
import { findGrantView } from '@/lib/server/db/repositories/grants';
import { usageOfGrant } from '@/lib/server/grant-usage';
import { listDecisionViews } from '@/lib/server/db/repositories/requests-read';
import { listUsersForAdmin } from '@/lib/server/db/repositories/users';
import { instantFormat } from '@/lib/i18n/format';
import { stepUpNeeded } from '@/lib/server/auth/step-up';
import { env } from '@/lib/server/env';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.request');

/** The request if the actor may see it; the not-found page otherwise (someone else's request is not disclosed). */
async function findVisibleRequestOrNotFound(actor: Actor, id: string) {
  if (id.length > 64) notFound();
  try {
    return await findVisibleRequestOrThrow(actor, id);
  } catch (e) {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  }
}

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermission('request.read', `/requests/${encodeURIComponent(id)}`);
  const request = await findVisibleRequestOrNotFound(actor, id);
  const [{ t, locale, zone }, decisions, history, users, grant, accounts] = await Promise.all([
    getTranslator(),
    listDecisionViews(id),
    listAuditEvents({ request: id, limit: 200 }),
    listUsersForAdmin(),
    findGrantView(id),
    accountsByEnvironment(),
  ]);
  // Before a decision, approvers see the exact policy an approval now would apply.
  let preview: NewGrant | null = null;
  let previewError: string | null = null;
  if (!grant && request.status === 'PENDING') {
    try {
      preview = buildGrant(request, await findGrantInputs(id, await expectedAccountFor(request.environment)), new Date(), PREVIEW_GRANT_ID);
    } catch (e) {
      previewError = e instanceof Error ? e.message : String(e);
    }
  }
  const names = new Map(users.map((u) => [u.id, u.name]));
  const when = instantFormat(locale, zone);
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
        <RequestFacts
          request={request}
          approverNames={[...request.eligibleSecurityIds, ...request.eligibleLeadIds].map((uid) => names.get(uid) ?? uid)}
          reachable={reach && !reach.enough ? reach.reachable : null}
          when={when}
          t={t}
        />
        <RequestDecisions
          request={request}
          decisions={decisions}
          mayDecide={mayDecide}
          stepUp={
            mayDecide && stepUpNeeded(actor, request.environment, now) ? (
              <StepUpPrompt
                requestId={request.id}
                maxAgeMinutes={env().STEP_UP_MAX_AGE_MINUTES}
                name={actor.name}
                sso={env().GATEHOUSE_AUTH === 'oidc' ? env().OIDC_NAME : null}
                confirm={confirmSignInAction}
              />
            ) : null
          }
          isRequester={isRequester}
          decide={decideRequestAction}
          cancel={cancelRequestAction}
          breakGlass={{
            review: request.breakGlassReview,
            mayReview: request.breakGlass && !request.breakGlassReview && !isRequester && can(actor, 'break_glass.review'),
            reviewAction: reviewBreakGlassAction,
          }}
          when={when}
          t={t}
        />
      </div>
      {/* The job applies and removes grants: show its outcome as it lands (only when it is due within minutes,
          not for a grant scheduled days ahead or a retry a quarter of an hour away). */}
      <RefreshWhile active={grant !== null && grantWorkDueBy(grant, new Date(now.getTime() + 5 * 60_000))} />
      <RequestGrant
        grant={grant}
        usage={grant?.status === 'ACTIVE' && isRequester ? usageOfGrant(grant, request.environment, now) : null}
        environment={request.environment}
        account={accounts[request.environment]}
        preview={preview}
        previewError={previewError}
        approved={request.status === 'APPROVED'}
        controls={{ isRequester, mayRevoke: can(actor, 'grant.revoke'), giveBack: giveBackGrantAction, shorten: shortenGrantAction, revoke: revokeGrantAction }}
        now={now}
        when={when}
        t={t}
      />
      <RequestTimeline events={history.events} when={when} t={t} />
    </div>
  );
}
