import { isAppError } from '@/lib/errors';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import { isGivenBackEarly, type GrantReportRow, type GrantsReport, type GrantUsage, type GrantWithUsage, type UsageUnknownReason } from '@/lib/reports/model';
import type { CloudTrailPort } from '@/lib/reports/ports';

/** CloudTrail's event history (LookupEvents) holds the last 90 days of management events. */
export const CLOUDTRAIL_HISTORY_DAYS = 90;
/**
 * At most this many grants are checked per report: LookupEvents allows 2 calls a second per
 * account and region, so a page showing a year of grants would wait minutes. The newest are checked.
 */
export const MAX_USAGE_CHECKS = 40;

export interface UsageDeps {
  /** CloudTrail of the account an environment lives in (docs/decisions/039). */
  cloudTrailFor(environment: Environment): CloudTrailPort;
  now: Date;
  /**
   * Answers that cannot change any more (those of grants whose window has closed),
   * by grant id: a grant is asked about once per process, not on every view.
   */
  settled?: Map<string, GrantUsage>;
  maxChecks?: number;
}

function reasonOf(e: unknown): UsageUnknownReason {
  if (!isAppError(e)) return 'error';
  if (e.code === 'FORBIDDEN') return 'access-denied';
  if (e.code === 'RATE_LIMITED') return 'throttled';
  if (e.details?.tooManyEvents) return 'too-many-events';
  return 'error';
}

/**
 * Whether each grant's principal used its access during the grant's window, from CloudTrail
 * (docs/decisions/051-reports.md). `grants` are newest first; beyond `maxChecks` a grant is "not
 * checked". A window older than CloudTrail's history is unknown, never "unused". When CloudTrail
 * of an environment is denied or failing, the rest of that environment's grants are not asked
 * (unknown with the same reason) and the environment is listed as unavailable: the report says so
 * rather than guessing.
 */
export async function checkGrantUsage(grants: readonly GrantReportRow[], deps: UsageDeps): Promise<Pick<GrantsReport, 'grants' | 'unavailable'>> {
  const now = deps.now;
  const historyStart = new Date(now.getTime() - CLOUDTRAIL_HISTORY_DAYS * 24 * 3600_000);
  const maxChecks = deps.maxChecks ?? MAX_USAGE_CHECKS;
  const usage = new Map<string, GrantUsage>();
  const byEnvironment = new Map<Environment, GrantReportRow[]>();
  grants.forEach((g, i) => {
    const known = deps.settled?.get(g.id);
    if (known) usage.set(g.id, known);
    else if (i >= maxChecks) usage.set(g.id, { status: 'unknown', reason: 'not-checked' });
    else if (g.startsAt < historyStart) usage.set(g.id, { status: 'unknown', reason: 'beyond-history' });
    else byEnvironment.set(g.environment, [...(byEnvironment.get(g.environment) ?? []), g]);
  });

  const unavailable: GrantsReport['unavailable'] = [];
  // Accounts are asked in parallel, each account's grants one after the other (its rate limit is per account).
  await Promise.all(
    [...byEnvironment].map(async ([environment, list]) => {
      const port = deps.cloudTrailFor(environment);
      let failed: UsageUnknownReason | null = null;
      for (const g of list) {
        if (failed) {
          usage.set(g.id, { status: 'unknown', reason: failed });
          continue;
        }
        const end = new Date(Math.min((g.endedAt ?? g.endsAt).getTime(), now.getTime()));
        try {
          const found = await port.findActivity({ principalArn: g.principalArn, resourceArn: g.resourceArn, start: g.startsAt, end });
          const answer: GrantUsage = found ? { status: 'used', usedAt: found.at, eventName: found.eventName } : { status: 'unused' };
          usage.set(g.id, answer);
          // Settled once the window has closed: nothing can change the answer any more.
          if (end < now) deps.settled?.set(g.id, answer);
        } catch (e) {
          const reason = reasonOf(e);
          usage.set(g.id, { status: 'unknown', reason });
          // Too many events is about one resource; anything else is CloudTrail of the whole account.
          if (reason !== 'too-many-events') {
            failed = reason;
            unavailable.push({ environment, reason });
          }
        }
      }
    }),
  );
  unavailable.sort((a, b) => ENVIRONMENTS.indexOf(a.environment) - ENVIRONMENTS.indexOf(b.environment));
  return {
    grants: grants.map((g): GrantWithUsage => ({ ...g, givenBackEarly: isGivenBackEarly(g), usage: usage.get(g.id)! })),
    unavailable,
  };
}
