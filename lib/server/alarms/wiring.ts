import 'server-only';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { createSharedCache, systemClock } from '@/lib/alarms/cache';
import type { EnvironmentHealth } from '@/lib/alarms/environment-health';
import type { SetAlarmStateInput } from '@/lib/alarms/schemas';
import { getEnvironmentHealth, pollEnvironmentHealth, setAlarmState, type AlarmDeps, type HealthDeps } from '@/lib/alarms/service';
import type { RequestOrigin } from '@/lib/audit/model';
import type { Actor } from '@/lib/identity/actor';
import { createHttpHealthSource } from '@/lib/server/alarms/http-environment-health';
import { cloud, cloudAccounts } from '@/lib/server/cloud/adapters';
import { createAlarmCacheStore } from '@/lib/server/db/repositories/alarm-cache';
import { createAuditLog } from '@/lib/server/db/repositories/audit-log';
import { createHealthStore } from '@/lib/server/db/repositories/env-health';
import { env } from '@/lib/server/env';
import { singleton } from '@/lib/server/singleton';

// One set of adapters per process: the shared cache's single-flight and memory live in it
// (docs/decisions/012-alarm-cache.md), so it must not be rebuilt per request.
const holder = singleton('alarms.adapters', (): { __gatehouseAlarms?: { alarms: AlarmDeps; health: HealthDeps } } => ({}));

function build(): { alarms: AlarmDeps; health: HealthDeps } {
  const e = env();
  const adapters = cloud();
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const urls = e.GATEHOUSE_HEALTH_URLS;
  // Configured URLs win; the sandbox simulates its environments' endpoints when none are set.
  const source =
    Object.keys(urls).length || !adapters.sandbox
      ? createHttpHealthSource(urls, { timeoutMs: e.GATEHOUSE_HEALTH_TIMEOUT_MS })
      : adapters.sandbox.healthSource();
  return {
    alarms: {
      // Each account's CloudWatch in its regions (docs/decisions/039); unconfigured, the one `home`
      // account in GATEHOUSE_ALARM_REGIONS, as before.
      accounts: cloudAccounts().map((a) => ({
        key: a.route.key,
        account: { accountId: a.route.accountId, alias: a.route.alias },
        cloudwatch: a.cloudWatch(),
        sns: a.sns(),
        regions: a.route.regions,
      })),
      audit: createAuditLog(),
      cache: createSharedCache({ store: createAlarmCacheStore(), clock: systemClock, owner }),
      clock: systemClock,
    },
    health: { source, store: createHealthStore(), clock: systemClock },
  };
}

/** The alarm dashboard's ports for the configured cloud mode, built once per process. */
export function alarmDeps(): AlarmDeps {
  holder.__gatehouseAlarms ??= build();
  return holder.__gatehouseAlarms.alarms;
}

/** The environment health poller's ports. */
export function healthDeps(): HealthDeps {
  holder.__gatehouseAlarms ??= build();
  return holder.__gatehouseAlarms.health;
}

/** One poll (the scheduler's job): each environment once per 30 s slot across replicas. */
export function pollHealth() {
  return pollEnvironmentHealth(healthDeps());
}

const HEALTH_MEMO_MS = 5_000;
let healthMemo: { at: number; value: Promise<EnvironmentHealth[]> } | null = null;

/**
 * Every environment's health; read from the database at most every 5 s per process (checks land
 * every 30 s), however many browsers poll. A failed read is not kept.
 */
export function environmentHealth(): Promise<EnvironmentHealth[]> {
  const now = Date.now();
  if (healthMemo && now - healthMemo.at < HEALTH_MEMO_MS) return healthMemo.value;
  const memo = { at: now, value: getEnvironmentHealth(healthDeps()) };
  healthMemo = memo;
  memo.value.catch(() => {
    if (healthMemo === memo) healthMemo = null;
  });
  return memo.value;
}

/** Sets an alarm's state as the actor; the use case records it in the audit history. */
export async function setAlarmStateAs(actor: Actor, input: SetAlarmStateInput, origin: RequestOrigin | null) {
  return setAlarmState(alarmDeps(), input, actor, origin);
}
