import 'server-only';

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** One `[memory]` line: the time, seconds since the process started and its memory in MB (one decimal). */
export function memoryLine(usage: NodeJS.MemoryUsage = process.memoryUsage(), uptimeSeconds = process.uptime(), now = new Date()): string {
  return `[memory] ${JSON.stringify({
    at: now.toISOString(),
    t: Math.round(uptimeSeconds),
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
  })}`;
}

/**
 * Logs the process's memory every `everySeconds` (GATEHOUSE_MEMORY_LOG_SECONDS; 0 = never), so a
 * replica's footprint can be followed in its logs; returns a stop function.
 */
export function startMemoryLog(
  everySeconds: number,
  write: (line: string) => void = console.info,
  gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
): () => void {
  if (everySeconds <= 0) return () => {};
  // With node --expose-gc (the load bench's servers), each sample follows a full collection, so
  // heapUsed is what is alive, not what the collector has not reached yet: a leak check can trust it.
  const timer = setInterval(() => {
    gc?.();
    write(memoryLine());
  }, everySeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
