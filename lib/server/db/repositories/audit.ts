import 'server-only';
import { createChainVerifier, type ChainBreak, type ChainCheckpoint, type ChainReport } from '@/lib/audit/hash-chain';
import type { AuditFilter } from '@/lib/audit/schemas';
import { prisma } from '@/lib/server/db/connection';
import { isoTimestamp, parseWithDates, queryReadOnly, sqlLimit } from '@/lib/server/db/json-page';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';

export const auditSelect = {
  seq: true,
  occurredAt: true,
  actorId: true,
  actorName: true,
  action: true,
  targetType: true,
  targetId: true,
  environment: true,
  teamId: true,
  requestId: true,
  before: true,
  after: true,
  ip: true,
  userAgent: true,
  prevHash: true,
  hash: true,
} as const;

export type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof auditSelect }>;

/** `text` for LIKE: its wildcards and the escape character match themselves. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The filter as SQL over `audit_events e` (one definition for the list, its JSON and the export). */
function conditions(f: Omit<AuditFilter, 'cursor' | 'limit'>): Prisma.Sql {
  const c: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (f.actor) c.push(Prisma.sql`e.actor_id = ${f.actor}`);
  if (f.action) c.push(Prisma.sql`e.action = ${f.action}`);
  if (f.environment) c.push(Prisma.sql`e.environment = ${f.environment}::"Environment"`);
  if (f.team) c.push(Prisma.sql`e.team_id = ${f.team}`);
  if (f.request) c.push(Prisma.sql`e.request_id = ${f.request}`);
  if (f.from) c.push(Prisma.sql`e.occurred_at >= ${f.from}`);
  if (f.to) c.push(Prisma.sql`e.occurred_at <= ${f.to}`);
  if (f.q) {
    // Free text: the actor's name (any case), the target id, the action (typed in any case).
    const q = `%${likeLiteral(f.q)}%`;
    c.push(Prisma.sql`(e.actor_name ILIKE ${q} OR e.target_id LIKE ${q} OR e.action LIKE ${q.toLowerCase()})`);
  }
  return Prisma.join(
    c.map((x) => Prisma.sql`(${x})`),
    ' AND ',
  );
}

/**
 * One page of the history, newest first, as the JSON text of `{ events: AuditRow[], nextCursor }`;
 * the cursor is the last seq seen (keyset, no OFFSET). PostgreSQL builds the JSON, and the API sends
 * it as it comes (decision 023).
 */
export async function listAuditEventsJson(filter: AuditFilter, db: PrismaClient = prisma()): Promise<string> {
  const [page] = await queryReadOnly<{ rows: string; more: boolean; last: number | null }>(db, auditPageStatement(filter));
  return `{"events":${page!.rows},"nextCursor":${page!.more ? page!.last : null}}`;
}

/** The statement behind `listAuditEventsJson`: one row with the page's JSON text, whether there is more, and the cursor. */
export function auditPageStatement(filter: AuditFilter): Prisma.Sql {
  const cursor = filter.cursor ? Prisma.sql`e.seq < ${filter.cursor}` : Prisma.sql`TRUE`;
  return Prisma.sql`
    WITH page AS (
      SELECT e.seq, json_build_object(
        'seq', e.seq, 'occurredAt', ${isoTimestamp(Prisma.sql`e.occurred_at`)},
        'actorId', e.actor_id, 'actorName', e.actor_name, 'action', e.action, 'targetType', e.target_type,
        'targetId', e.target_id, 'environment', e.environment, 'teamId', e.team_id, 'requestId', e.request_id,
        'before', e.before, 'after', e.after, 'ip', e.ip, 'userAgent', e.user_agent,
        'prevHash', e.prev_hash, 'hash', e.hash
      ) AS row
      FROM audit_events e
      WHERE ${conditions(filter)} AND ${cursor}
      ORDER BY e.seq DESC
      LIMIT ${sqlLimit(filter.limit + 1)}
    ), shown AS (
      SELECT * FROM page ORDER BY seq DESC LIMIT ${sqlLimit(filter.limit)}
    )
    SELECT COALESCE((SELECT json_agg(row ORDER BY seq DESC) FROM shown)::text, '[]') AS rows,
      (SELECT count(*) FROM page) > ${sqlLimit(filter.limit)} AS more,
      (SELECT min(seq) FROM shown) AS last`;
}

const AUDIT_DATES = new Set(['occurredAt']);

/** One page of the history, newest first, as rows (the audit page, a request's timeline). */
export async function listAuditEvents(filter: AuditFilter, db: PrismaClient = prisma()): Promise<{ events: AuditRow[]; nextCursor: number | null }> {
  return parseWithDates(await listAuditEventsJson(filter, db), AUDIT_DATES);
}

