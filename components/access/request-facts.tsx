import type { InstantFormat } from '@/lib/i18n/format';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import type { RequestRecord } from '@/lib/access/ports';
import { formatMinutes } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

/**
 * What was asked, by whom, under which frozen rule, and who may approve. `reachable` is set when
 * fewer approvers than required can still approve (decision 028).
 */
export function RequestFacts({
  request,
  approverNames,
  reachable,
  when,
  t,
}: {
  request: RequestRecord & { requesterName: string; teamName: string };
  approverNames: string[];
  reachable: number | null;
  when: InstantFormat;
  t: Translate;
}) {
  return (
    <Card className="lg:col-span-2">
      <dl className="grid grid-cols-[fit-content(40%)_minmax(0,1fr)] [overflow-wrap:anywhere] gap-x-4 gap-y-2 text-sm">
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
        <dd>{formatMinutes(request.durationMinutes, t.locale)}</dd>
        <dt className="text-muted">{t('access.detail.startsAt')}</dt>
        <dd data-testid="request-starts">
          {request.startsAt
            ? when.format(request.startsAt)
            : // Not scheduled: it started when it was approved (break-glass: at once, when asked).
              request.decidedAt && request.status !== 'REJECTED' && request.status !== 'CANCELLED'
              ? request.breakGlass
                ? t('breakGlassRule.startedAt', { time: when.format(request.decidedAt) })
                : when.format(request.decidedAt)
              : t('access.detail.now')}
        </dd>
        <dt className="text-muted">{t('access.detail.rule')}</dt>
        <dd data-testid="frozen-rule">
          {request.breakGlass
            ? t('breakGlassRule.frozen', { duration: formatMinutes(request.durationMinutes, t.locale) })
            : t('access.new.ruleText', {
                approvals: request.approvalsRequired,
                group: t(`access.group.${request.approverGroup}`),
                max: formatMinutes(request.maxDurationMinutes, t.locale),
                ttl: when.format(request.pendingExpiresAt),
              })}
        </dd>
        {request.breakGlass ? null : (
          <>
            <dt className="text-muted">{t('access.detail.approvers')}</dt>
            <dd>
              {approverNames.join(', ')}
              {reachable !== null ? (
                <p className="mt-1 text-danger" data-testid="approvers-short">
                  {t('access.detail.approversShort', { reachable, required: request.approvalsRequired })}
                </p>
              ) : null}
            </dd>
          </>
        )}
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
  );
}
