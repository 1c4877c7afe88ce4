const guarded = new WeakSet<NodeJS.WritableStream>();

/** The reader is gone (a closed pipe or socket): expected when a terminal or a parent goes away. */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'EBADF', 'ERR_STREAM_DESTROYED']);

/**
 * Output that cannot be written is dropped instead of failing. When whatever read the server's
 * stdout or stderr goes away (a terminal closed, a log shipper or a parent process gone), the next
 * line fails with EPIPE; with no listener that is an uncaught exception, which Next.js logs to
 * stderr, which fails the same way: the process then spun at 100 % CPU, stopped answering and
 * ignored SIGTERM (found while benchmarking, issue 20). Any error on these streams must therefore be
 * handled; one that is not a gone reader (a full disk, an I/O error on a log file) is said once on
 * the other stream, so that a log that stopped is known. The server goes on serving. Installed
 * first thing from instrumentation.ts.
 */
export function guardLogStreams(streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr }): void {
  const pairs: [NodeJS.WritableStream, NodeJS.WritableStream, string][] = [
    [streams.out, streams.err, 'stdout'],
    [streams.err, streams.out, 'stderr'],
  ];
  for (const [stream, other, name] of pairs) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    let said = false;
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (said || READER_GONE.has(e.code ?? '')) return;
      said = true;
      try {
        other.write(`[log] writing to ${name} failed (${e.code ?? e.message}); its further output is dropped\n`);
      } catch {
        // nowhere left to say it
      }
    });
  }
}
