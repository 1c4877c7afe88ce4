import type { InstantFormat } from '@/lib/i18n/format';
import { eventLabel } from '@/components/audit/event-parts';
import { Card, CardTitle } from '@/components/ui/card';
import type { Translate } from '@/lib/i18n/messages';

/** The request's audit events, oldest first and numbered 1, 2, 3… among themselves (`events` come newest first). */
export function RequestTimeline({
  events,
  when,
  t,
}: {
  events: { seq: number; occurredAt: Date; action: string; actorName: string }[];
  when: InstantFormat;
  t: Translate;
}) {
  return (
    <Card>
      <CardTitle>{t('access.detail.timeline')}</CardTitle>
      <ol className="space-y-2 border-l border-border pl-4 text-sm" data-testid="timeline">
        {[...events].reverse().map((e, i) => (
          <li key={e.seq} data-seq={e.seq}>
            <span className="font-mono text-xs text-muted">{i + 1}.</span> {when.format(e.occurredAt)} ·{' '}
            <strong title={e.action}>{eventLabel(e.action, t)}</strong> · {e.actorName}
          </li>
        ))}
      </ol>
    </Card>
  );
}
