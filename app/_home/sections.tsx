import Link from 'next/link';
import { formatMinutes, formatPercent, instantFormat, moneyFormat } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/messages';
import { BreakGlassBadge } from '@/components/access/status-badge';
import { GrantUsagePanel } from '@/components/grants/grant-usage';
import { HomeSection } from '@/components/home/home-section';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { listRequestsSchema } from '@/lib/access/schemas';
import { loadAlarms } from '@/lib/alarms/service';
import { costOverviewQuerySchema } from '@/lib/costs/schemas';
import { todayAgainstUsual } from '@/lib/costs/today';
import { isAppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import type { Translate } from '@/lib/i18n/messages';
import { alarmDeps, environmentHealth } from '@/lib/server/alarms/wiring';
import { getCostOverview } from '@/lib/server/costs';
import { listDeploymentHistory } from '@/lib/server/db/repositories/deployments';
import { listActiveGrantsOf, listApprovalQueue, listRequests, listUnreviewedBreakGlass } from '@/lib/server/db/repositories/requests-read';
import { usageOfGrant } from '@/lib/server/grant-usage';
import { findNewFindings } from '@/lib/server/iam-audit-news';

/** What every section renders with: who, when, and how to say it. */
export interface SectionProps {
  actor: Actor;
  now: Date;
  t: Translate;
  locale: Locale;
  /** The reader's time zone (docs/decisions/048-time-zone-policy.md). */
  zone: string;
}

const SHOWN = 8;
const link = 'text-primary underline';

const whenOf = (locale: Locale, zone: string) => {
  const f = instantFormat(locale, zone, 'dateTime');
  return (d: Date) => f.format(d);
};
/** "3 h 20 min": how long something has waited, for people. */
const ageOf = (from: Date, now: Date, locale: Locale) => formatMinutes(Math.max(1, Math.floor((now.getTime() - from.getTime()) / 60_000)), locale);

/** Loads one section's data; a failure becomes that section's message (logged unless it is an expected AppError). */
async function settle<T>(section: string, load: () => Promise<T>): Promise<{ value: T; error: null } | { value: null; error: string }> {
  try {
    return { value: await load(), error: null };
  } catch (e) {
    if (!isAppError(e)) console.error(`[home] the ${section} section failed`, e);
    return { value: null, error: isAppError(e) ? e.message : 'unexpected error (logged)' };
  }
}

/** The engineer's live grants: what each allows in plain words, the time left, and how to use it. */
export async function MyGrants({ actor, now, t, locale, zone }: SectionProps) {
  const { value, error } = await settle('grants', () => listActiveGrantsOf(actor.id));
  const when = whenOf(locale, zone);
  return (
    <HomeSection
      title={t('home.grants.title')}
      count={value?.length ?? null}
      error={error ? t('home.sectionError', { error }) : null}
      testId="home-grants"
      action={
        <Link className={`${link} text-sm`} href="/requests/new">
          {t('home.grants.ask')}
        </Link>
      }
    >
      {value && value.length === 0 ? <p className="text-sm text-muted">{t('home.grants.empty')}</p> : null}
      <ul className="space-y-4">
        {value?.map((r) => (
          <li key={r.id} className="space-y-2 border-t border-border pt-3 first:border-t-0 first:pt-0" data-request-id={r.id}>
            <p className="flex flex-wrap items-center gap-2 text-sm">
              <Link className={`${link} break-all font-mono`} href={`/requests/${r.id}`}>
                {r.target}
              </Link>
              <Badge>{t(`access.env.${r.environment}`)}</Badge>
              {r.breakGlass ? <BreakGlassBadge t={t} /> : null}
            </p>
            <GrantUsagePanel
              usage={usageOfGrant(r.grant, r.environment, now)}
              environment={r.environment}
              endsAt={r.grant.endsAt}
              now={now}
              t={t}
              when={when}
            />
          </li>
        ))}
      </ul>
    </HomeSection>
  );
}

/** The engineer's requests still waiting for approvers, oldest first. */
export async function MyPendingRequests({ actor, now, t }: SectionProps) {
  const { value, error } = await settle('pending requests', () => listRequests(listRequestsSchema.parse({ status: 'PENDING', limit: 25 }), actor.id));
  const pending = value ? [...value.requests].reverse() : null;
  return (
    <HomeSection title={t('home.pending.title')} count={pending?.length ?? null} error={error ? t('home.sectionError', { error }) : null} testId="home-pending">
      {pending && pending.length === 0 ? <p className="text-sm text-muted">{t('home.pending.empty')}</p> : null}
      <ul className="space-y-2 text-sm">
        {pending?.slice(0, SHOWN).map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-2" data-request-id={r.id}>
            <Link className={`${link} break-all font-mono`} href={`/requests/${r.id}`}>
              {r.target}
            </Link>
            <Badge>{t(`access.env.${r.environment}`)}</Badge>
            <span>{t('home.pending.approvals', { approvals: r.approvals, required: r.approvalsRequired })}</span>
            <span className="text-muted">{t('home.age', { age: ageOf(r.createdAt, now, t.locale) })}</span>
          </li>
        ))}
      </ul>
    </HomeSection>
  );
}

