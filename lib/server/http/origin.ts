import 'server-only';
import { headers } from 'next/headers';
import type { RequestOrigin } from '@/lib/audit/model';
import { clientAddress } from '@/lib/security/client-address';
import { env } from '@/lib/server/env';

/**
 * Where the current request came from, for the audit history: the client address counted from the
 * right of X-Forwarded-For by GATEHOUSE_TRUSTED_PROXIES (lib/security/client-address.ts).
 */
export async function requestOrigin(): Promise<RequestOrigin> {
  const h = await headers();
  return { ip: clientAddress(h, env().GATEHOUSE_TRUSTED_PROXIES), userAgent: h.get('user-agent')?.slice(0, 512) ?? null };
}
