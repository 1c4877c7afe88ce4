import { NextResponse, type NextRequest } from 'next/server';
import { clientAddress } from '@/lib/security/client-address';
import { createRateLimiter, type RateLimiter } from '@/lib/security/rate-limit';
import { databaseOutageSince } from '@/lib/server/db/outage';
import { refuseMalformedAction } from '@/lib/server/http/action-body';
import { env } from '@/lib/server/env';
import { DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS } from '@/lib/server/http/errors';

// Runs before every request (Next.js 16 Proxy): the nonce-based Content-Security-Policy, HSTS behind
// HTTPS, the Origin check of state-changing API calls and the rate limits (docs/decisions/021). It
// never authorizes: pages, actions and route handlers do that themselves.

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let limiters: { api: RateLimiter; signin: RateLimiter } | undefined;
function rateLimiters() {
  const e = env();
  limiters ??= {
    api: createRateLimiter({ perMinute: e.GATEHOUSE_API_RATE_PER_MINUTE }),
    signin: createRateLimiter({ perMinute: e.GATEHOUSE_SIGNIN_RATE_PER_MINUTE }),
  };
  return limiters;
}

/**
 * Per caller: an API token (its random tail), else the session cookie (it names the session without
 * decrypting it here), else the client address. A Bearer header counts alone, as in the route
 * wrapper (docs/decisions/045-api-tokens.md): CLI users behind one NAT do not share a budget.
 */
function callerKey(request: NextRequest): string {
  const bearer = /^Bearer\s+(\S{20,})\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (bearer) return `token:${bearer.slice(-32)}`;
  const session = request.cookies.get('__Secure-next-auth.session-token')?.value ?? request.cookies.get('next-auth.session-token')?.value;
  return session ? `session:${session.slice(-32)}` : `ip:${clientAddress(request.headers, env().GATEHOUSE_TRUSTED_PROXIES) ?? 'unknown'}`;
}

function jsonError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return NextResponse.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** The policy of one response: scripts only with this nonce (and what they load), no inline script. */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Charts and Radix position elements with inline style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Answer while the database is down, even then: liveness (the process is fine), readiness (it says
 * why), and the message catalog (no database; an open page needs it to hydrate).
 */
const OUTAGE_EXEMPT = new Set(['/api/ping', '/api/health']);
const isOutageExempt = (pathname: string) => OUTAGE_EXEMPT.has(pathname) || pathname.startsWith('/api/i18n/');

/** A page for people while the database is down: no script, reloads itself. */
function outagePage(): NextResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}"><title>Gatehouse is unavailable</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem"><h1>Gatehouse is briefly unavailable</h1><p>Its database is not answering. Nothing you did was lost: decisions are saved only when the database confirms them.</p><p>This page tries again every ${RETRY_AFTER_SECONDS} seconds.</p></body></html>`;
  return new NextResponse(html, {
    status: 503,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(RETRY_AFTER_SECONDS),
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    },
  });
}

/** A server-action call whose body Next.js could not decode: a 4xx here instead of its 500 (docs/decisions/031). */
async function guardServerAction(request: NextRequest, pass: () => NextResponse): Promise<NextResponse> {
  const refusal = await refuseMalformedAction(request);
  if (refusal) return jsonError(refusal.status, refusal.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', refusal.message);
  return pass();
}

export function proxy(request: NextRequest): NextResponse | Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  const e = env();
  const now = Date.now();

  // The database is confirmed down (lib/server/db/outage.ts): a clear 503 now, not a half-done request.
  if (databaseOutageSince() && !isOutageExempt(pathname)) {
    if (pathname.startsWith('/api/')) return jsonError(503, 'UNAVAILABLE', DATABASE_UNAVAILABLE, { 'retry-after': String(RETRY_AFTER_SECONDS) });
    return outagePage();
  }

  if (pathname.startsWith('/api/')) {
    // A browser always sends Origin on cross-site POSTs: refuse one from another site (CSRF).
    // next-auth's endpoints carry their own CSRF token; scripts without Origin are authorized normally.
    const origin = request.headers.get('origin');
    if (STATE_CHANGING.has(request.method) && origin && !pathname.startsWith('/api/auth/')) {
      const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
      let sameSite = false;
      try {
        sameSite = new URL(origin).host === host;
      } catch {
        sameSite = false;
      }
      if (!sameSite) return jsonError(403, 'FORBIDDEN', 'Cross-site requests are refused: call the API from this site or without an Origin header.');
    }
    const signingIn = pathname.startsWith('/api/auth/callback') || pathname.startsWith('/api/auth/signin');
    if (signingIn && request.method === 'POST') {
      const r = rateLimiters().signin.take(`ip:${clientAddress(request.headers, e.GATEHOUSE_TRUSTED_PROXIES) ?? 'unknown'}`, now);
      if (!r.allowed)
        return jsonError(429, 'RATE_LIMITED', `Too many sign-in attempts; try again in ${r.retryAfterSeconds} s.`, {
          'retry-after': String(r.retryAfterSeconds),
        });
    }
    if (pathname.startsWith('/api/v1/')) {
      const r = rateLimiters().api.take(callerKey(request), now);
      if (!r.allowed)
        return jsonError(429, 'RATE_LIMITED', `Too many requests; try again in ${r.retryAfterSeconds} s.`, { 'retry-after': String(r.retryAfterSeconds) });
    }
    return NextResponse.next();
  }

  // Pages: a fresh nonce per response; Next.js puts it on its own scripts when it finds it in the
  // request's Content-Security-Policy header.
  const page = () => {
    const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
    const csp = contentSecurityPolicy(nonce, e.NODE_ENV !== 'production');
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('x-nonce', nonce);
    requestHeaders.set('content-security-policy', csp);
    const response = NextResponse.next({ request: { headers: requestHeaders } });
    response.headers.set('content-security-policy', csp);
    const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
    if (e.NODE_ENV === 'production' && https) response.headers.set('strict-transport-security', 'max-age=63072000; includeSubDomains');
    return response;
  };
  // A server action is a POST to a page with the Next-Action header.
  if (request.method === 'POST' && request.headers.has('next-action')) return guardServerAction(request, page);
  return page();
}

export const config = {
  // Everything but the build's static files (they carry no user data and need no nonce).
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
