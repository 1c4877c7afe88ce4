import 'server-only';
import type { RequestStatus, RequestType } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';
import type { ListRequestsInput } from '@/lib/access/schemas';
import { AppError } from '@/lib/errors';
import { prisma } from '@/lib/server/db/connection';
import { isoTimestamp, parseWithDates, queryReadOnly, sqlLimit } from '@/lib/server/db/json-page';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';
import { requestSelect, toRequestRecord } from '@/lib/server/db/repositories/access';
import { grantViewSelect, toGrantView, type GrantView } from '@/lib/server/db/repositories/grants';
import { canDecideNow } from '@/lib/access/visibility';
import type { Actor } from '@/lib/identity/actor';

const listSelect = {
  ...requestSelect,
  requester: { select: { name: true } },
  team: { select: { name: true, slug: true } },
  secret: { select: { name: true } },
  role: { select: { function: true, team: { select: { slug: true } } } },
  decisions: { select: { approverId: true, kind: true } },
  breakGlassReview: { select: { outcome: true, createdAt: true, reviewer: { select: { name: true } }, comment: true } },
} as const;

type ListRow = Prisma.AccessRequestGetPayload<{ select: typeof listSelect }>;

/** What a list row or the detail page shows of a request. */
function toView(row: ListRow) {
  const { requester, team, secret, role, decisions, breakGlassReview, ...rest } = row;
  const record = toRequestRecord(rest);
  const target =
    record.type === 'SECRET_READ'
      ? (secret?.name ?? '?')
      : record.type === 'ROLE'
        ? `${role?.team.slug ?? '?'}/${record.environment.toLowerCase()}/${role?.function ?? '?'}`
        : (record.proposedSecret?.name ?? '?');
  return {
    ...record,
    requesterName: requester.name,
    teamName: team.name,
    target,
    approvals: decisions.filter((d) => d.kind === 'APPROVE').length,
    decidedBy: decisions.map((d) => d.approverId),
    breakGlassReview: breakGlassReview ? { ...breakGlassReview, reviewerName: breakGlassReview.reviewer.name } : null,
  };
}
export type RequestView = ReturnType<typeof toView>;

/**
 * One row of a request list: what a list shows and filters by. The detail (`findRequestView`)
 * carries the whole record; a list page is polled and paged, so its rows stay small
 * (docs/decisions/023-list-rows-and-throughput.md).
 */
export interface RequestSummary {
  id: string;
  type: RequestType;
  status: RequestStatus;
  environment: Environment;
  target: string;
  requesterId: string;
  requesterName: string;
  teamId: string;
  teamName: string;
  durationMinutes: number;
  startsAt: Date | null;
  ticketRef: string | null;
  approvals: number;
  approvalsRequired: number;
  breakGlass: boolean;
  /** The security team's review of a break-glass use, once there is one. */
  breakGlassReviewOutcome: 'ACKNOWLEDGED' | 'ESCALATED' | null;
  extendsRequestId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  pendingExpiresAt: Date;
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const m = /^(\d{1,15})_([a-z0-9_]{1,64})$/i.exec(cursor);
  if (!m) throw new AppError('BAD_REQUEST', 'cursor: not a cursor this API gave out');
  return { createdAt: new Date(Number(m[1])), id: m[2]! };
}

const SUMMARY_DATES = new Set(['startsAt', 'createdAt', 'decidedAt', 'pendingExpiresAt']);

/**
 * A page of requests, newest first, as the JSON text of `{ requests: RequestSummary[], nextCursor }`.
 * `requesterId` scopes it to one user (null: all). PostgreSQL builds the JSON: the API sends it as
 * it comes, so a polled list costs no row objects, no mapping and no serialisation in Node.js
 * (decision 023).
 */
export async function listRequestsJson(filter: ListRequestsInput, requesterId: string | null, db: PrismaClient = prisma()): Promise<string> {
  const [page] = await queryReadOnly<{ rows: string; more: boolean; last: string | null }>(db, requestsPageStatement(filter, requesterId));
  // Keyset cursor over (createdAt desc, id desc): "<ms>_<id>" of the page's last row.
  const nextCursor = page!.more ? page!.last : null;
  return `{"requests":${page!.rows},"nextCursor":${JSON.stringify(nextCursor)}}`;
}

