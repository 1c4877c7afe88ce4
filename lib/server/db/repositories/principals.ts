import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { AppError } from '@/lib/errors';
import { auditEntry, isUnchanged, type AuditActor, type RequestOrigin } from '@/lib/audit/model';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

/** What the sandbox account must contain for the portal's data: principals and catalog secrets. */
export async function listSandboxSeed(db: PrismaClient = prisma()) {
  const [principals, catalogSecrets] = await Promise.all([
    db.awsPrincipal.findMany({ select: { kind: true, name: true, arn: true } }),
    db.catalogSecret.findMany({ select: { name: true, arn: true, environment: true, team: { select: { slug: true } } } }),
  ]);
  return { principals, catalogSecrets: catalogSecrets.map((s) => ({ name: s.name, arn: s.arn, environment: s.environment, teamSlug: s.team.slug })) };
}

/**
 * Maps a user to an AWS principal (or changes it), with an audit event ('principal.updated'), in one
 * transaction. Saving the mapping the user already has writes nothing. Returns false for an unknown user.
 */
export async function setPrincipal(
  input: { userId: string; kind: 'IAM_USER' | 'IAM_ROLE'; name: string; arn: string },
  actor: AuditActor,
  origin: RequestOrigin | null,
  db: PrismaClient = prisma(),
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true } });
    if (!user) return false;
    const before = await tx.awsPrincipal.findUnique({ where: { userId: input.userId }, select: { kind: true, name: true, arn: true } });
    const taken = await tx.awsPrincipal.findFirst({ where: { arn: input.arn, userId: { not: input.userId } }, select: { userId: true } });
    if (taken) throw new AppError('CONFLICT', 'That AWS identity is already mapped to another user.');
    const after = { kind: input.kind, name: input.name, arn: input.arn };
    if (isUnchanged(before, after)) return true;
    await tx.awsPrincipal.upsert({
      where: { userId: input.userId },
      create: { userId: input.userId, kind: input.kind, name: input.name, arn: input.arn },
      update: { kind: input.kind, name: input.name, arn: input.arn },
    });
    await appendAuditEvent(tx, auditEntry(actor, 'principal.updated', { type: 'user', id: input.userId }, { before, after }, new Date()), origin);
    return true;
  });
}

/** Every user's AWS identity, for the admin page. */
export async function listPrincipals(db: PrismaClient = prisma()): Promise<Map<string, string>> {
  const rows = await db.awsPrincipal.findMany({ select: { userId: true, arn: true } });
  return new Map(rows.map((r) => [r.userId, r.arn]));
}
