import { encodeAuditExport, exportContentType, exportFileName } from '@/lib/audit/export-format';
import { auditExportSchema } from '@/lib/audit/schemas';
import { streamAuditEvents } from '@/lib/server/db/repositories/audit';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

// Rows are gathered into chunks of about this size: one network write per row would be wasteful.
const CHUNK_CHARS = 64 * 1024;

/** Reads the next chunk of about CHUNK_CHARS characters; null at the end. */
async function readChunk(parts: AsyncGenerator<string>): Promise<string | null> {
  let chunk = '';
  while (chunk.length < CHUNK_CHARS) {
    const next = await parts.next();
    if (next.done) return chunk || null;
    chunk += next.value;
  }
  return chunk;
}

/**
 * The audit history matching the filters, as a CSV or JSON download, oldest first. Streamed: rows
 * are read from the database in batches as the client reads, never the whole set at once.
 */
export const GET = route('audit.export', async ({ request }) => {
  // An export is every matching event: it takes no cursor or limit (400, as any unknown parameter).
  const { format, ...filter } = parseQuery(request, auditExportSchema);
  const parts = encodeAuditExport(format, streamAuditEvents(filter));
  // The first chunk is read before answering, so that a database failure is still a 500 JSON
  // answer rather than a download cut short.
  const first = await readChunk(parts);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first) controller.enqueue(encoder.encode(first));
    },
    async pull(controller) {
      try {
        const chunk = await readChunk(parts);
        if (chunk === null) controller.close();
        else controller.enqueue(encoder.encode(chunk));
      } catch (e) {
        // The status line is already sent: log, and end the download as failed.
        console.error('[audit] export failed mid-stream', e);
        controller.error(e);
      }
    },
    async cancel() {
      await parts.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'content-type': exportContentType(format),
      'content-disposition': `attachment; filename="${exportFileName(format, new Date())}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