/** The statement behind `listRequestsJson`: one row with the page's JSON text, whether there is more, and the cursor. */
export function requestsPageStatement(filter: ListRequestsInput, requesterId: string | null): Prisma.Sql {
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  // The page by keyset: a row comparison walks the (created_at, id) index from the cursor, so a
  // deep page costs what the first one does (Prisma cannot express row comparisons).
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (requesterId) conditions.push(Prisma.sql`r.requester_id = ${requesterId}`);
  if (filter.status) conditions.push(Prisma.sql`r.status = ${filter.status}::"RequestStatus"`);
  if (filter.type) conditions.push(Prisma.sql`r.type = ${filter.type}::"RequestType"`);
  if (filter.environment) conditions.push(Prisma.sql`r.environment = ${filter.environment}::"Environment"`);
  if (after) conditions.push(Prisma.sql`(r.created_at, r.id) < (${after.createdAt}, ${after.id})`);
  // One statement for the page and what it shows (names, the approval count, the target, the
  // review). Scalar subqueries, not joins: the planner then orders one table; planning the six-way
  // join cost PostgreSQL eight times what running it did (2.3 ms against 0.3 ms).
  return Prisma.sql`
    WITH page AS (
      SELECT r.id, r.created_at, json_build_object(
        'id', r.id, 'type', r.type, 'status', r.status, 'environment', r.environment,
        'target', COALESCE(CASE r.type
          WHEN 'SECRET_READ' THEN (SELECT s.name FROM catalog_secrets s WHERE s.id = r.secret_id)
          WHEN 'ROLE' THEN (SELECT rt.slug || '/' || lower(r.environment::text) || '/' || ro.function FROM catalog_roles ro JOIN teams rt ON rt.id = ro.team_id WHERE ro.id = r.role_id)
          ELSE r.proposed_secret->>'name' END, '?'),
        'requesterId', r.requester_id, 'requesterName', (SELECT u.name FROM users u WHERE u.id = r.requester_id),
        'teamId', r.team_id, 'teamName', (SELECT t.name FROM teams t WHERE t.id = r.team_id),
        'durationMinutes', r.duration_minutes, 'startsAt', ${isoTimestamp(Prisma.sql`r.starts_at`)}, 'ticketRef', r.ticket_ref,
        'approvals', (SELECT count(*)::int FROM decisions d WHERE d.request_id = r.id AND d.kind = 'APPROVE'),
        'approvalsRequired', r.approvals_required, 'breakGlass', r.break_glass,
        'breakGlassReviewOutcome', (SELECT b.outcome FROM break_glass_reviews b WHERE b.request_id = r.id),
        'extendsRequestId', r.extends_request_id, 'createdAt', ${isoTimestamp(Prisma.sql`r.created_at`)},
        'decidedAt', ${isoTimestamp(Prisma.sql`r.decided_at`)}, 'pendingExpiresAt', ${isoTimestamp(Prisma.sql`r.pending_expires_at`)}
      ) AS row
      FROM access_requests r
      WHERE ${Prisma.join(
        conditions.map((c) => Prisma.sql`(${c})`),
        ' AND ',
      )}
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT ${sqlLimit(filter.limit + 1)}
    ), shown AS (
      SELECT * FROM page ORDER BY created_at DESC, id DESC LIMIT ${sqlLimit(filter.limit)}
    )
    SELECT COALESCE((SELECT json_agg(row ORDER BY created_at DESC, id DESC) FROM shown)::text, '[]') AS rows,
      (SELECT count(*) FROM page) > ${sqlLimit(filter.limit)} AS more,
      (SELECT (extract(epoch FROM created_at) * 1000)::bigint::text || '_' || id FROM shown ORDER BY created_at, id LIMIT 1) AS last`;
}

/** A page of requests, newest first, as objects (the requests page). */
export async function listRequests(
  filter: ListRequestsInput,
  requesterId: string | null,
  db: PrismaClient = prisma(),
): Promise<{ requests: RequestSummary[]; nextCursor: string | null }> {
  return parseWithDates(await listRequestsJson(filter, requesterId, db), SUMMARY_DATES);
}

/** One request with what its page shows; null when it does not exist. */
export async function findRequestView(id: string, db: PrismaClient = prisma()): Promise<RequestView | null> {
  const row = await db.accessRequest.findUnique({ where: { id }, select: listSelect });
  return row ? toView(row) : null;
}

/** The decisions of a request with approver names, oldest first. */
export async function listDecisionViews(requestId: string, db: PrismaClient = prisma()) {
  return db.decision.findMany({
    where: { requestId },
    select: { id: true, kind: true, capacity: true, comment: true, createdAt: true, approver: { select: { id: true, name: true } } },
    orderBy: { createdAt: 'asc' },
  });
}

/** Pending requests the user may decide and has not decided yet, oldest first. */
/** The most requests the approval queue reads at once (the API; the page shows fewer, in steps). */
export const APPROVAL_QUEUE_MAX = 200;

export async function listApprovalQueue(actor: Actor, now: Date, db: PrismaClient = prisma(), limit = APPROVAL_QUEUE_MAX): Promise<RequestView[]> {
  const userId = actor.id;
  const rows = await db.accessRequest.findMany({
    where: {
      status: 'PENDING',
      pendingExpiresAt: { gt: now },
      requesterId: { not: userId },
      OR: [{ eligibleSecurityIds: { has: userId } }, { eligibleLeadIds: { has: userId } }],
      decisions: { none: { approverId: userId } },
    },
    select: listSelect,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: Math.min(Math.max(1, limit), APPROVAL_QUEUE_MAX),
  });
  // On the frozen list is not enough: an approver who lost the role or the lead since no longer decides (decision 028).
  return rows.map(toView).filter((r) => canDecideNow(actor, r, r.decidedBy, now));
}

