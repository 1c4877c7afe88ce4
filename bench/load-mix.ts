/**
 * The traffic mix of bench/load.ts and bench/faults.ts: closed-loop clients (each sends its next
 * request when the previous one answered) over pages and JSON calls of every role, with a small
 * share of writes (create a request, approve it: the grant is then applied). Requests go to the
 * replicas round-robin, as a load balancer without stickiness would send them.
 */
import { randomUUID } from 'node:crypto';
import { api, pool, sessionCookie, USERS, type ApiResult } from './support';

export interface Sample {
  endpoint: string;
  status: number;
  ms: number;
  /** performance.now() when the request was sent. */
  at: number;
  ok: boolean;
  /** For writes: what the client believes it did (for the no-partial-writes check). */
  wrote?: { kind: 'created' | 'approved'; requestId: string };
  /** For a create: its unique justification (finds the row even when the client saw an error). */
  tag?: string;
}

interface Client {
  cookies: Record<string, string>;
  /** Requests this client created and has not approved yet. */
  pending: string[];
  ownRequestIds: Record<string, string[]>;
}

interface Endpoint {
  name: string;
  weight: number;
  run(base: string, c: Client): Promise<Omit<Sample, 'endpoint' | 'at'>>;
}

const ENGINEERS = [USERS.minji, USERS.jaewon, USERS.daniel];
const SECRET_OF: Record<string, string> = {
  [USERS.minji]: 'sec_dev_payments_stripe_api_key',
  [USERS.jaewon]: 'sec_dev_payments_stripe_api_key',
  [USERS.daniel]: 'sec_dev_data_warehouse_readonly',
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

async function page(base: string, cookie: string, path: string, timeoutMs: number): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(base + path, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

const ok200 = (r: { status: number; ms: number }) => ({ ...r, ok: r.status === 200 });

function endpoints(timeoutMs: number): Endpoint[] {
  const get = (cookie: string, base: string, p: string) => api(base, cookie, 'GET', p, undefined, timeoutMs).then(ok200);
  return [
    { name: 'page /', weight: 8, run: (b, c) => page(b, c.cookies[pick(ENGINEERS)]!, '/', timeoutMs).then(ok200) },
    { name: 'page /requests', weight: 10, run: (b, c) => page(b, c.cookies[pick(ENGINEERS)]!, '/requests', timeoutMs).then(ok200) },
    {
      name: 'page /requests/:id',
      weight: 8,
      run: (b, c) => {
        const u = pick(ENGINEERS);
        return page(b, c.cookies[u]!, `/requests/${pick(c.ownRequestIds[u]!)}`, timeoutMs).then(ok200);
      },
    },
    { name: 'page /approvals', weight: 6, run: (b, c) => page(b, c.cookies[USERS.seoyeon]!, '/approvals', timeoutMs).then(ok200) },
    { name: 'page /audit', weight: 5, run: (b, c) => page(b, c.cookies[USERS.lucas]!, '/audit', timeoutMs).then(ok200) },
    { name: 'page /catalog', weight: 5, run: (b, c) => page(b, c.cookies[pick(ENGINEERS)]!, '/catalog', timeoutMs).then(ok200) },
    { name: 'GET /api/v1/requests', weight: 12, run: (b, c) => get(c.cookies[pick(ENGINEERS)]!, b, '/api/v1/requests?limit=25') },
    { name: 'GET /api/v1/requests?scope=all', weight: 8, run: (b, c) => get(c.cookies[USERS.seoyeon]!, b, '/api/v1/requests?scope=all&limit=25') },
    {
      name: 'GET /api/v1/requests/:id',
      weight: 12,
      run: (b, c) => {
        const u = pick(ENGINEERS);
        return get(c.cookies[u]!, b, `/api/v1/requests/${pick(c.ownRequestIds[u]!)}`);
      },
    },
    { name: 'GET /api/v1/audit', weight: 6, run: (b, c) => get(c.cookies[USERS.lucas]!, b, '/api/v1/audit?limit=50') },
    { name: 'GET /api/v1/me', weight: 6, run: (b, c) => get(c.cookies[pick(ENGINEERS)]!, b, '/api/v1/me') },
    { name: 'GET /api/health', weight: 4, run: (b, c) => get(c.cookies[USERS.minji]!, b, '/api/health') },
    {
      name: 'POST /api/v1/requests',
      weight: 5,
      run: async (b, c) => {
        const u = pick(ENGINEERS);
        const tag = `Load test request ${randomUUID()}`;
        const r: ApiResult = await api(
          b,
          c.cookies[u]!,
          'POST',
          '/api/v1/requests',
          { type: 'SECRET_READ', secretId: SECRET_OF[u], justification: tag, durationMinutes: 30 },
          timeoutMs,
        );
        const id = r.status === 201 ? (r.body.request as { id: string }).id : undefined;
        if (id) {
          c.pending.push(id);
          c.ownRequestIds[u]!.push(id);
        }
        return { status: r.status, ms: r.ms, ok: r.status === 201, tag, ...(id ? { wrote: { kind: 'created' as const, requestId: id } } : {}) };
      },
    },
    {
      name: 'POST /api/v1/requests/:id/approve',
      weight: 5,
      run: async (b, c) => {
        const id = c.pending.shift();
        // Nothing of this client's to approve yet: read the approvals queue instead (still counted here).
        if (!id) return get(c.cookies[USERS.seoyeon]!, b, '/api/v1/approvals');
        const r = await api(b, c.cookies[pick([USERS.seoyeon, USERS.lucas])]!, 'POST', `/api/v1/requests/${id}/approve`, { comment: 'load' }, timeoutMs);
        // Not approved (an outage): it stays pending; the client tries again later.
        if (r.status !== 200) c.pending.push(id);
        return {
          status: r.status,
          ms: r.ms,
          ok: r.status === 200 && r.body.status === 'APPROVED',
          ...(r.status === 200 ? { wrote: { kind: 'approved' as const, requestId: id } } : {}),
        };
      },
    },
  ];
}

/** A few requests per engineer so that lists and detail pages have content; returns their ids. */
export async function seedTraffic(base: string, perUser = 10): Promise<Record<string, string[]>> {
  const ids: Record<string, string[]> = {};
  for (const u of ENGINEERS) {
    const cookie = await sessionCookie(u);
    ids[u] = await pool(
      Array.from({ length: perUser }, (_, i) => i),
      4,
      async (i) => {
        const r = await api(base, cookie, 'POST', '/api/v1/requests', {
          type: 'SECRET_READ',
          secretId: SECRET_OF[u],
          justification: `Load seed ${i}`,
          durationMinutes: 60,
        });
        if (r.status !== 201) throw new Error(`seeding a request: ${r.status} ${JSON.stringify(r.body)}`);
        return (r.body.request as { id: string }).id;
      },
    );
  }
  return ids;
}

export interface LoadOptions {
  bases: string[];
  seconds: number;
  connections: number;
  ownRequestIds: Record<string, string[]>;
  /** Per-request timeout (a timeout counts as an error). */
  timeoutMs?: number;
  onSample?: (s: Sample) => void;
}

/** Runs the mix; returns every sample. */
export async function runLoad(o: LoadOptions): Promise<Sample[]> {
  const list = endpoints(o.timeoutMs ?? 30_000);
  const total = list.reduce((a, e) => a + e.weight, 0);
  const choose = () => {
    let r = Math.random() * total;
    for (const e of list) if ((r -= e.weight) < 0) return e;
    return list[list.length - 1]!;
  };
  const cookies = Object.fromEntries(await Promise.all(Object.values(USERS).map(async (u) => [u, await sessionCookie(u)] as const)));
  const samples: Sample[] = [];
  const t0 = performance.now();
  const deadline = t0 + o.seconds * 1000;
  let turn = 0;
  await Promise.all(
    Array.from({ length: o.connections }, async () => {
      const client: Client = { cookies, pending: [], ownRequestIds: Object.fromEntries(Object.entries(o.ownRequestIds).map(([k, v]) => [k, [...v]])) };
      while (performance.now() < deadline) {
        const e = choose();
        const base = o.bases[turn++ % o.bases.length]!;
        const at = performance.now();
        let sample: Sample;
        try {
          sample = { endpoint: e.name, at, ...(await e.run(base, client)) };
        } catch {
          // No answer (connection refused or reset, or the client's timeout): status 0.
          sample = { endpoint: e.name, at, status: 0, ms: performance.now() - at, ok: false };
        }
        samples.push(sample);
        o.onSample?.(sample);
      }
    }),
  );
  return samples;
}

export interface EndpointFigures {
  endpoint: string;
  count: number;
  errors: number;
  p50: number;
  p95: number;
  max: number;
  statuses: Record<string, number>;
}

/** Per-endpoint figures of the samples, in the mix's order, plus a total row. */
export function summarize(samples: Sample[]): EndpointFigures[] {
  const by = new Map<string, Sample[]>();
  for (const s of samples) by.set(s.endpoint, [...(by.get(s.endpoint) ?? []), s]);
  const rows = [...by.entries()].map(([endpoint, xs]) => figures(endpoint, xs));
  rows.sort((a, b) => a.endpoint.localeCompare(b.endpoint));
  return [...rows, figures('all', samples)];
}

function figures(endpoint: string, xs: Sample[]): EndpointFigures {
  const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! : NaN);
  const statuses: Record<string, number> = {};
  for (const s of xs) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return { endpoint, count: xs.length, errors: xs.filter((s) => !s.ok).length, p50: at(0.5), p95: at(0.95), max: ms[ms.length - 1] ?? NaN, statuses };
}

/** Prints the figures as a table. */
export function printFigures(rows: EndpointFigures[], seconds: number) {
  console.log(
    `${'endpoint'.padEnd(36)} ${'requests'.padStart(8)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'errors'.padStart(7)}  statuses`,
  );
  for (const r of rows) {
    console.log(
      `${r.endpoint.padEnd(36)} ${String(r.count).padStart(8)} ${(r.count / seconds).toFixed(1).padStart(7)} ${r.p50.toFixed(0).padStart(8)} ${r.p95.toFixed(0).padStart(8)} ${r.max.toFixed(0).padStart(8)} ${String(r.errors).padStart(7)}  ${Object.entries(
        r.statuses,
      )
        .map(([k, v]) => `${k}:${v}`)
        .join(' ')}`,
    );
  }
}
