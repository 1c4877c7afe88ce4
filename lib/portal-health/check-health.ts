export interface CheckResult {
  status: 'ok' | 'fail';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'fail';
  checkedAt: string;
  checks: Record<string, CheckResult>;
}

/** Runs the probes in parallel, each bounded by timeoutMs; the report fails when any probe fails. */
export async function checkHealth(
  probes: Record<string, () => Promise<unknown>>,
  { timeoutMs = 3000, now = () => performance.now() }: { timeoutMs?: number; now?: () => number } = {},
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]): Promise<[string, CheckResult]> => {
      const started = now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          probe(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { status: 'ok', latencyMs: Math.round(now() - started) }];
      } catch (e) {
        return [name, { status: 'fail', latencyMs: Math.round(now() - started), error: e instanceof Error ? e.message : String(e) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  return {
    status: entries.every(([, r]) => r.status === 'ok') ? 'ok' : 'fail',
    checkedAt: new Date().toISOString(),
    checks,
  };
}
