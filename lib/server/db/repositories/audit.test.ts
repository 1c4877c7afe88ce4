import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@/lib/audit/model';
import { auditFilterSchema, type AuditFilter } from '@/lib/audit/schemas';
import { auditSelect, listAuditEvents, listAuditEventsJson, streamAuditEvents, type AuditRow } from '@/lib/server/db/repositories/audit';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000);

// Ten events, seq 1..10 in this order, one hour apart: enough variety for every filter.
const ENTRIES: AuditEntry[] = [
  {
    occurredAt: at(0),
    actorId: 'usr_minji',
    actorName: 'Minji Kim',
    action: 'request.created',
    targetType: 'request',
    targetId: 'req_a',
    environment: 'DEV',
    teamId: 'team_payments',
    requestId: 'req_a',
    after: { status: 'PENDING' },
  },
  {
    occurredAt: at(1),
    actorId: 'usr_seoyeon',
    actorName: 'Seo-yeon Park',
    action: 'request.approval',
    targetType: 'request',
    targetId: 'req_a',
    environment: 'DEV',
    teamId: 'team_payments',
    requestId: 'req_a',
    after: { approvals: 1 },
  },
  {
    occurredAt: at(2),
    actorId: 'usr_seoyeon',
    actorName: 'Seo-yeon Park',
    action: 'request.approved',
    targetType: 'request',
    targetId: 'req_a',
    environment: 'DEV',
    teamId: 'team_payments',
    requestId: 'req_a',
    before: { status: 'PENDING' },
    after: { status: 'APPROVED' },
  },
  {
    occurredAt: at(3),
    actorId: 'usr_jaewon',
    actorName: 'Jae-won Choi',
    action: 'request.created',
    targetType: 'request',
    targetId: 'req_b',
    environment: 'PROD',
    teamId: 'team_data',
    requestId: 'req_b',
    after: { status: 'PENDING' },
  },
  {
    occurredAt: at(4),
    actorId: 'usr_jaewon',
    actorName: 'Jae-won Choi',
    action: 'request.break_glass',
    targetType: 'request',
    targetId: 'req_b',
    environment: 'PROD',
    teamId: 'team_data',
    requestId: 'req_b',
    after: { status: 'APPROVED' },
  },
  {
    occurredAt: at(5),
    actorId: 'usr_seoyeon',
    actorName: 'Seo-yeon Park',
    action: 'break_glass.reviewed',
    targetType: 'request',
    targetId: 'req_b',
    environment: 'PROD',
    teamId: 'team_data',
    requestId: 'req_b',
    after: { outcome: 'OK' },
  },
  {
    occurredAt: at(6),
    actorId: 'usr_minji',
    actorName: 'Minji Kim',
    action: 'request.created',
    targetType: 'request',
    targetId: 'req_c',
    environment: 'STAGING',
    teamId: 'team_payments',
    requestId: 'req_c',
    after: { status: 'PENDING' },
  },
  {
    occurredAt: at(7),
    actorId: 'usr_minji',
    actorName: 'Minji Kim',
    action: 'request.cancelled',
    targetType: 'request',
    targetId: 'req_c',
    environment: 'STAGING',
    teamId: 'team_payments',
    requestId: 'req_c',
    before: { status: 'PENDING' },
    after: { status: 'CANCELLED' },
  },
  {
    occurredAt: at(8),
    actorId: null,
    actorName: 'Gatehouse (system)',
    action: 'request.expired',
    targetType: 'request',
    targetId: 'req_d',
    environment: 'PROD',
    teamId: 'team_payments',
    requestId: 'req_d',
    before: { status: 'PENDING' },
    after: { status: 'EXPIRED' },
  },
  {
    occurredAt: at(9),
    actorId: 'usr_admin',
    actorName: 'Hyun-woo Lee',
    action: 'catalog.secret.updated',
    targetType: 'secret',
    targetId: 'prod/payments/db-password',
    environment: 'PROD',
    teamId: 'team_payments',
    requestId: null,
  },
];

/** A filter as the page and the API build it: through the schema, defaults included. */
const filterOf = (input: Record<string, unknown>): AuditFilter => auditFilterSchema.parse(input);
const seqs = (rows: AuditRow[]) => rows.map((r) => r.seq);

