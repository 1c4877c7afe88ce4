// Runs once when a server process starts, before it serves a request (lib/server/startup.ts).
export async function register() {
  // NEXT_RUNTIME is set by Next.js itself; only the Node.js runtime has a database.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServer } = await import('@/lib/server/startup');
    await startServer();
  }
}
