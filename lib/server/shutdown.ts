import 'server-only';

export interface ShutdownDeps {
  /** Stops what starts new work: the background jobs, the memory log. */
  stop: () => void;
  /** Closes the database (PGlite flushes and writes its shutdown checkpoint). */
  closeDb: () => Promise<void>;
  /** The process's exit; replaced while the shutdown runs, so that every exit waits for the database. */
  process: { exit: (code?: number) => never };
  /** How long the database may take to close before the process exits anyway. */
  closeLimitMs?: number;
  /** How long to wait for Next.js's own handler to drain the requests and exit, before exiting ourselves. */
  drainLimitMs?: number;
  setTimer?: (fn: () => void, ms: number) => void;
  warn?: (message: string) => void;
}

const EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * A graceful stop that never leaves the embedded database half-closed (issue 20: a server stopped
 * under load left PGlite unopenable: "could not locate a valid checkpoint record"). Next.js's own
 * SIGTERM/SIGINT handler stops accepting connections, lets the requests in progress finish, then
 * calls process.exit, which used to cut the database's close short. Now: the jobs stop at once; the
 * database closes when the process is about to exit (after Next.js's drain, so requests in progress
 * still have it), and the exit waits for it, up to closeLimitMs. Without Next.js's handler the
 * same happens after drainLimitMs.
 */
export function onShutdownSignal(signal: NodeJS.Signals, deps: ShutdownDeps): void {
  const { closeLimitMs = 30_000, drainLimitMs = 15_000, setTimer = (fn, ms) => void setTimeout(fn, ms), warn = console.warn } = deps;
  deps.stop();
  const exit = deps.process.exit.bind(deps.process);
  let exiting = false;
  const closeThenExit = (code?: number) => {
    if (exiting) return;
    exiting = true;
    let timedOut = false;
    const limit = new Promise<void>((resolve) =>
      setTimer(() => {
        timedOut = true;
        resolve();
      }, closeLimitMs),
    );
    void Promise.race([
      deps.closeDb().catch((e: unknown) => warn(`[shutdown] closing the database failed: ${e instanceof Error ? e.message : String(e)}`)),
      limit,
    ]).then(() => {
      if (timedOut) warn(`[shutdown] the database did not close within ${closeLimitMs / 1000} s; exiting anyway`);
      exit(code);
    });
  };
  deps.process.exit = ((code?: number) => {
    closeThenExit(code);
    return undefined as never;
  }) as (code?: number) => never;
  setTimer(() => closeThenExit(EXIT_CODES[signal] ?? 128), drainLimitMs);
}
