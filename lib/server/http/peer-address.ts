import 'server-only';
import http from 'node:http';
import { PEER_ADDRESS_HEADER } from '@/lib/security/client-address';

let installed = false;

/**
 * Puts the TCP peer's address on every incoming request as PEER_ADDRESS_HEADER, replacing whatever
 * the client sent under that name. Next.js exposes no socket address to proxy.ts, route handlers or
 * actions (and sets X-Forwarded-For to it only when the client sent none), so without this the
 * portal could not tell a forged X-Forwarded-For from a real one. Runs once per process, from
 * instrumentation.ts, before the server accepts a request (docs/decisions/031).
 */
export function installPeerAddressHeader(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function patchedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_ADDRESS_HEADER] = req.socket?.remoteAddress ?? '';
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
