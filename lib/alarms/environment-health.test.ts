import { describe, expect, it } from 'vitest';
import { environmentVerdict } from '@/lib/alarms/environment-verdict';
import {
  evaluateHealthAnswer,
  healthSlot,
  healthStrip,
  summarizeHealth,
  unreachable,
  type EnvironmentHealthSample,
  type HealthStatus,
} from '@/lib/alarms/environment-health';

const ok = JSON.stringify({ status: 'ok', db: { ok: true, latencyMs: 4.2 }, version: '2026.11.30-1' });

describe('evaluateHealthAnswer', () => {
  it('is ok for the stack JSON with a reachable database', () => {
    expect(evaluateHealthAnswer(200, ok, 87.4)).toEqual({
      status: 'ok',
      httpStatus: 200,
      latencyMs: 87,
      dbOk: true,
      dbLatencyMs: 4,
      version: '2026.11.30-1',
      error: null,
    });
  });

  it('is degraded when the database check fails, the status is not ok, or the answer is slow', () => {
    const dbDown = JSON.stringify({ status: 'error', db: { ok: false, latencyMs: 5000, error: 'timeout acquiring a connection through RDS Proxy' } });
    expect(evaluateHealthAnswer(503, dbDown, 5012)).toMatchObject({
      status: 'degraded',
      dbOk: false,
      error: 'database check failed: timeout acquiring a connection through RDS Proxy',
    });
    expect(evaluateHealthAnswer(200, JSON.stringify({ status: 'degraded', db: { ok: true, latencyMs: 3 } }), 50)).toMatchObject({
      status: 'degraded',
      error: 'status "degraded" (HTTP 200)',
    });
    expect(evaluateHealthAnswer(500, ok, 50)).toMatchObject({ status: 'degraded', error: 'HTTP 500' });
    expect(evaluateHealthAnswer(200, ok, 2500)).toMatchObject({ status: 'degraded', error: 'slow: 2500 ms' });
  });

  it('is down, saying what was wrong, for garbage, HTML and bodies of another shape', () => {
    expect(evaluateHealthAnswer(502, '<html><body>Bad   Gateway</body></html>', 30)).toMatchObject({
      status: 'down',
      httpStatus: 502,
      error: 'HTTP 502 with a body that is not JSON: <html><body>Bad Gateway</body></html>',
    });
    expect(evaluateHealthAnswer(200, '', 30)).toMatchObject({ status: 'down', error: 'HTTP 200 with a body that is not JSON (empty)' });
    expect(evaluateHealthAnswer(200, '{"message":"Internal server error"}', 30)).toMatchObject({
      status: 'down',
      error:
        'HTTP 200 with an unexpected body: status Invalid option: expected one of "ok"|"degraded"|"error"; db Invalid input: expected object, received undefined',
    });
    expect(evaluateHealthAnswer(200, '"ok"', 30).status).toBe('down');
  });

  it('describes an unreachable endpoint', () => {
    expect(unreachable('The operation was aborted due to timeout', 5000.4)).toEqual({
      status: 'down',
      httpStatus: null,
      latencyMs: 5000,
      dbOk: null,
      dbLatencyMs: null,
      version: null,
      error: 'The operation was aborted due to timeout',
    });
  });
});

const NOW = new Date('2026-11-30T12:00:00.000Z');

function sample(minutesAgo: number, status: HealthStatus | null, environment = 'prod'): EnvironmentHealthSample {
  const at = new Date(NOW.getTime() - minutesAgo * 60_000);
  return {
    environment,
    slot: healthSlot(at),
    checkedAt: at.toISOString(),
    status,
    httpStatus: 200,
    latencyMs: 50,
    dbOk: true,
    dbLatencyMs: 3,
    version: null,
    error: status === 'ok' ? null : 'x',
  };
}

describe('healthStrip', () => {
  it('puts each check in its cell and keeps the worst status', () => {
    const strip = healthStrip(
      [sample(1, 'ok'), sample(2, 'degraded'), sample(3, 'ok'), sample(20, 'down'), sample(16, 'ok'), sample(60 * 25, 'down'), sample(4, null)],
      NOW,
    );
    expect(strip).toHaveLength(96);
    expect(strip[95]).toMatchObject({ status: 'degraded', checks: 3, failures: 1, to: NOW.toISOString() });
    expect(strip[94]).toMatchObject({ status: 'down', checks: 2, failures: 1 });
    expect(strip[0]).toMatchObject({ status: null, checks: 0, from: '2026-11-29T12:00:00.000Z' });
  });
});

describe('summarizeHealth', () => {
  it('reports the latest check and since when the current failures run', () => {
    const samples = [sample(5, 'ok'), sample(4, 'degraded'), sample(3, 'down'), sample(2, 'degraded'), sample(1, null), sample(2, 'ok', 'dev')];
    const prod = summarizeHealth('prod', samples, NOW);
    expect(prod.latest?.status).toBe('degraded');
    expect(prod.failingSince).toBe(new Date(NOW.getTime() - 4 * 60_000).toISOString());
    expect(prod.stale).toBe(true);
    const dev = summarizeHealth('dev', samples, NOW);
    expect(dev).toMatchObject({ failingSince: null, stale: true });
    expect(summarizeHealth('dev', [sample(1, 'ok', 'dev')], NOW)).toMatchObject({ failingSince: null, stale: false });
    expect(summarizeHealth('staging', samples, NOW)).toMatchObject({ latest: null, failingSince: null, stale: true });
  });
});

describe('environmentVerdict', () => {
  it.each([
    ['ok', 0, 'ok'],
    ['ok', 1, 'degraded'],
    [null, 2, 'degraded'],
    [null, 0, null],
    ['degraded', 3, 'degraded'],
    ['down', 1, 'down'],
  ] as const)('an endpoint %s with %i alarm(s) in ALARM is %s', (endpoint, inAlarm, verdict) => {
    expect(environmentVerdict(endpoint, inAlarm)).toBe(verdict);
  });
});
