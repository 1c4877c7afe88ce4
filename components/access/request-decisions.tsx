import type { InstantFormat } from '@/lib/i18n/format';
import Link from 'next/link';
import type { ComponentProps, ReactNode } from 'react';
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
  when,
  t,
}: {
  request: RequestRecord & { approvals: number };
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
      {isRequester && (request.status === 'APPROVED' || request.status === 'ACTIVE') && request.type !== 'SECRET_REGISTER' ? (
        <Link
          className="text-sm text-primary underline"
          href={`/requests/new?type=${request.type}&${request.secretId ? `secretId=${request.secretId}` : `roleId=${request.roleId}`}&extends=${request.id}`}
        >
          {t('access.detail.extend')}
        </Link>
      ) : null}
    </Card>
  );
}
