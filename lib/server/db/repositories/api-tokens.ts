import 'server-only';
import { auditEntry, type AuditActor, type RequestOrigin } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import type { TokenScope } from '@/lib/identity/actor';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

/** A token as the token page lists it: never the token, never its hash. */
export interface ApiTokenView {
  id: string;
  userId: string;
  userName: string;
  name: string;
  hint: string;
  scopes: TokenScope[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** What a Bearer call is checked against. */
export interface ApiTokenAuth {
  id: string;
  userId: string;
  scopes: TokenScope[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const viewSelect = {
  id: true,
  userId: true,
  name: true,
  hint: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  user: { select: { name: true } },
} as const;

type ViewRow = Omit<ApiTokenView, 'userName'> & { user: { name: string } };

function toView({ user, ...row }: ViewRow): ApiTokenView {
  return { ...row, userName: user.name };
}

/** A user holds at most this many unrevoked, unexpired tokens: each is a way in to keep track of. */
export const MAX_USABLE_TOKENS = 20;

/** Stores a new token (its hash only) and audits it as api_token.created, together; 409 past MAX_USABLE_TOKENS. */
export async function insertApiToken(
  token: { userId: string; name: string; hash: string; hint: string; scopes: TokenScope[]; expiresAt: Date },
  actor: AuditActor,
  origin: RequestOrigin | null,
  now: Date,
  db: PrismaClient = prisma(),
): Promise<ApiTokenView> {
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        userId: token.userId,
        name: token.name,
        tokenHash: token.hash,
        hint: token.hint,
        scopes: token.scopes,
        expiresAt: token.expiresAt,
        createdAt: now,
      },
      select: viewSelect,
    });
    await appendAuditEvent(
      tx,
      auditEntry(
        actor,
        'api_token.created',
        { type: 'api_token', id: row.id },
        { after: { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt, ownerId: row.userId, hint: row.hint } },
        now,
      ),
      origin,
    );
    // Counted after the audit append, which holds the audit chain's lock until commit: two
    // creations at once are counted one after the other, so the limit is exact. Over it, all rolls back.
    const usable = await tx.apiToken.count({ where: { userId: token.userId, revokedAt: null, expiresAt: { gt: now } } });
    if (usable > MAX_USABLE_TOKENS) throw new AppError('CONFLICT', `You already have ${MAX_USABLE_TOKENS} usable tokens: revoke one you no longer use first.`);
    return toView(row);
  });
}

/** One user's tokens (userId) or everyone's still usable ones (null), newest first. */
export async function listApiTokens(userId: string | null, now: Date, db: PrismaClient = prisma()): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({
    where: userId ? { userId } : { revokedAt: null, expiresAt: { gt: now } },
    select: viewSelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
  });
  return rows.map(toView);
}

/**
 * Revokes a token and audits it as api_token.revoked, together. `ownerId` limits it to that user's
 * tokens (null: any user's, for security and admins). Another user's token answers as a missing
 * one (404); revoking twice is a 409.
 */
export async function revokeApiToken(
  tokenId: string,
  ownerId: string | null,
  actor: AuditActor,
  origin: RequestOrigin | null,
  now: Date,
  db: PrismaClient = prisma(),
): Promise<ApiTokenView> {
  return db.$transaction(async (tx) => {
    const where = ownerId ? { id: tokenId, userId: ownerId } : { id: tokenId };
    const found = await tx.apiToken.findFirst({ where, select: { id: true, revokedAt: true } });
    if (!found) throw new AppError('NOT_FOUND', 'No such token.');
    const { count } = await tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: now, revokedById: actor.id } });
    if (count === 0) throw new AppError('CONFLICT', 'This token is already revoked.');
    const row = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: viewSelect });
    await appendAuditEvent(
      tx,
      auditEntry(
        actor,
        'api_token.revoked',
        { type: 'api_token', id: tokenId },
        { before: { revokedAt: null }, after: { revokedAt: now, name: row.name, ownerId: row.userId } },
        now,
      ),
      origin,
    );
    return toView(row);
  });
}

/** The token with this hash, for authenticating a Bearer call; null when there is none. */
export async function findApiTokenByHash(hash: string, db: PrismaClient = prisma()): Promise<ApiTokenAuth | null> {
  return db.apiToken.findUnique({
    where: { tokenHash: hash },
    select: { id: true, userId: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
}

/**
 * Stamps a token's last use unless it was stamped less than `stampEveryMs` ago, and audits the use
 * (api_token.used) when the token had not been used for `auditAfterMs` (or ever) — all in one
 * transaction; the conditional update makes concurrent callers and replicas stamp once.
 * Returns true when it stamped.
 */
export async function recordApiTokenUse(
  tokenId: string,
  actor: AuditActor,
  origin: RequestOrigin | null,
  now: Date,
  { stampEveryMs, auditAfterMs }: { stampEveryMs: number; auditAfterMs: number },
  db: PrismaClient = prisma(),
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id: tokenId }, select: { lastUsedAt: true } });
    if (!row) return false;
    const previous = row.lastUsedAt;
    if (previous && now.getTime() - previous.getTime() < stampEveryMs) return false;
    const { count } = await tx.apiToken.updateMany({ where: { id: tokenId, lastUsedAt: previous }, data: { lastUsedAt: now } });
    if (count === 0) return false;
    if (!previous || now.getTime() - previous.getTime() >= auditAfterMs) {
      await appendAuditEvent(
        tx,
        auditEntry(actor, 'api_token.used', { type: 'api_token', id: tokenId }, { before: { lastUsedAt: previous }, after: { lastUsedAt: now } }, now),
        origin,
      );
    }
    return true;
  });
}
