/**
 * The probe of bench/http-load.ts's measureMixed, a process of its own:
 *   tsx bench/probe.ts <url> <cookie> <seconds>
 */
import { PROBE_EVERY_MS } from './http-load';

/**
 * The probe: a process of its own (the load generator's event loop would add its own delays) that
 * sends /api/ping every PROBE_EVERY_MS for `seconds`, on schedule whether or not the previous one
 * has answered (open loop: a server that stalls for a second delays every request sent meanwhile,
 * as it would a person's, instead of the one request a closed loop happened to have in flight).
 * Prints its latencies (ms) and failures as JSON.
 */
async function probe(url: string, cookie: string, seconds: number) {
  const times: number[] = [];
  let failures = 0;
  const one = async () => {
    const t0 = performance.now();
    try {
      const res = await fetch(url, { headers: { cookie }, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status !== 200) failures++;
    } catch {
      failures++;
    }
    times.push(performance.now() - t0);
  };
  // Warm first, unmeasured: the process's own start (fetch's first call loads and compiles undici)
  // is not the server's latency. Then the parent starts the load.
  for (let i = 0; i < 20; i++) {
    // A failed warm-up request is not a measurement: the measured ones count failures.
    await fetch(url, { headers: { cookie }, signal: AbortSignal.timeout(10_000) })
      .then((r) => r.arrayBuffer())
      .catch(() => {});
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  process.send?.('ready');
  const sent: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; performance.now() - start < seconds * 1000; i++) {
    sent.push(one());
    const next = start + (i + 1) * PROBE_EVERY_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await Promise.all(sent);
  process.stdout.write(JSON.stringify({ times, failures }));
}

const [url, cookie, seconds] = process.argv.slice(2);
probe(url!, cookie!, Number(seconds)).catch((e) => {
  console.error(e);
  process.exit(1);
});
