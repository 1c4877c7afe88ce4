/**
 * An HTTP proxy in front of an AWS-compatible endpoint (moto) that misbehaves like AWS under
 * pressure, for IAM calls only (STS and the rest pass through): it answers `400 Throttling`, or
 * lets the call happen and then withholds the answer past the client's timeout (the side effect
 * is real, the response is lost: the hardest case for idempotency), or delays calls. Decisions
 * come from a seeded generator, so a run can be repeated. It counts what it did per IAM action,
 * and every call of any service by its action (the aws-mode e2e suite counts DescribeAlarms), and
 * can answer an action itself (`answer`: canned Cost Explorer data the emulator does not have).
 * Used by bench/faults.ts and e2e/serve-aws.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST, onCleanup } from './support';

export interface FaultMode {
  /** Share of IAM calls answered with 400 Throttling (not forwarded). */
  throttle: number;
  /** Share of IAM calls forwarded, then left unanswered for `holdMs` and cut. */
  timeout: number;
  holdMs: number;
  /** Added before forwarding every IAM call. */
  delayMs: number;
}

export const NO_FAULTS: FaultMode = { throttle: 0, timeout: 0, holdMs: 0, delayMs: 0 };

/** An answer the proxy gives itself instead of forwarding the call. */
export interface CannedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The operation a request calls, whatever the protocol: the query protocol's `Action` (IAM, STS,
 * SNS) or the JSON protocols' `X-Amz-Target` ("GraniteServiceVersion20100801.DescribeAlarms").
 * Null for REST calls (S3).
 */
export function awsActionOf(req: http.IncomingMessage, body: Buffer): string | null {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1) || null;
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return null;
  return new URLSearchParams(body.toString('utf8')).get('Action');
}

/** mulberry32: a small seeded generator. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THROTTLING_BODY = (id: string) =>
  `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;

export class AwsFaultProxy {
  mode: FaultMode = { ...NO_FAULTS };
  /** Per IAM action: forwarded (the call reached moto), throttled, timedOut (forwarded, answer withheld). */
  readonly stats = new Map<string, { forwarded: number; throttled: number; timedOut: number }>();
  /** Every call that arrived, of any service, by its action (awsActionOf), answered or not. */
  readonly calls = new Map<string, number>();
  /** Called when an IAM call arrives, before anything else (a test hook: kill a server mid-grant). */
  onIamCall: ((action: string) => void) | null = null;
  /** Answers a call without forwarding it when it returns an answer (the body is the call's). */
  answer: ((action: string, body: Buffer) => CannedAnswer | null) | null = null;
  private server: http.Server | null = null;
  private random: () => number;
  private seq = 0;

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
    seed = 20261129,
  ) {
    this.random = seeded(seed);
    onCleanup(() => this.close());
  }

  private count(action: string, key: 'forwarded' | 'throttled' | 'timedOut') {
    const s = this.stats.get(action) ?? { forwarded: 0, throttled: 0, timedOut: 0 };
    s[key]++;
    this.stats.set(action, s);
  }

  /** Totals over every action. */
  totals() {
    let forwarded = 0,
      throttled = 0,
      timedOut = 0;
    for (const s of this.stats.values()) {
      forwarded += s.forwarded;
      throttled += s.throttled;
      timedOut += s.timedOut;
    }
    return { forwarded, throttled, timedOut };
  }

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks)));
    });
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, HOST, () => resolve());
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
  }

  /** The port it listens on (the one asked for, or the one the system gave for port 0). */
  boundPort = 0;

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) {
    const anyAction = awsActionOf(req, body);
    if (anyAction) this.calls.set(anyAction, (this.calls.get(anyAction) ?? 0) + 1);
    const canned = anyAction ? this.answer?.(anyAction, body) : null;
    if (canned) {
      res.writeHead(canned.status, canned.headers);
      res.end(canned.body);
      return;
    }
    const form = new URLSearchParams(body.toString('utf8'));
    // IAM speaks the query protocol with API version 2010-05-08.
    const action = form.get('Version') === '2010-05-08' ? form.get('Action') : null;
    if (action) {
      this.onIamCall?.(action);
      const m = this.mode;
      if (m.delayMs) await new Promise((r) => setTimeout(r, m.delayMs));
      const roll = this.random();
      if (roll < m.throttle) {
        this.count(action, 'throttled');
        res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': `fault-${++this.seq}` });
        res.end(THROTTLING_BODY(`fault-${this.seq}`));
        return;
      }
      if (roll < m.throttle + m.timeout) {
        this.count(action, 'timedOut');
        this.count(action, 'forwarded');
        // The call happens; its answer never arrives in time.
        await this.forward(req, body).catch(() => null);
        setTimeout(() => req.socket.destroy(), m.holdMs);
        return;
      }
      this.count(action, 'forwarded');
    }
    try {
      const upstream = await this.forward(req, body);
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
    } catch {
      req.socket.destroy();
    }
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const up = http.request({ host: this.target.host, port: this.target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
        r.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}
