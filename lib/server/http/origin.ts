import 'server-only';
import { headers } from 'next/headers';
import type { RequestOrigin } from '@/lib/audit/model';

/**
 * Where the current request came from, for the audit history. The client address is the first
 * X-Forwarded-For hop (set by the load balancer in production), else X-Real-IP.
 */
export async function requestOrigin(): Promise<RequestOrigin> {
  const h = await headers();
  const forwarded = h.get('x-forwarded-for')?.split(',')[0]?.trim();
  const ip = forwarded || h.get('x-real-ip') || null;
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: h.get('user-agent')?.slice(0, 512) ?? null };
}
