import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkHealth } from '@/lib/portal-health/check-health';

/** A clock that returns the given readings in order. */
function clock(...readings: number[]): () => number {
  return () => {
    const next = readings.shift();
    if (next === undefined) throw new Error('clock read more often than expected');
    return next;
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('checkHealth', () => {
  it('reports ok with each latency and the check time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-04T05:06:07.089Z'));
    // Both probes start before either finishes: starts 100 and 200, then db ends at 112.4 and aws at 237.6.
    const report = await checkHealth({ db: async () => 'pong', aws: () => Promise.resolve({ accountId: '123' }) }, { now: clock(100, 200, 112.4, 237.6) });
    expect(report).toEqual({
      status: 'ok',
      checkedAt: '2025-03-04T05:06:07.089Z',
      checks: { db: { status: 'ok', latencyMs: 12 }, aws: { status: 'ok', latencyMs: 38 } },
    });
  });

  it('is ok with no probes', async () => {
    const report = await checkHealth({});
    expect(report.status).toBe('ok');
    expect(report.checks).toEqual({});
  });

  it('fails overall when one probe fails and keeps its message', async () => {
    const report = await checkHealth(
      { db: async () => undefined, aws: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:4566')) },
      { now: clock(0, 0, 5, 9) },
    );
    expect(report.status).toBe('fail');
    expect(report.checks).toEqual({
      db: { status: 'ok', latencyMs: 5 },
      aws: { status: 'fail', latencyMs: 9, error: 'connect ECONNREFUSED 127.0.0.1:4566' },
    });
  });

  it('fails a probe that throws synchronously', async () => {
    const report = await checkHealth(
      {
        sync: () => {
          throw new Error('not configured');
        },
      },
      { now: clock(10, 13) },
    );
    expect(report.status).toBe('fail');
    expect(report.checks).toEqual({ sync: { status: 'fail', latencyMs: 3, error: 'not configured' } });
  });

  it('fails a probe that rejects with a non-Error and keeps its text', async () => {
    const report = await checkHealth({ text: () => Promise.reject('plain text') }, { now: clock(0, 2) });
    expect(report.status).toBe('fail');
    expect(report.checks).toEqual({ text: { status: 'fail', latencyMs: 2, error: 'plain text' } });
  });

  it('times out a probe that never settles', async () => {
    const started = performance.now();
    const report = await checkHealth({ hang: () => new Promise(() => {}), db: async () => 1 }, { timeoutMs: 50 });
    const elapsed = performance.now() - started;
    expect(report.status).toBe('fail');
    expect(report.checks.db?.status).toBe('ok');
    expect(report.checks.hang?.status).toBe('fail');
    expect(report.checks.hang?.error).toBe('timed out after 50 ms');
    expect(report.checks.hang?.latencyMs).toBeGreaterThanOrEqual(45);
    // The probe never settles: only the timeout can end the check (bound loose for a loaded CI machine).
    expect(elapsed).toBeLessThan(5_000);
  });

  it('fires the timeout exactly at timeoutMs', async () => {
    vi.useFakeTimers();
    let settled = false;
    const pending = checkHealth({ slow: () => new Promise((resolve) => setTimeout(resolve, 1_000)), fast: async () => 1 }, { timeoutMs: 50 }).then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const report = await pending;
    expect(report.checks.slow).toMatchObject({ status: 'fail', error: 'timed out after 50 ms' });
    expect(report.checks.fast?.status).toBe('ok');
  });

  it('clears the timeout timer when a probe finishes first', async () => {
    vi.useFakeTimers();
    const report = await checkHealth({ fast: async () => 1 }, { timeoutMs: 50 });
    expect(report.checks.fast?.status).toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });
});
