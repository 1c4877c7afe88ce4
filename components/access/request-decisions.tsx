import type { InstantFormat } from '@/lib/i18n/format';
import Link from 'next/link';
import type { ComponentProps, ReactNode } from 'react';
import { BreakGlassOutcome, type BreakGlassReviewView } from '@/components/access/break-glass-outcome';
import { BreakGlassReview } from '@/components/access/break-glass-review';
import { CancelButton, DecisionForm } from '@/components/access/decision-form';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import type { DecisionKind } from '@/lib/access/model';
import type { RequestRecord } from '@/lib/access/ports';
import type { Translate } from '@/lib/i18n/messages';

interface DecisionRow {
  id: string;
  kind: DecisionKind;
  comment: string | null;
  createdAt: Date;
  approver: { name: string };
}

/** What a break-glass request shows instead of decisions: it needed none; the security team's review does. */
export interface BreakGlassReviewState {
  review: BreakGlassReviewView | null;
  /** The viewer may review it now (security, not their own use, not reviewed yet). */
  mayReview: boolean;
  reviewAction: ComponentProps<typeof BreakGlassReview>['review'];
}

/**
 * The decisions so far and what the viewer may do next: decide (`mayDecide`), or, as the requester,
 * cancel a pending request or extend an approved one. The actions authorize themselves.
 */
export function RequestDecisions({
  request,
  decisions,
  mayDecide,
  stepUp,
  isRequester,
  decide,
  cancel,
  breakGlass,
  when,
  t,
}: {
  request: RequestRecord & { approvals: number };
  breakGlass: BreakGlassReviewState;
  decisions: DecisionRow[];
  mayDecide: boolean;
  /** Shown instead of the decision buttons when deciding first needs a recent sign-in (prod). */
  stepUp?: ReactNode;
  isRequester: boolean;
  decide: ComponentProps<typeof DecisionForm>['decide'];
  cancel: ComponentProps<typeof CancelButton>['cancel'];
  when: InstantFormat;
  t: Translate;
}) {
  const extend =
    isRequester && (request.status === 'APPROVED' || request.status === 'ACTIVE') && request.type !== 'SECRET_REGISTER' ? (
      <Link
        className="text-sm text-primary underline"
        href={`/requests/new?type=${request.type}&${request.secretId ? `secretId=${request.secretId}` : `roleId=${request.roleId}`}&extends=${request.id}`}
      >
        {t('access.detail.extend')}
      </Link>
    ) : null;
  if (request.breakGlass) {
    // Approved at once without approvals (decision 028): "Decisions 0/2" would contradict it.
    return (
      <Card data-testid="break-glass-review">
        <CardTitle>{t('breakGlassReview.title')}</CardTitle>
        <div className="mb-4 space-y-2 text-sm">
          {breakGlass.review ? (
            <BreakGlassOutcome review={breakGlass.review} when={(d) => when.format(d)} t={t} />
          ) : (
            <p className="text-muted">{t('breakGlassReview.pending')}</p>
          )}
          {!breakGlass.review && isRequester ? <p className="text-muted">{t('breakGlassReview.own')}</p> : null}
        </div>
        {breakGlass.mayReview ? (
          <div className="mb-4">
            <BreakGlassReview requestId={request.id} review={breakGlass.reviewAction} />
          </div>
        ) : null}
        {extend}
      </Card>
    );
  }
  return (
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
      {mayDecide ? (stepUp ?? <DecisionForm requestId={request.id} decide={decide} />) : null}
      {isRequester && request.status === 'PENDING' ? (
        <>
          <p className="mb-2 text-sm text-muted">{t('access.decide.own')}</p>
          <CancelButton requestId={request.id} cancel={cancel} />
        </>
      ) : null}
      {extend}
    </Card>
  );
}
