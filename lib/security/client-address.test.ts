import { describe, expect, it } from 'vitest';
import { clientAddress, PEER_ADDRESS_HEADER } from '@/lib/security/client-address';

const h = (values: Record<string, string>) => new Headers(values);

describe('clientAddress', () => {
  it('with no trusted proxy: the TCP peer, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(h({ [PEER_ADDRESS_HEADER]: '198.51.100.7', 'x-forwarded-for': '203.0.113.9' }), 0)).toBe('198.51.100.7');
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.8' }), 0)).toBeNull();
  });

  it('with N trusted proxies: the address N hops from the right, so a forged left end is ignored', () => {
    const forged = h({ [PEER_ADDRESS_HEADER]: '10.0.0.2', 'x-forwarded-for': '1.1.1.1, 203.0.113.9, 10.0.0.1' });
    expect(clientAddress(forged, 1)).toBe('10.0.0.1');
    expect(clientAddress(forged, 2)).toBe('203.0.113.9');
    expect(clientAddress(forged, 3)).toBe('1.1.1.1');
    // Fewer hops than proxies: all were written by trusted proxies; the leftmost is the furthest.
    expect(clientAddress(forged, 5)).toBe('1.1.1.1');
    // No header at all (a direct call inside the network): the peer.
    expect(clientAddress(h({ [PEER_ADDRESS_HEADER]: '10.0.0.2' }), 1)).toBe('10.0.0.2');
  });
});
