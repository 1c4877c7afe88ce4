import { describe, expect, it } from 'vitest';
import {
  AUDIT_CSV_COLUMNS,
  encodeAuditExport,
  exportContentType,
  exportFileName,
  formatCsvField,
  formatCsvHeader,
  formatCsvRow,
  type ExportableAuditEvent,
} from '@/lib/audit/export-format';

function event(overrides: Partial<ExportableAuditEvent> = {}): ExportableAuditEvent {
  return {
    seq: 1,
    occurredAt: new Date('2026-12-01T09:30:00.000Z'),
    actorId: 'usr_seoyeon_park',
    actorName: 'Seo-yeon Park',
    action: 'request.approval',
    targetType: 'request',
    targetId: 'req_1',
    environment: 'PROD',
    teamId: 'team_payments',
    requestId: 'req_1',
    before: { status: 'PENDING' },
    after: { status: 'APPROVED', approvals: 2 },
    ip: '10.0.0.1',
    userAgent: 'Mozilla/5.0',
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
    ...overrides,
  };
}

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function collect(format: 'csv' | 'json', events: ExportableAuditEvent[]): Promise<string> {
  let text = '';
  for await (const chunk of encodeAuditExport(format, from(events))) text += chunk;
  return text;
}

/** A minimal RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) throw new Error('the last record is not terminated by CRLF');
  return rows;
}

describe('formatCsvField', () => {
  it('leaves plain text alone', () => {
    expect(formatCsvField('request.created')).toBe('request.created');
    expect(formatCsvField('')).toBe('');
  });

  it('quotes a field with a comma, quote, CR or LF and doubles inner quotes (RFC 4180)', () => {
    expect(formatCsvField('a,b')).toBe('"a,b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField('line1\nline2')).toBe('"line1\nline2"');
    expect(formatCsvField('line1\r\nline2')).toBe('"line1\r\nline2"');
  });

  it('neutralises formulas with a leading apostrophe', () => {
    expect(formatCsvField('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(formatCsvField('+1+1')).toBe("'+1+1");
    expect(formatCsvField('-2+3')).toBe("'-2+3");
    expect(formatCsvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(formatCsvField('\t=1')).toBe("'\t=1");
    // Only the first character counts.
    expect(formatCsvField('a=b')).toBe('a=b');
    expect(formatCsvField('Jae-won')).toBe('Jae-won');
  });
});

describe('CSV export', () => {
  it('starts with the header row', () => {
    expect(formatCsvHeader()).toBe(
      'seq,occurred_at,actor_id,actor_name,action,target_type,target_id,environment,team_id,request_id,before,after,ip,user_agent,prev_hash,hash\r\n',
    );
  });

  it('writes one record per event whose cells read back as the event (JSON serialized, nulls empty)', async () => {
    const tricky = event({
      seq: 2,
      actorId: null,
      actorName: '=cmd|"/c calc"!A1',
      environment: null,
      teamId: null,
      requestId: null,
      before: null,
      after: { comment: 'ok, "fine"\nnext line' },
      ip: null,
      userAgent: null,
    });
    const rows = parseCsv(await collect('csv', [event(), tricky]));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows[1]).toEqual([
      '1',
      '2026-12-01T09:30:00.000Z',
      'usr_seoyeon_park',
      'Seo-yeon Park',
      'request.approval',
      'request',
      'req_1',
      'PROD',
      'team_payments',
      'req_1',
      '{"status":"PENDING"}',
      '{"status":"APPROVED","approvals":2}',
      '10.0.0.1',
      'Mozilla/5.0',
      '0'.repeat(64),
      'a'.repeat(64),
    ]);
    const cells = Object.fromEntries(AUDIT_CSV_COLUMNS.map((c, i) => [c, rows[2]![i]]));
    expect(cells).toMatchObject({ seq: '2', actor_id: '', actor_name: '\'=cmd|"/c calc"!A1', environment: '', before: '', ip: '', user_agent: '' });
    expect(JSON.parse(cells.after!)).toEqual({ comment: 'ok, "fine"\nnext line' });
  });

  it('is only the header when nothing matches', async () => {
    expect(await collect('csv', [])).toBe(formatCsvHeader());
  });

  it('keeps each row on its own CRLF-terminated line', () => {
    expect(formatCsvRow(event()).endsWith('\r\n')).toBe(true);
    expect(formatCsvRow(event()).slice(0, -2)).not.toMatch(/[\r\n]/);
  });
});

describe('JSON export', () => {
  it('is an empty array when nothing matches', async () => {
    const text = await collect('json', []);
    expect(text).toBe('[]\n');
    expect(JSON.parse(text)).toEqual([]);
  });

  it('frames one object per line inside the array', async () => {
    const text = await collect('json', [event(), event({ seq: 2, before: null })]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('[');
    expect(lines[1]).toMatch(/^\{"seq":1,.*\},$/);
    expect(lines[2]).toMatch(/^\{"seq":2,.*\}$/);
    expect(lines.slice(3)).toEqual([']', '']);
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toEqual({
      seq: 1,
      occurredAt: '2026-12-01T09:30:00.000Z',
      actorId: 'usr_seoyeon_park',
      actorName: 'Seo-yeon Park',
      action: 'request.approval',
      targetType: 'request',
      targetId: 'req_1',
      environment: 'PROD',
      teamId: 'team_payments',
      requestId: 'req_1',
      before: { status: 'PENDING' },
      after: { status: 'APPROVED', approvals: 2 },
      ip: '10.0.0.1',
      userAgent: 'Mozilla/5.0',
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    });
    expect(parsed[1]).toMatchObject({ seq: 2, before: null });
  });

  it('reads the events lazily: a consumer that stops early stops the reading', async () => {
    let read = 0;
    async function* counted() {
      for (let seq = 1; seq <= 100; seq++) {
        read++;
        yield event({ seq });
      }
    }
    const chunks = encodeAuditExport('json', counted());
    await chunks.next(); // '['
    await chunks.next(); // first element
    await chunks.return(undefined);
    expect(read).toBe(1);
  });
});

describe('download headers', () => {
  it('names the file with the date and picks the media type', () => {
    const now = new Date('2026-12-01T23:59:00.000Z');
    expect(exportFileName('csv', now)).toBe('gatehouse-audit-2026-12-01.csv');
    expect(exportFileName('json', now)).toBe('gatehouse-audit-2026-12-01.json');
    expect(exportContentType('csv')).toBe('text/csv; charset=utf-8');
    expect(exportContentType('json')).toBe('application/json');
  });
});
