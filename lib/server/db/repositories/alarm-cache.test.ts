import { HOME_ACCOUNT_KEY } from '@/lib/cloud/accounts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSharedCache } from '@/lib/alarms/cache';
import type { CloudWatchPort } from '@/lib/alarms/ports';
import { overviewQuerySchema } from '@/lib/alarms/schemas';
import { getOverview, type AlarmDeps } from '@/lib/alarms/service';
import { manualClock, record } from '@/lib/alarms/test-fakes';
import { createAlarmCacheStore } from '@/lib/server/db/repositories/alarm-cache';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

const T0 = new Date('2026-11-30T09:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe.each(testDatabaseKinds())('alarm cache store on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db.drop());

  it('lets one of many simultaneous callers claim a key, and nobody again before it is due and unleased', async () => {
    const store = createAlarmCacheStore(db.prisma);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim('k1', `owner-${i}`, at(0), at(30), at(20))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claim('k1', 'late', at(29), at(59), at(49))).toBe(false);
    // Due, but the lease still runs (a slow fetch): still no.
    await db.prisma.alarmCacheEntry.update({ where: { key: 'k1' }, data: { leaseUntil: at(40) } });
    expect(await store.claim('k1', 'late', at(30), at(60), at(50))).toBe(false);
    expect(await store.claim('k1', 'late', at(40), at(70), at(60))).toBe(true);
    expect(await store.peek('k1')).toMatchObject({ key: 'k1', version: 0, nextFetchAt: at(70), leaseUntil: at(60), fetchedAt: null, error: null });
  });

  it('stores a value only for the lease owner, and bumps the version', async () => {
    const store = createAlarmCacheStore(db.prisma);
    await store.claim('k2', 'a', at(0), at(30), at(20));
    expect(await store.saveValue('k2', 'b', { n: 0 }, at(0))).toBeNull();
    expect(await store.saveValue('k2', 'a', { n: 1, list: ['x'] }, at(0))).toBe(1);
    expect(await store.read('k2')).toEqual({
      key: 'k2',
      version: 1,
      value: { n: 1, list: ['x'] },
      fetchedAt: at(0),
      nextFetchAt: at(30),
      leaseUntil: null,
      failures: 0,
      error: null,
      failingSince: null,
    });
    // The lease is released: a second save by the same owner without a new claim is refused.
    expect(await store.saveValue('k2', 'a', { n: 2 }, at(1))).toBeNull();
  });

  it('records failures keeping the value and the first failure time', async () => {
    const store = createAlarmCacheStore(db.prisma);
    await store.claim('k3', 'a', at(0), at(30), at(20));
    await store.saveValue('k3', 'a', 'good', at(0));
    await store.claim('k3', 'a', at(30), at(60), at(50));
    expect(await store.saveFailure('k3', 'a', { code: 'RATE_LIMITED', message: 'throttled' }, at(31), at(90))).toBe(2);
    await store.claim('k3', 'a', at(90), at(120), at(110));
    expect(await store.saveFailure('k3', 'a', { code: 'UNAVAILABLE', message: 'timeout' }, at(91), at(210))).toBe(3);
    expect(await store.read('k3')).toMatchObject({
      value: 'good',
      fetchedAt: at(0),
      failures: 2,
      error: { code: 'UNAVAILABLE', message: 'timeout' },
      failingSince: at(31),
      nextFetchAt: at(210),
    });
    expect(await store.saveFailure('k3', 'someone-else', { code: 'X', message: 'y' }, at(92), at(300))).toBeNull();
  });

  it('replaces a value only at the expected version', async () => {
    const store = createAlarmCacheStore(db.prisma);
    await store.claim('k4', 'a', at(0), at(30), at(20));
    await store.saveValue('k4', 'a', [1], at(0));
    expect(await store.replaceValue('k4', 0, [2])).toBeNull();
    expect(await store.replaceValue('k4', 1, [3])).toBe(2);
    expect((await store.read('k4'))?.value).toEqual([3]);
  });

  it('answers 50 concurrent overview requests on each of two replicas with exactly one DescribeAlarms', async () => {
    const store = createAlarmCacheStore(db.prisma);
    const clock = manualClock(T0, { realSleep: true });
    const describeAlarms = vi.fn(async (region: string) => {
      await new Promise((r) => setTimeout(r, 20));
      return Array.from({ length: 500 }, (_, i) => record(`serverless-prod-fn${i}-errors`, { region }));
    });
    const cloudwatch: CloudWatchPort = { describeAlarms, describeAlarmHistory: vi.fn(), getMetricData: vi.fn(), setAlarmState: vi.fn() };
    const replica = (owner: string): AlarmDeps => ({
      accounts: [{ key: HOME_ACCOUNT_KEY, account: { accountId: null, alias: null }, cloudwatch, sns: { listSubscriptions: vi.fn() }, regions: ['eu-west-1'] }],
      audit: { appendAudit: vi.fn() },
      cache: createSharedCache({ store, clock, owner }),
      clock,
    });
    const replicas = [replica('r1'), replica('r2')];
    const query = overviewQuerySchema.parse({});

    const results = await Promise.all(replicas.flatMap((deps) => Array.from({ length: 50 }, () => getOverview(deps, query))));

    expect(describeAlarms).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.total === 500 && r.sources[0]!.error === null)).toBe(true);
    clock.advance(29_000);
    await Promise.all(replicas.flatMap((deps) => Array.from({ length: 50 }, () => getOverview(deps, query))));
    expect(describeAlarms).toHaveBeenCalledTimes(1);
  });
});