/** Every page of a listing, following nextCursor; the pages' sizes and the events, in order. */
async function allPages(input: Record<string, unknown>, db: PrismaClient) {
  const sizes: number[] = [];
  const events: AuditRow[] = [];
  let cursor: number | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const page: { events: AuditRow[]; nextCursor: number | null } = await listAuditEvents(filterOf({ ...input, ...(cursor ? { cursor } : {}) }), db);
    sizes.push(page.events.length);
    events.push(...page.events);
    cursor = page.nextCursor;
    if (cursor === null) return { sizes, events };
  }
  throw new Error('paging did not end');
}

describe.each(testDatabaseKinds())('audit history repository on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    for (const [i, entry] of ENTRIES.entries()) {
      await db.prisma.$transaction((tx) => appendAuditEvent(tx, entry, { ip: `10.0.0.${i + 1}`, userAgent: 'vitest' }));
    }
  });
  afterAll(async () => db.drop());

  it('lists newest first, as plain rows with every column', async () => {
    const { events, nextCursor } = await listAuditEvents(filterOf({}), db.prisma);
    expect(seqs(events)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(nextCursor).toBeNull();
    expect(events.at(-1)).toEqual({
      seq: 1,
      occurredAt: at(0),
      actorId: 'usr_minji',
      actorName: 'Minji Kim',
      action: 'request.created',
      targetType: 'request',
      targetId: 'req_a',
      environment: 'DEV',
      teamId: 'team_payments',
      requestId: 'req_a',
      before: null,
      after: { status: 'PENDING' },
      ip: '10.0.0.1',
      userAgent: 'vitest',
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(events[8]!.prevHash).toBe(events[9]!.hash);
  });

  it.each([
    ['actor', { actor: 'usr_seoyeon' }, [6, 3, 2]],
    ['action', { action: 'request.created' }, [7, 4, 1]],
    ['environment', { environment: 'STAGING' }, [8, 7]],
    ['team', { team: 'team_data' }, [6, 5, 4]],
    ['request', { request: 'req_b' }, [6, 5, 4]],
    ['from (inclusive)', { from: at(7).toISOString() }, [10, 9, 8]],
    ['to (inclusive)', { to: at(1).toISOString() }, [2, 1]],
    ['from and to', { from: at(2).toISOString(), to: at(4).toISOString() }, [5, 4, 3]],
    ['q on the actor name, ignoring case', { q: 'MINJI' }, [8, 7, 1]],
    ['q on the target id', { q: 'db-password' }, [10]],
    ['q on the action, typed in capitals', { q: 'BREAK_GLASS' }, [6, 5]],
    ['q with LIKE wildcards, taken literally', { q: 'req%' }, []],
    ['q with an underscore, taken literally (not as any one character)', { q: 'request_created' }, []],
    ['q with a backslash, taken literally', { q: 'req\\' }, []],
    ['every filter at once (AND)', { actor: 'usr_minji', environment: 'STAGING', action: 'request.cancelled', team: 'team_payments', request: 'req_c' }, [8]],
    ['a filter nothing matches', { actor: 'usr_nobody' }, []],
    ['blank values as no filter', { actor: '', environment: '  ', from: '' }, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]],
  ])('filters by %s', async (_name, input, expected) => {
    const { events, nextCursor } = await listAuditEvents(filterOf(input), db.prisma);
    expect(seqs(events)).toEqual(expected);
    expect(nextCursor).toBeNull();
  });

  it('the JSON the database writes is the JSON of the rows (what the API sends)', async () => {
    const filter = filterOf({ limit: 4 });
    const text = await listAuditEventsJson(filter, db.prisma);
    // Against Prisma's own reading of the same rows, serialised as the API used to send them.
    const viaPrisma = await db.prisma.auditEvent.findMany({ select: auditSelect, orderBy: { seq: 'desc' }, take: 4 });
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify({ events: viaPrisma, nextCursor: 7 })));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(await listAuditEvents(filter, db.prisma))));
    expect(JSON.parse(text)).toMatchObject({
      nextCursor: 7,
      events: [{ seq: 10, occurredAt: at(9).toISOString(), environment: 'PROD', before: null }, {}, {}, { seq: 7 }],
    });
  });

  it('pages with a keyset cursor: no event twice, none skipped, the last page says there is no more', async () => {
    const { sizes, events } = await allPages({ limit: 3 }, db.prisma);
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(seqs(events)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);

    const first = await listAuditEvents(filterOf({ limit: 3 }), db.prisma);
    expect(first.nextCursor).toBe(8);
    const second = await listAuditEvents(filterOf({ limit: 3, cursor: first.nextCursor }), db.prisma);
    expect(seqs(second.events)).toEqual([7, 6, 5]);
  });

  it('gives no cursor when the last page is exactly full', async () => {
    const { sizes, events } = await allPages({ limit: 5 }, db.prisma);
    expect(sizes).toEqual([5, 5]);
    expect(seqs(events)).toHaveLength(10);
  });

  it('keeps the filters while paging', async () => {
    const { sizes, events } = await allPages({ team: 'team_payments', limit: 2 }, db.prisma);
    expect(sizes).toEqual([2, 2, 2, 1]);
    expect(seqs(events)).toEqual([10, 9, 8, 7, 3, 2, 1]);
  });

  it('streams every event oldest first, in batches of the given size', async () => {
    const takes: number[] = [];
    // A real client that notes the rows each query returned: 3 + 3 + 3, then 1 (short) ends the stream.
    const counted = db.prisma.$extends({
      query: {
        async $queryRaw({ args, query }) {
          const rows = (await query(args)) as unknown[];
          takes.push(rows.length);
          return rows;
        },
      },
    }) as unknown as PrismaClient;
    const streamed: AuditRow[] = [];
    for await (const row of streamAuditEvents({}, counted, 3)) streamed.push(row);
    expect(seqs(streamed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(takes).toEqual([3, 3, 3, 1]);
    expect(streamed[9]).toMatchObject({ seq: 10, action: 'catalog.secret.updated', requestId: null, before: null, after: null });
  });

  it('streams lazily: a consumer that stops early reads only the first batch', async () => {
    const takes: number[] = [];
    const counted = db.prisma.$extends({
      query: {
        async $queryRaw({ args, query }) {
          const rows = (await query(args)) as unknown[];
          takes.push(rows.length);
          return rows;
        },
      },
    }) as unknown as PrismaClient;
    const seen: number[] = [];
    for await (const row of streamAuditEvents({}, counted, 3)) {
      seen.push(row.seq);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(takes).toEqual([3]);
  });

  it('streams with the filters applied, across batch boundaries', async () => {
    const streamed: AuditRow[] = [];
    for await (const row of streamAuditEvents({ team: 'team_payments' }, db.prisma, 3)) streamed.push(row);
    expect(seqs(streamed)).toEqual([1, 2, 3, 7, 8, 9, 10]);
    const none: AuditRow[] = [];
    for await (const row of streamAuditEvents({ actor: 'usr_nobody' }, db.prisma, 3)) none.push(row);
    expect(none).toEqual([]);
  });

  // Last: it appends an event, and the tests above count exactly the ten events of beforeAll.
  it('a page after a newer event is appended stays stable (the cursor is a seq, not an offset)', async () => {
    const first = await listAuditEvents(filterOf({ actor: 'usr_seoyeon', limit: 2 }), db.prisma);
    expect(seqs(first.events)).toEqual([6, 3]);
    const extra = await db.prisma.$transaction((tx) =>
      appendAuditEvent(
        tx,
        {
          occurredAt: at(10),
          actorId: 'usr_seoyeon',
          actorName: 'Seo-yeon Park',
          action: 'request.rejection',
          targetType: 'request',
          targetId: 'req_e',
          requestId: 'req_e',
        },
        null,
      ),
    );
    expect(extra.seq).toBe(11);
    const second = await listAuditEvents(filterOf({ actor: 'usr_seoyeon', limit: 2, cursor: first.nextCursor }), db.prisma);
    expect(seqs(second.events)).toEqual([2]);
    expect(second.nextCursor).toBeNull();
  });

  it('free text finds a backslash, a percent sign and an underscore as themselves', async () => {
    const odd = await db.prisma.$transaction((tx) =>
      appendAuditEvent(
        tx,
        {
          occurredAt: at(11),
          actorId: 'usr_admin',
          actorName: 'Hyun-woo Lee',
          action: 'catalog.secret.updated',
          targetType: 'secret',
          targetId: 'dev/ops/odd\\name_50%',
          requestId: null,
        },
        null,
      ),
    );
    for (const q of ['odd\\name', 'name_50%', 'e_5']) expect(seqs((await listAuditEvents(filterOf({ q }), db.prisma)).events), q).toEqual([odd.seq]);
    // Unescaped, LIKE would read `\n` as a plain n and find nothing: the backslash must be matched itself.
    expect(seqs((await listAuditEvents(filterOf({ q: 'odd\\n' }), db.prisma)).events)).toEqual([odd.seq]);
    // And `_` as any one character: `request_created` would find every request.created.
    expect(seqs((await listAuditEvents(filterOf({ q: 'request_created' }), db.prisma)).events)).toEqual([]);
  });
});