/** Requests the user may decide now, oldest first, with how long each has waited. */
export async function ApprovalsWaiting({ actor, now, t }: SectionProps) {
  const { value, error } = await settle('approvals', () => listApprovalQueue(actor, now));
  return (
    <HomeSection
      title={t('home.approvals.title')}
      count={value?.length ?? null}
      error={error ? t('home.sectionError', { error }) : null}
      testId="home-approvals"
      action={
        <Link className={`${link} text-sm`} href="/approvals">
          {t('home.approvals.all')}
        </Link>
      }
    >
      {value && value.length === 0 ? <p className="text-sm text-muted">{t('home.approvals.empty')}</p> : null}
      <ol className="space-y-2 text-sm">
        {value?.slice(0, SHOWN).map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-2" data-request-id={r.id}>
            <Link className={`${link} break-all font-mono`} href={`/requests/${r.id}`}>
              {r.target}
            </Link>
            <Badge>{t(`access.env.${r.environment}`)}</Badge>
            <span>{r.requesterName}</span>
            <span className="text-muted" data-testid="age">
              {t('home.age', { age: ageOf(r.createdAt, now, t.locale) })}
            </span>
          </li>
        ))}
      </ol>
    </HomeSection>
  );
}

/** Break-glass uses nobody has reviewed yet, oldest first (not the user's own: someone else reviews those). */
export async function BreakGlassToReview({ actor, now, t, locale, zone }: SectionProps) {
  const { value, error } = await settle('break-glass', async () => (await listUnreviewedBreakGlass()).filter((r) => r.requesterId !== actor.id));
  const when = whenOf(locale, zone);
  return (
    <HomeSection
      title={t('home.breakGlass.title')}
      count={value?.length ?? null}
      error={error ? t('home.sectionError', { error }) : null}
      testId="home-break-glass"
      action={
        <Link className={`${link} text-sm`} href="/break-glass">
          {t('nav.breakGlass')}
        </Link>
      }
    >
      {value && value.length === 0 ? <p className="text-sm text-muted">{t('home.breakGlass.empty')}</p> : null}
      <ol className="space-y-2 text-sm">
        {value?.slice(0, SHOWN).map((r) => (
          <li key={r.id} className="space-y-0.5" data-request-id={r.id}>
            <p className="flex flex-wrap items-center gap-2">
              <Link className={`${link} break-all font-mono`} href={`/requests/${r.id}`}>
                {r.target}
              </Link>
              <span>{t('home.breakGlass.by', { name: r.requesterName, time: when(r.createdAt) })}</span>
              <span className="text-muted">{t('home.age', { age: ageOf(r.createdAt, now, t.locale) })}</span>
            </p>
            {r.breakGlassReason ? <p className="line-clamp-2 text-muted">{r.breakGlassReason}</p> : null}
          </li>
        ))}
      </ol>
    </HomeSection>
  );
}

