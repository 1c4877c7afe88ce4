import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryLine, startMemoryLog } from '@/lib/server/memory-log';

describe('memory log', () => {
  afterEach(() => vi.useRealTimers());

  it('writes one JSON line in MB with the uptime', () => {
    const line = memoryLine(
      { rss: 200 * 1024 * 1024, heapUsed: 50.25 * 1024 * 1024, heapTotal: 80 * 1024 * 1024, external: 3 * 1024 * 1024, arrayBuffers: 1024 * 1024 },
      61.4,
      new Date('2026-12-07T10:00:00Z'),
    );
    expect(line.startsWith('[memory] ')).toBe(true);
    expect(JSON.parse(line.slice('[memory] '.length))).toEqual({
      at: '2026-12-07T10:00:00.000Z',
      t: 61,
      rssMb: 200,
      heapUsedMb: 50.3,
      heapTotalMb: 80,
      externalMb: 3,
      arrayBuffersMb: 1,
    });
  });

  it('logs every N seconds until stopped, and never with 0', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    const stop = startMemoryLog(5, (l) => lines.push(l));
    vi.advanceTimersByTime(15_000);
    expect(lines).toHaveLength(3);
    const first = JSON.parse(lines[0]!.slice('[memory] '.length));
    expect(first.rssMb).toBeGreaterThan(0);
    expect(first.at).toBe('2026-12-07T10:00:05.000Z');
    stop();
    vi.advanceTimersByTime(15_000);
    expect(lines).toHaveLength(3);
    // With a collector to call (node --expose-gc), each sample follows a full collection.
    const order: string[] = [];
    const stopGc = startMemoryLog(
      5,
      () => order.push('sample'),
      () => order.push('gc'),
    );
    vi.advanceTimersByTime(10_000);
    stopGc();
    expect(order).toEqual(['gc', 'sample', 'gc', 'sample']);
    const off: string[] = [];
    startMemoryLog(0, (l) => off.push(l))();
    vi.advanceTimersByTime(60_000);
    expect(off).toEqual([]);
  });
});