/** What an approver sees of a requester at a glance (docs/decisions/050-tables.md). */
export interface RequesterHistory {
  /** Requests made in the last 90 days (the one being decided included), at most HISTORY_CAP. */
  total: number;
  /** More than HISTORY_CAP requests in 90 days (an automated requester): total and the counts are of the newest HISTORY_CAP. */
  capped: boolean;
  /** Of those, approved (whether the access is still waiting, running or over). */
  approved: number;
  rejected: number;
  /** When the requester's most recent access began, among their newest HISTORY_CAP requests; null when none. */
  lastGrantAt: Date | null;
}

/**
 * How many of a requester's requests the history reads at most. Counting every request of every
 * requester in the queue cost PostgreSQL 45 ms a page (issue 20: four requesters with 25,000
 * requests each, 7 approvals pages a second under load); bounded, each requester costs one short
 * walk of its (requester_id, created_at) index.
 */
export const HISTORY_CAP = 1000;

/**
 * How each requester's earlier requests went: one statement for the whole queue (no query per
 * row), each requester read newest first over its (requester_id, created_at) index, at most
 * HISTORY_CAP requests each.
 */
export async function requesterHistory(requesterIds: string[], now: Date, db: PrismaClient = prisma()): Promise<Map<string, RequesterHistory>> {
  const out = new Map<string, RequesterHistory>();
  if (requesterIds.length === 0) return out;
  const since = new Date(now.getTime() - 90 * 24 * 3600_000);
  const rows = await db.$queryRaw<{ requester_id: string; total: number; approved: number; rejected: number; last_grant_at: Date | null }[]>`
    SELECT u.id AS requester_id, h.total, h.approved, h.rejected, lg.last_grant_at
    FROM unnest(ARRAY[${Prisma.join(requesterIds)}]::text[]) AS u(id)
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS total,
        count(*) FILTER (WHERE recent.n <= ${HISTORY_CAP} AND recent.status IN ('APPROVED', 'ACTIVE', 'ENDED'))::int AS approved,
        count(*) FILTER (WHERE recent.n <= ${HISTORY_CAP} AND recent.status = 'REJECTED')::int AS rejected
      FROM (SELECT r.status, row_number() OVER (ORDER BY r.created_at DESC, r.id DESC) AS n
            FROM access_requests r WHERE r.requester_id = u.id AND r.created_at >= ${since}
            ORDER BY r.created_at DESC, r.id DESC LIMIT ${HISTORY_CAP + 1}) recent
    ) h
    CROSS JOIN LATERAL (
      SELECT max(g.starts_at) FILTER (WHERE g.starts_at <= ${now}) AS last_grant_at
      FROM (SELECT r.id FROM access_requests r WHERE r.requester_id = u.id ORDER BY r.created_at DESC, r.id DESC LIMIT ${HISTORY_CAP}) newest
      JOIN grants g ON g.request_id = newest.id
    ) lg
    WHERE EXISTS (SELECT 1 FROM access_requests r WHERE r.requester_id = u.id)`;
  for (const r of rows) {
    const capped = r.total > HISTORY_CAP;
    out.set(r.requester_id, {
      total: Math.min(r.total, HISTORY_CAP),
      capped,
      approved: r.approved,
      rejected: r.rejected,
      lastGrantAt: r.last_grant_at === null ? null : new Date(r.last_grant_at),
    });
  }
  return out;
}

/** Break-glass uses, unreviewed first. */
export async function listBreakGlass(db: PrismaClient = prisma()): Promise<RequestView[]> {
  const rows = await db.accessRequest.findMany({ where: { breakGlass: true }, select: listSelect, orderBy: [{ createdAt: 'desc' }], take: 200 });
  return rows.map(toView).sort((a, b) => Number(a.breakGlassReview !== null) - Number(b.breakGlassReview !== null));
}

/** The requester's requests whose grant is active in AWS now, with the grant, the soonest end first. */
export async function listActiveGrantsOf(requesterId: string, db: PrismaClient = prisma()): Promise<(RequestView & { grant: GrantView })[]> {
  const rows = await db.accessRequest.findMany({
    where: { requesterId, grant: { status: 'ACTIVE' } },
    select: { ...listSelect, grant: { select: grantViewSelect } },
    orderBy: [{ grant: { endsAt: 'asc' } }, { id: 'asc' }],
    take: 50,
  });
  return rows.flatMap(({ grant, ...row }) => (grant ? [{ ...toView(row), grant: toGrantView(grant) }] : []));
}

/** Break-glass uses nobody has reviewed yet, oldest first. */
export async function listUnreviewedBreakGlass(db: PrismaClient = prisma()): Promise<RequestView[]> {
  const rows = await db.accessRequest.findMany({
    where: { breakGlass: true, breakGlassReview: null },
    select: listSelect,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 50,
  });
  return rows.map(toView);
}
