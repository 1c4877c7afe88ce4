// Runs once when a server process starts, before it serves a request (lib/server/startup.ts).
export async function register() {
  // NEXT_RUNTIME is set by Next.js itself; only the Node.js runtime has a database.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // Before anything logs: output nobody reads any more is dropped, not a spinning process (lib/server/log-streams.ts).
    const { guardLogStreams } = await import('@/lib/server/log-streams');
    guardLogStreams();
    // First, so that no request is served without its peer address (lib/server/http/peer-address.ts).
    const { installPeerAddressHeader } = await import('@/lib/server/http/peer-address');
    installPeerAddressHeader();
    // The catalogs for the server render of client components (components/i18n-provider.tsx), before any request.
    const { registerServerCatalogs } = await import('@/lib/server/i18n/catalog-url');
    registerServerCatalogs();
    const { startServer } = await import('@/lib/server/startup');
    await startServer();
  }
}

/**
 * Every error a render, route handler or server action did not handle. A page that failed because
 * the database is down makes the process probe it; once confirmed, proxy.ts answers 503 until it is
 * back (a page cannot set a 503 itself). Route handlers and actions report through describeError.
 */
export async function onRequestError(error: unknown) {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ isDatabaseUnavailable }, { suspectDatabaseOutage }] = await Promise.all([import('@/lib/server/db/unavailable'), import('@/lib/server/db/outage')]);
  if (isDatabaseUnavailable(error)) void suspectDatabaseOutage();
}
