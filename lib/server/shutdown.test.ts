import { describe, expect, it } from 'vitest';
import { onShutdownSignal } from '@/lib/server/shutdown';

/** A fake process and clock: timers fire only when the test says so. */
function harness(closeDb: () => Promise<void>) {
  const events: string[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const proc = {
    exit: ((code?: number) => {
      events.push(`exit ${code}`);
      return undefined as never;
    }) as (code?: number) => never,
  };
  const warnings: string[] = [];
  const deps = {
    stop: () => events.push('stop'),
    closeDb: async () => {
      events.push('close started');
      await closeDb();
      events.push('closed');
    },
    process: proc,
    setTimer: (fn: () => void, ms: number) => void timers.push({ fn, ms }),
    warn: (m: string) => warnings.push(m),
  };
  const fire = (ms: number) => timers.filter((t) => t.ms === ms).forEach((t) => t.fn());
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { events, proc, deps, fire, settle, warnings };
}

describe('shutdown on SIGTERM / SIGINT', () => {
  it('the database closes after Next.js has drained the requests, and the process exits only once it is closed', async () => {
    let finishClose!: () => void;
    const h = harness(() => new Promise<void>((r) => (finishClose = r)));
    onShutdownSignal('SIGTERM', h.deps);
    // The jobs stop at once; the requests still in progress keep their database.
    expect(h.events).toEqual(['stop']);
    // Next.js's handler, after its drain: process.exit(143). It waits for the database now.
    h.proc.exit(143);
    await h.settle();
    expect(h.events).toEqual(['stop', 'close started']);
    finishClose();
    await h.settle();
    await h.settle();
    expect(h.events).toEqual(['stop', 'close started', 'closed', 'exit 143']);
    // A second exit (a repeated signal) does not close twice.
    h.proc.exit(143);
    await h.settle();
    expect(h.events.filter((e) => e === 'close started')).toHaveLength(1);
  });

  it('a database that does not close in time: the process exits anyway, and says so', async () => {
    const h = harness(() => new Promise<void>(() => {}));
    onShutdownSignal('SIGTERM', h.deps);
    h.proc.exit(143);
    await h.settle();
    expect(h.events).toEqual(['stop', 'close started']);
    h.fire(30_000);
    await h.settle();
    expect(h.events.at(-1)).toBe('exit 143');
    expect(h.warnings).toEqual(['[shutdown] the database did not close within 30 s; exiting anyway']);
  });

  it("without Next.js's handler, the database is closed and the process exits after the drain limit, with the signal's code", async () => {
    const h = harness(async () => {});
    onShutdownSignal('SIGINT', h.deps);
    await h.settle();
    expect(h.events).toEqual(['stop']);
    h.fire(15_000);
    await h.settle();
    await h.settle();
    expect(h.events).toEqual(['stop', 'close started', 'closed', 'exit 130']);
  });

  it('a failing close is reported and the process still exits', async () => {
    const h = harness(async () => {
      throw new Error('disk full');
    });
    onShutdownSignal('SIGTERM', h.deps);
    h.proc.exit(143);
    await h.settle();
    await h.settle();
    expect(h.events).toEqual(['stop', 'close started', 'exit 143']);
    expect(h.warnings).toEqual(['[shutdown] closing the database failed: disk full']);
  });
});