/** Streams every event matching the filter (up to seq `upTo` when given), oldest first, in batches (exports never hold the whole set). */
export async function* streamAuditEvents(
  filter: Omit<AuditFilter, 'cursor' | 'limit'>,
  db: PrismaClient = prisma(),
  batch = 1000,
  upTo?: number,
): AsyncGenerator<AuditRow> {
  const bound = upTo === undefined ? Prisma.sql`TRUE` : Prisma.sql`e.seq <= ${upTo}`;
  let after = 0;
  for (;;) {
    const rows = await db.$queryRaw<AuditRow[]>`
      SELECT e.seq, e.occurred_at AS "occurredAt", e.actor_id AS "actorId", e.actor_name AS "actorName", e.action,
        e.target_type AS "targetType", e.target_id AS "targetId", e.environment::text AS environment, e.team_id AS "teamId",
        e.request_id AS "requestId", e.before, e.after, e.ip, e.user_agent AS "userAgent", e.prev_hash AS "prevHash", e.hash
      FROM audit_events e
      WHERE ${conditions(filter)} AND e.seq > ${after} AND ${bound}
      ORDER BY e.seq
      LIMIT ${batch}`;
    for (const row of rows) yield row;
    if (rows.length < batch) return;
    after = rows.at(-1)!.seq;
  }
}

/**
 * Recomputes the chain in seq order up to the stored head and compares it with the head and the
 * given checkpoints (signature-checked, from outside the database). The head is read first and the
 * events after it are left to the next verification, so an append meanwhile is no false alarm.
 */
export async function verifyAuditChain(db: PrismaClient = prisma(), checkpoints: readonly ChainCheckpoint[] = []): Promise<ChainReport> {
  const head = await readAuditHead(db);
  const verifier = createChainVerifier(checkpoints);
  let firstBreak: ChainBreak | null = null;
  for await (const row of streamAuditEvents({}, db, 2000, head?.seq)) {
    firstBreak = verifier.push(row);
    if (firstBreak) break;
  }
  if (!firstBreak) firstBreak = verifier.finish(head);
  const latest = checkpoints.reduce<ChainCheckpoint | null>((a, c) => (!a || c.seq > a.seq ? c : a), null);
  return {
    ok: !firstBreak,
    checked: verifier.checked,
    firstBreak,
    head,
    checkpoints: { read: checkpoints.length, latest, written: null },
    verifiedAt: new Date().toISOString(),
  };
}

/** The stored head of the chain (the last event's seq and hash), or null before the first event. */
export async function readAuditHead(db: PrismaClient = prisma()): Promise<{ seq: number; hash: string } | null> {
  return db.auditHead.findUnique({ where: { id: 1 }, select: { seq: true, hash: true } });
}

/**
 * Readable names of a page's targets (docs/decisions/048-time-zone-policy.md): a request (and its
 * grant) by what it asks for, a catalog secret or role by its name, a user by name, a deployment by
 * its stack and environment. Ids that no longer resolve are left out; the page then shows the id.
 */
export async function listAuditTargetNames(
  events: { targetType: string; targetId: string; requestId: string | null }[],
  db: PrismaClient = prisma(),
): Promise<Record<string, string>> {
  const ids = (type: string) => [...new Set(events.filter((e) => e.targetType === type).map((e) => e.targetId))];
  const requestIds = [...new Set([...ids('request'), ...events.flatMap((e) => (e.requestId ? [e.requestId] : []))])];
  const [requests, secrets, roles, users, deployments] = await Promise.all([
    requestIds.length
      ? db.accessRequest.findMany({
          where: { id: { in: requestIds } },
          select: {
            id: true,
            type: true,
            environment: true,
            proposedSecret: true,
            secret: { select: { name: true } },
            role: { select: { function: true, team: { select: { slug: true } } } },
          },
        })
      : [],
    ids('secret').length ? db.catalogSecret.findMany({ where: { id: { in: ids('secret') } }, select: { id: true, name: true } }) : [],
    ids('role').length
      ? db.catalogRole.findMany({
          where: { id: { in: ids('role') } },
          select: { id: true, environment: true, function: true, team: { select: { slug: true } } },
        })
      : [],
    ids('user').length ? db.user.findMany({ where: { id: { in: ids('user') } }, select: { id: true, name: true } }) : [],
    ids('deployment').length
      ? db.deployment.findMany({ where: { id: { in: ids('deployment') } }, select: { id: true, stackName: true, environment: true } })
      : [],
  ]);
  // Keyed `request:<id>`, `secret:<id>`, `role:<id>`, `user:<id>`, `deployment:<id>`.
  const names: Record<string, string> = {};
  for (const r of requests) {
    const proposed = r.proposedSecret as { name?: unknown } | null;
    const name =
      r.type === 'SECRET_READ'
        ? r.secret?.name
        : r.type === 'ROLE'
          ? r.role && `${r.role.team.slug}/${r.environment.toLowerCase()}/${r.role.function}`
          : typeof proposed?.name === 'string'
            ? proposed.name
            : undefined;
    if (name) names[`request:${r.id}`] = name;
  }
  for (const s of secrets) names[`secret:${s.id}`] = s.name;
  for (const r of roles) names[`role:${r.id}`] = `${r.team.slug}/${r.environment.toLowerCase()}/${r.function}`;
  for (const u of users) names[`user:${u.id}`] = u.name;
  for (const d of deployments) names[`deployment:${d.id}`] = `${d.stackName} (${d.environment.toLowerCase()})`;
  return names;
}