/** IAM findings of the latest scan that were not there at the user's last visit to the IAM audit. */
export async function NewFindings({ actor, t, locale, zone }: SectionProps) {
  const { value, error } = await settle('IAM findings', () => findNewFindings(actor));
  const when = whenOf(locale, zone);
  const summary = !value
    ? t('home.findings.noScan')
    : !value.visit
      ? t('home.findings.first', { total: value.scan.findings.length, scanned: when(value.scan.finishedAt) })
      : value.fresh.length === 0
        ? t('home.findings.none', { time: when(value.visit) })
        : t('home.findings.since', {
            count: value.fresh.length,
            time: when(value.visit),
            total: value.scan.findings.length,
            scanned: when(value.scan.finishedAt),
          });
  return (
    <HomeSection
      title={t('home.findings.title')}
      count={value ? value.fresh.length : null}
      error={error ? t('home.sectionError', { error }) : null}
      testId="home-findings"
      action={
        <Link className={`${link} text-sm`} href="/iam-audit">
          {t('home.findings.open')}
        </Link>
      }
    >
      {error ? null : (
        <p className="mb-2 text-sm" data-testid="home-findings-summary">
          {summary}
        </p>
      )}
      <ul className="space-y-1 text-sm">
        {value?.fresh.slice(0, SHOWN).map((f) => (
          <li key={f.id} className="flex flex-wrap items-center gap-2">
            <Badge tone={f.severity === 'critical' || f.severity === 'high' ? 'danger' : 'warn'}>{t(`iamAudit.severity.${f.severity}`)}</Badge>
            <span>{t(`iamAudit.kind.${f.kind}`)}</span>
            <span className="font-mono text-xs">{f.principal.name}</span>
          </li>
        ))}
      </ul>
    </HomeSection>
  );
}

/** Alarms in ALARM across accounts and regions; a source that failed says so here. */
export async function FiringAlarms({ t, locale, zone }: SectionProps) {
  const { value, error } = await settle('alarms', () => loadAlarms(alarmDeps()));
  const firing = value?.alarms.filter((a) => a.state === 'ALARM').sort((a, b) => a.stateUpdatedAt.localeCompare(b.stateUpdatedAt)) ?? null;
  const failed = value?.sources.filter((s) => s.error) ?? [];
  const when = whenOf(locale, zone);
  return (
    <HomeSection
      title={t('home.alarms.title')}
      count={firing?.length ?? null}
      error={error ? t('home.sectionError', { error }) : null}
      testId="home-alarms"
      action={
        <Link className={`${link} text-sm`} href="/alarms">
          {t('nav.alarms')}
        </Link>
      }
    >
      {failed.map((s) => (
        <Alert key={s.source + (s.account?.accountId ?? '')} className="mb-2">
          {t('home.alarms.sourceFailed', {
            source: s.account?.accountId ? `${s.source} (${s.account.alias ?? s.account.accountId})` : s.source,
            error: s.error!.message,
          })}
        </Alert>
      ))}
      {firing && firing.length === 0 && failed.length === 0 ? <p className="text-sm text-muted">{t('home.alarms.none')}</p> : null}
      <ul className="space-y-1 text-sm">
        {firing?.slice(0, SHOWN).map((a) => {
          const params = new URLSearchParams({ region: a.region });
          if (a.accountKey && a.accountKey !== 'home') params.set('account', a.accountKey);
          return (
            <li key={`${a.accountKey ?? ''}|${a.region}|${a.name}`} className="flex flex-wrap items-center gap-2" data-alarm={a.name}>
              <Badge tone="danger">{t('alarms.state.ALARM')}</Badge>
              <Link className={`${link} font-mono text-xs`} href={`/alarms/${encodeURIComponent(a.name)}?${params}`}>
                {a.name}
              </Link>
              <span className="text-muted">{t('home.alarms.since', { time: when(new Date(a.stateUpdatedAt)) })}</span>
            </li>
          );
        })}
      </ul>
    </HomeSection>
  );
}

