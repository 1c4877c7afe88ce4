// Which address a request came from, for the sign-in rate limit and the audit history
// (docs/decisions/031-web-inputs-and-sessions.md). X-Forwarded-For is a list that every proxy
// appends to, so only its right end is trustworthy: with N trusted proxies in front of the portal,
// the client is the address N hops from the right. With none, it is the TCP peer itself.

/**
 * The TCP peer's address, set by the server process on every request (lib/server/http/peer-address.ts)
 * and overwritten there, so a client cannot supply it.
 */
export const PEER_ADDRESS_HEADER = 'x-gatehouse-peer';

/** The client's address, or null when the request carries none; `trustedProxies` is GATEHOUSE_TRUSTED_PROXIES. */
export function clientAddress(headers: { get(name: string): string | null }, trustedProxies: number): string | null {
  const peer = headers.get(PEER_ADDRESS_HEADER)?.trim() || null;
  if (trustedProxies <= 0) return clip(peer);
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // The nearest proxy appended the address it saw last; the client is `trustedProxies` from the right.
  // Fewer hops than proxies: every hop was written by a trusted proxy, the leftmost is the furthest.
  if (hops.length === 0) return clip(peer);
  return clip(hops[Math.max(0, hops.length - trustedProxies)] ?? null);
}

function clip(address: string | null): string | null {
  return address ? address.slice(0, 64) : null;
}
