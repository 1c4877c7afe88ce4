'use client';

import { useI18n } from '@/components/i18n-provider';
import { formatInstant } from '@/lib/i18n/format';
import { secondsSince } from '@/components/alarms/use-clock';
import type { SourceStatus } from '@/lib/alarms/service';
import { accountLabel } from '@/lib/cloud/account-label';
import type { Translate } from '@/lib/i18n/messages';
import { Alert } from '@/components/ui/alert';

/** "CloudWatch (eu-central-1)" from a source id such as cloudwatch:eu-central-1. */
export function sourceName(source: string, t: Translate): string {
  const [kind, region = ''] = source.split(':');
  if (kind === 'cloudwatch') return t('alarms.source.cloudwatch', { region });
  if (kind === 'history') return t('alarms.source.history', { region });
  if (kind === 'metrics') return t('alarms.source.metrics', { region });
  return source;
}

/** The source's name with its account when it is in a configured one ("CloudWatch (eu-central-1) in prod (…)"). */
function sourceLabel(s: SourceStatus, t: Translate): string {
  const name = sourceName(s.source, t);
  return s.account?.accountId ? t('alarms.source.inAccount', { source: name, account: accountLabel(s.account) }) : name;
}

/**
 * How old the data is ("Updated N s ago"), and for a source that fails: what failed, since when,
 * and that the last good data is shown. `now` is the server's time as the browser estimates it.
 */
export function SourceStatusLine({ sources, now, fetching, testId }: { sources: SourceStatus[]; now: number; fetching?: boolean; testId?: string }) {
  const { t, locale, zone } = useI18n();
  const oldest =
    sources
      .map((s) => s.fetchedAt)
      .filter((x): x is string => !!x)
      .sort()[0] ?? null;
  const seconds = secondsSince(oldest, now);
  return (
    <div className="space-y-2">
      <p className="flex items-center gap-2 text-xs text-muted" data-testid={testId}>
        <span>{!now ? '' : seconds === null ? t('alarms.updatedNever') : t('alarms.updated', { seconds })}</span>
        {fetching ? <span aria-hidden>· {t('alarms.refreshing')}</span> : null}
      </p>
      {sources
        .filter((s) => s.error)
        .map((s) => {
          const age = secondsSince(s.fetchedAt, now);
          return (
            <Alert
              as="div"
              tone="warn"
              box
              key={`${s.account?.accountId ?? ''}:${s.source}`}
              className="border-amber-300 px-3 py-2 text-amber-950"
              testId="source-error"
            >
              <p>
                {t('alarms.sourceFailed', {
                  source: sourceLabel(s, t),
                  since: formatInstant(s.error!.since, locale, zone, 'dateTime', { seconds: true }),
                  message: s.error!.message,
                })}
              </p>
              {now ? <p className="text-xs">{age === null ? t('alarms.sourceNothing') : t('alarms.sourceShowing', { seconds: age })}</p> : null}
            </Alert>
          );
        })}
    </div>
  );
}
