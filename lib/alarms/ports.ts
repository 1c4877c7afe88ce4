import type { AlarmHistoryRecord, AlarmRecord, AlarmState, MetricQuery, MetricSeries, Subscription } from '@/lib/alarms/model';
import type { EnvironmentHealthSample, HealthCheckResult } from '@/lib/alarms/environment-health';

/** What the alarm dashboard needs from CloudWatch, per region. */
export interface CloudWatchPort {
  /** Every metric and composite alarm of the region (all pages). */
  describeAlarms(region: string): Promise<AlarmRecord[]>;
  /** The alarm's history between two times, newest first, at most `limit` items. */
  describeAlarmHistory(region: string, name: string, from: Date, to: Date, limit: number): Promise<AlarmHistoryRecord[]>;
  /** The series of the queries that return data, between two times. */
  getMetricData(region: string, queries: MetricQuery[], from: Date, to: Date): Promise<MetricSeries[]>;
  /** Sets the alarm's state until its next evaluation (CloudWatch SetAlarmState): tests the alert path. */
  setAlarmState(region: string, name: string, state: AlarmState, reason: string): Promise<void>;
}

/** What the dashboard needs from SNS: where a topic delivers. */
export interface SnsPort {
  listSubscriptions(region: string, topicArn: string): Promise<Subscription[]>;
}

/** Checks one environment's health endpoint (or simulates it). */
export interface HealthSource {
  /** The environments it can check. */
  environments(): string[];
  check(environment: string, now: Date): Promise<HealthCheckResult>;
}

/** Where health checks are kept: one row per environment and 30 s slot, last 24 h. */
export interface HealthStore {
  /** Claims the slot for this environment; false when another replica (or an earlier run) already did. */
  claimSlot(environment: string, slot: number, at: Date): Promise<boolean>;
  record(environment: string, slot: number, result: HealthCheckResult, completedAt: Date): Promise<void>;
  /** Samples since a time, oldest first (a claimed slot without a result yet has status null). */
  listSince(since: Date): Promise<EnvironmentHealthSample[]>;
  /** Deletes samples older than `before`; returns how many. */
  pruneBefore(before: Date): Promise<number>;
}

/** The shared state of one cache key (every replica sees the same row). */
export interface CacheMeta {
  key: string;
  /** Bumped whenever the value or the error changes. */
  version: number;
  /** When the value was fetched (the start of the call that produced it). */
  fetchedAt: Date | null;
  /** No replica may call the source for this key before this time (the rate limit and the backoff). */
  nextFetchAt: Date;
  leaseUntil: Date | null;
  failures: number;
  error: { code: string; message: string } | null;
  failingSince: Date | null;
}

export interface CacheRow<T> extends CacheMeta {
  value: T | null;
}

/**
 * Storage of the shared cache (docs/decisions/012-alarm-cache.md). `claim` is the one atomic step:
 * it creates the row or takes a row that is due and not leased, and moves `nextFetchAt` forward in
 * the same statement, so at most one caller across all replicas fetches a key per interval.
 */
export interface CacheStore {
  peek(key: string): Promise<CacheMeta | null>;
  read<T>(key: string): Promise<CacheRow<T> | null>;
  claim(key: string, owner: string, now: Date, nextFetchAt: Date, leaseUntil: Date): Promise<boolean>;
  /** Stores a fetched value, clears the error and the lease; the new version, or null when the lease was lost meanwhile. */
  saveValue<T>(key: string, owner: string, value: T, fetchedAt: Date): Promise<number | null>;
  /** Records a failed fetch (the last good value stays) and when the next attempt may start; the new version, or null (lease lost). */
  saveFailure(key: string, owner: string, error: { code: string; message: string }, at: Date, nextFetchAt: Date): Promise<number | null>;
  /** Replaces the value if the version is still `expectedVersion` (an optimistic edit, e.g. after SetAlarmState); the new version or null. */
  replaceValue<T>(key: string, expectedVersion: number, value: T): Promise<number | null>;
}
