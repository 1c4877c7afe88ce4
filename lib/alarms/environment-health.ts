import { healthBodySchema } from '@/lib/alarms/schemas';

/** ok: answered, DB reachable · degraded: answered, but the DB check fails or it is slow · down: no usable answer. */
export const HEALTH_STATUSES = ['ok', 'degraded', 'down'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** Health is checked once per environment per slot, across all replicas. */
export const HEALTH_SLOT_MS = 30_000;
/** Samples are kept this long. */
export const HEALTH_RETENTION_MS = 24 * 3_600_000;
/** Slower than this, an answer counts as degraded. */
export const HEALTH_SLOW_MS = 2_000;

/** One check of an environment's health endpoint. */
export interface HealthCheckResult {
  status: HealthStatus;
  httpStatus: number | null;
  latencyMs: number | null;
  dbOk: boolean | null;
  dbLatencyMs: number | null;
  version: string | null;
  error: string | null;
}

/** A stored check; `status` is null while the check of a claimed slot has not finished. */
export interface EnvironmentHealthSample extends Omit<HealthCheckResult, 'status'> {
  environment: string;
  slot: number;
  checkedAt: string;
  status: HealthStatus | null;
}

/** The slot a time falls in. */
export function healthSlot(at: Date): number {
  return Math.floor(at.getTime() / HEALTH_SLOT_MS);
}

function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Judges an HTTP answer of a health endpoint: its status code, body text and latency. The body
 * must be the stack's JSON (`healthBodySchema`); anything else (HTML from a gateway, garbage) is
 * "down" with what was wrong, never an exception.
 */
export function evaluateHealthAnswer(httpStatus: number, bodyText: string, latencyMs: number): HealthCheckResult {
  const base = { httpStatus, latencyMs: Math.round(latencyMs), dbOk: null, dbLatencyMs: null, version: null };
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    const sample = bodyText.trim() ? `: ${clip(bodyText, 80)}` : ' (empty)';
    return { ...base, status: 'down', error: `HTTP ${httpStatus} with a body that is not JSON${sample}` };
  }
  const parsed = healthBodySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ');
    return { ...base, status: 'down', error: clip(`HTTP ${httpStatus} with an unexpected body: ${issues}`) };
  }
  const body = parsed.data;
  const result = { ...base, dbOk: body.db.ok, dbLatencyMs: Math.round(body.db.latencyMs), version: body.version ?? null };
  if (!body.db.ok) return { ...result, status: 'degraded', error: clip(`database check failed${body.db.error ? `: ${body.db.error}` : ''}`) };
  if (body.status !== 'ok') return { ...result, status: 'degraded', error: `status "${body.status}" (HTTP ${httpStatus})` };
  if (httpStatus < 200 || httpStatus > 299) return { ...result, status: 'degraded', error: `HTTP ${httpStatus}` };
  if (latencyMs > HEALTH_SLOW_MS) return { ...result, status: 'degraded', error: `slow: ${Math.round(latencyMs)} ms` };
  return { ...result, status: 'ok', error: null };
}

/** A check that got no answer (timeout, refused connection, DNS). */
export function unreachable(error: string, latencyMs: number | null): HealthCheckResult {
  return {
    status: 'down',
    httpStatus: null,
    latencyMs: latencyMs === null ? null : Math.round(latencyMs),
    dbOk: null,
    dbLatencyMs: null,
    version: null,
    error: clip(error),
  };
}

const SEVERITY: Record<HealthStatus, number> = { ok: 0, degraded: 1, down: 2 };

export interface HealthStripCell {
  from: string;
  to: string;
  /** The worst status checked in the cell, null when there was no check. */
  status: HealthStatus | null;
  checks: number;
  failures: number;
}

/** The last `hours` as `cells` equal cells, each with its worst status (for the strip next to an environment). */
export function healthStrip(samples: readonly EnvironmentHealthSample[], now: Date, { hours = 24, cells = 96 } = {}): HealthStripCell[] {
  const end = now.getTime();
  const span = hours * 3_600_000;
  const size = span / cells;
  const start = end - span;
  const out: HealthStripCell[] = Array.from({ length: cells }, (_, i) => ({
    from: new Date(start + i * size).toISOString(),
    to: new Date(start + (i + 1) * size).toISOString(),
    status: null,
    checks: 0,
    failures: 0,
  }));
  for (const s of samples) {
    if (!s.status) continue;
    const at = Date.parse(s.checkedAt);
    if (at < start || at >= end) continue;
    const cell = out[Math.min(cells - 1, Math.floor((at - start) / size))]!;
    cell.checks++;
    if (s.status !== 'ok') cell.failures++;
    if (cell.status === null || SEVERITY[s.status] > SEVERITY[cell.status]) cell.status = s.status;
  }
  return out;
}

export interface EnvironmentHealth {
  environment: string;
  /** The newest finished check. */
  latest: EnvironmentHealthSample | null;
  /** When the current run of failed checks began (null when the latest check is ok). */
  failingSince: string | null;
  /** The newest finished check is older than three slots: the poller is not running. */
  stale: boolean;
  strip: HealthStripCell[];
}

/** One environment's health: latest check, since when it fails, and the 24 h strip. */
export function summarizeHealth(environment: string, samples: readonly EnvironmentHealthSample[], now: Date): EnvironmentHealth {
  const done = samples.filter((s) => s.environment === environment && s.status !== null).sort((a, b) => a.slot - b.slot);
  const latest = done.at(-1) ?? null;
  let failingSince: string | null = null;
  if (latest && latest.status !== 'ok') {
    failingSince = latest.checkedAt;
    for (let i = done.length - 1; i >= 0 && done[i]!.status !== 'ok'; i--) failingSince = done[i]!.checkedAt;
  }
  return {
    environment,
    latest,
    failingSince,
    stale: !latest || now.getTime() - Date.parse(latest.checkedAt) > 3 * HEALTH_SLOT_MS,
    strip: healthStrip(done, now),
  };
}