/** Environments whose last health check failed (or whose checks stopped), with since when. */
export async function UnhealthyEnvironments({ t, locale, zone }: SectionProps) {
  const { value, error } = await settle('health', () => environmentHealth());
  const when = whenOf(locale, zone);
  const bad = value?.filter((e) => e.stale || (e.latest && e.latest.status !== 'ok')) ?? null;
  const noData = value !== null && value.every((e) => !e.latest);
  return (
    <HomeSection title={t('home.health.title')} count={bad?.length ?? null} error={error ? t('home.sectionError', { error }) : null} testId="home-health">
      {bad && bad.length === 0 ? <p className="text-sm text-muted">{noData ? t('home.health.noData') : t('home.health.none')}</p> : null}
      <ul className="space-y-1 text-sm">
        {bad?.map((e) => (
          <li key={e.environment} className="flex flex-wrap items-center gap-2" data-environment={e.environment}>
            <Badge tone="danger">{e.environment}</Badge>
            {e.latest && e.latest.status !== 'ok' ? (
              <span>
                {t('home.health.failing', {
                  status: t(`home.health.status.${e.latest.status ?? 'down'}`),
                  since: when(new Date(e.failingSince ?? e.latest.checkedAt)),
                })}
                {e.latest.error ? <span className="text-muted"> — {e.latest.error}</span> : null}
              </span>
            ) : null}
            {e.stale ? <span className="text-muted">{t('home.health.stale')}</span> : null}
          </li>
        ))}
      </ul>
    </HomeSection>
  );
}

/** Deployment plans waiting for an approval, oldest first. */
export async function PlansWaiting({ now, t }: SectionProps) {
  const { value, error } = await settle('plans', () => listDeploymentHistory({ status: 'APPROVAL_PENDING', limit: 25 }));
  const plans = value ? [...value].reverse() : null;
  return (
    <HomeSection
      title={t('home.plans.title')}
      count={plans?.length ?? null}
      error={error ? t('home.sectionError', { error }) : null}
      testId="home-plans"
      action={
        <Link className={`${link} text-sm`} href="/deployments">
          {t('nav.deployments')}
        </Link>
      }
    >
      {plans && plans.length === 0 ? <p className="text-sm text-muted">{t('home.plans.none')}</p> : null}
      <ul className="space-y-1 text-sm">
        {plans?.slice(0, SHOWN).map((d) => (
          <li key={d.id} data-deployment-id={d.id}>
            <Link className={link} href={`/deployments/${d.id}`}>
              {t('home.plans.by', { env: d.environment.toLowerCase(), name: d.plannedBy, age: ageOf(d.plannedAt, now, t.locale) })}
            </Link>
          </li>
        ))}
      </ul>
    </HomeSection>
  );
}

/** Today's cost so far against a usual day (the average of the previous full days this month), labelled as such. */
export async function TodaysCost({ t, locale, zone }: SectionProps) {
  const { value, error } = await settle('cost', () => getCostOverview(costOverviewQuerySchema.parse({})));
  const usd = moneyFormat(locale);
  const pct = { format: (ratio: number) => formatPercent(ratio, locale, { signed: false }) };
  const today = value ? todayAgainstUsual(value.overview.daily, value.overview.today) : null;
  const when = whenOf(locale, zone);
  return (
    <HomeSection
      title={t('home.cost.title')}
      error={error ? t('home.sectionError', { error }) : null}
      testId="home-cost"
      action={
        <Link className={`${link} text-sm`} href="/costs">
          {t('nav.costs')}
        </Link>
      }
    >
      {today && value ? (
        <div className="space-y-1 text-sm">
          <p className="text-2xl font-semibold tabular-nums" data-testid="home-cost-today">
            {usd.format(today.today)}
          </p>
          <p>{t('home.cost.today', { amount: usd.format(today.today), date: today.date })}</p>
          <p data-testid="home-cost-usual">
            {today.usual === null
              ? t('home.cost.noBase')
              : t('home.cost.vs', { usual: usd.format(today.usual), days: today.days, pct: today.ratio === null ? '—' : pct.format(today.ratio) })}
          </p>
          <p className="text-muted">{t('home.cost.asOf', { time: when(value.asOf) })}</p>
        </div>
      ) : null}
    </HomeSection>
  );
}
