const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * Output that nobody reads any more is dropped instead of failing. When whatever read the server's
 * stdout or stderr goes away (a terminal closed, a log shipper or a parent process gone), the next
 * line fails with EPIPE; with no listener that is an uncaught exception, which Next.js logs to
 * stderr, which fails the same way: the process then spun at 100 % CPU, stopped answering and
 * ignored SIGTERM (found while benchmarking, issue 20). There is nowhere left to report the
 * error, so it is swallowed; the server goes on serving. Installed first thing from
 * instrumentation.ts.
 */
export function guardLogStreams(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on('error', () => {});
  }
}
