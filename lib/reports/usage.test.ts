import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import type { Environment } from '@/lib/environments';
import type { GrantReportRow, GrantUsage } from '@/lib/reports/model';
import type { ActivityQuery, CloudTrailPort } from '@/lib/reports/ports';
import { checkGrantUsage } from '@/lib/reports/usage';

const NOW = new Date('2026-12-07T12:00:00Z');
const h = (hoursBeforeNow: number) => new Date(NOW.getTime() - hoursBeforeNow * 3600_000);

function grant(id: string, environment: Environment, startsHoursAgo: number, more: Partial<GrantReportRow> = {}): GrantReportRow {
  return {
    id,
    environment,
    kind: 'SECRET_READ',
    userName: 'Minji Kim',
    teamName: 'Payments',
    principalArn: `arn:aws:iam::111122223333:user/${id}`,
    resourceArn: `arn:aws:secretsmanager:eu-central-1:111122223333:secret:${id}`,
    startsAt: h(startsHoursAgo),
    endsAt: h(startsHoursAgo - 2),
    endedAt: h(startsHoursAgo - 2),
    endReason: 'EXPIRED',
    ...more,
  };
}

/** A CloudTrail that knows the principals that acted, or fails as told; it records what it was asked. */
function fakeTrail(used: Record<string, Date>, fail?: AppError): CloudTrailPort & { asked: ActivityQuery[] } {
  const asked: ActivityQuery[] = [];
  return {
    asked,
    async findActivity(q) {
      asked.push(q);
      if (fail) throw fail;
      const at = used[q.principalArn];
      return at && at >= q.start && at <= q.end ? { at, eventName: 'GetSecretValue' } : null;
    },
  };
}

describe('checkGrantUsage', () => {
  it("asks each grant's account for its principal and resource in its window, cut at now", async () => {
    const prod = fakeTrail({ 'arn:aws:iam::111122223333:user/g1': h(9.5) });
    const dev = fakeTrail({});
    const active = grant('g3', 'DEV', 1, { endsAt: new Date(NOW.getTime() + 3600_000), endedAt: null, endReason: null });
    const given = grant('g2', 'PROD', 5, { endedAt: h(4.5), endReason: 'GIVEN_BACK' });
    const out = await checkGrantUsage([active, given, grant('g1', 'PROD', 10)], { cloudTrailFor: (e) => (e === 'PROD' ? prod : dev), now: NOW });
    expect(out.grants.map((g) => [g.id, g.usage.status, g.givenBackEarly])).toEqual([
      ['g3', 'unused', false],
      ['g2', 'unused', true],
      ['g1', 'used', false],
    ]);
    expect(out.grants[2]!.usage).toEqual({ status: 'used', usedAt: h(9.5), eventName: 'GetSecretValue' });
    expect(out.unavailable).toEqual([]);
    // The active grant's window ends now; the given-back one when it was given back.
    expect(dev.asked).toEqual([{ principalArn: active.principalArn, resourceArn: active.resourceArn, start: active.startsAt, end: NOW }]);
    expect(prod.asked[0]).toEqual({ principalArn: given.principalArn, resourceArn: given.resourceArn, start: given.startsAt, end: h(4.5) });
  });

  it('says unknown, never unused, where CloudTrail is denied or failing, names the environment and stops asking it', async () => {
    const denied = fakeTrail({}, new AppError('FORBIDDEN', 'CloudTrail LookupEvents was denied by AWS'));
    const throttled = fakeTrail({}, new AppError('RATE_LIMITED', 'throttled'));
    const dev = fakeTrail({});
    const out = await checkGrantUsage([grant('a', 'PROD', 1), grant('b', 'PROD', 2), grant('c', 'STAGING', 3), grant('d', 'DEV', 4)], {
      cloudTrailFor: (e) => (e === 'PROD' ? denied : e === 'STAGING' ? throttled : dev),
      now: NOW,
    });
    expect(out.grants.map((g) => [g.id, g.usage])).toEqual([
      ['a', { status: 'unknown', reason: 'access-denied' }],
      ['b', { status: 'unknown', reason: 'access-denied' }],
      ['c', { status: 'unknown', reason: 'throttled' }],
      ['d', { status: 'unused' }],
    ]);
    expect(denied.asked).toHaveLength(1);
    expect(out.unavailable).toEqual([
      { environment: 'STAGING', reason: 'throttled' },
      { environment: 'PROD', reason: 'access-denied' },
    ]);
  });

  it("a resource with too many events is unknown on its own; the account's other grants are still asked", async () => {
    let calls = 0;
    const trail: CloudTrailPort = {
      async findActivity() {
        calls++;
        if (calls === 1) throw new AppError('UNAVAILABLE', 'too many', { tooManyEvents: true });
        return null;
      },
    };
    const out = await checkGrantUsage([grant('a', 'PROD', 1), grant('b', 'PROD', 2)], { cloudTrailFor: () => trail, now: NOW });
    expect(out.grants.map((g) => g.usage)).toEqual([{ status: 'unknown', reason: 'too-many-events' }, { status: 'unused' }]);
    expect(out.unavailable).toEqual([]);
  });

  it("leaves windows older than CloudTrail's 90 days and grants beyond the cap unknown, unasked", async () => {
    const trail = fakeTrail({});
    const out = await checkGrantUsage([grant('new', 'DEV', 1), grant('next', 'DEV', 2), grant('old', 'DEV', 91 * 24)], {
      cloudTrailFor: () => trail,
      now: NOW,
      maxChecks: 1,
    });
    expect(out.grants.map((g) => g.usage)).toEqual([
      { status: 'unused' },
      { status: 'unknown', reason: 'not-checked' },
      { status: 'unknown', reason: 'not-checked' },
    ]);
    const old = await checkGrantUsage([grant('old', 'DEV', 91 * 24)], { cloudTrailFor: () => trail, now: NOW });
    expect(old.grants[0]!.usage).toEqual({ status: 'unknown', reason: 'beyond-history' });
    expect(trail.asked.map((q) => q.principalArn)).toEqual(['arn:aws:iam::111122223333:user/new']);
  });

  it('remembers the answers of closed windows only, and reuses them without asking again', async () => {
    const trail = fakeTrail({});
    const settled = new Map<string, GrantUsage>();
    const open = grant('open', 'DEV', 1, { endsAt: new Date(NOW.getTime() + 3600_000), endedAt: null, endReason: null });
    const grants = [open, grant('closed', 'DEV', 5)];
    await checkGrantUsage(grants, { cloudTrailFor: () => trail, now: NOW, settled });
    expect([...settled.keys()]).toEqual(['closed']);
    await checkGrantUsage(grants, { cloudTrailFor: () => trail, now: NOW, settled });
    expect(trail.asked.map((q) => q.principalArn.split('/')[1])).toEqual(['open', 'closed', 'open']);
  });
});
