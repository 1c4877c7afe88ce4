import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPrincipalSchema } from '@/lib/identity/schemas';
import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { setPrincipal } from '@/lib/server/identity';
import { createIdentityStore } from '@/lib/server/db/repositories/identity-write';
import { listPrincipals } from '@/lib/server/db/repositories/principals';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

describe('setPrincipalSchema', () => {
  it('derives kind and name from a user or role ARN (with a path)', () => {
    expect(setPrincipalSchema.parse({ userId: 'u', arn: 'arn:aws:iam::123456789012:user/jane.doe' })).toEqual({
      userId: 'u',
      arn: 'arn:aws:iam::123456789012:user/jane.doe',
      kind: 'IAM_USER',
      name: 'jane.doe',
    });
    expect(setPrincipalSchema.parse({ userId: 'u', arn: 'arn:aws:iam::123456789012:role/teams/payments-dev' })).toMatchObject({
      kind: 'IAM_ROLE',
      name: 'payments-dev',
    });
  });
  it.each([
    'arn:aws:iam::123456789012:group/admins',
    'arn:aws:sts::123456789012:assumed-role/x/y',
    'arn:aws:iam::12345:user/x',
    'jane.doe',
    'arn:aws:iam::123456789012:user/',
  ])('refuses %s', (arn) => {
    const r = setPrincipalSchema.safeParse({ userId: 'u', arn });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['arn']);
  });
});

describe.each(testDatabaseKinds())('principal mapping on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
  });
  afterAll(async () => db.drop());
  const admin = { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' };

  it('maps a user, audited with before and after; refuses an identity mapped to someone else', async () => {
    expect(
      await setPrincipal(
        { userId: 'usr_daniel_okafor', kind: 'IAM_ROLE', name: 'data-eng', arn: 'arn:aws:iam::111122223333:role/data-eng' },
        admin,
        null,
        createIdentityStore(db.prisma),
      ),
    ).toBe(true);
    expect((await listPrincipals(db.prisma)).get('usr_daniel_okafor')).toBe('arn:aws:iam::111122223333:role/data-eng');
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'principal.updated' } });
    expect(event.before).toEqual({ kind: 'IAM_USER', name: 'daniel.okafor', arn: 'arn:aws:iam::111122223333:user/daniel.okafor' });
    expect(event.after).toEqual({ kind: 'IAM_ROLE', name: 'data-eng', arn: 'arn:aws:iam::111122223333:role/data-eng' });
    await expect(
      setPrincipal(
        { userId: 'usr_minji_kim', kind: 'IAM_ROLE', name: 'data-eng', arn: 'arn:aws:iam::111122223333:role/data-eng' },
        admin,
        null,
        createIdentityStore(db.prisma),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(
      await setPrincipal(
        { userId: 'usr_nobody', kind: 'IAM_USER', name: 'x', arn: 'arn:aws:iam::111122223333:user/x' },
        admin,
        null,
        createIdentityStore(db.prisma),
      ),
    ).toBe(false);
    expect(await db.prisma.auditEvent.count({ where: { action: 'principal.updated' } })).toBe(1);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('writes nothing, audit included, when the mapping is saved unchanged', async () => {
    const mapping = { userId: 'usr_daniel_okafor', kind: 'IAM_ROLE' as const, name: 'data-eng', arn: 'arn:aws:iam::111122223333:role/data-eng' };
    const events = await db.prisma.auditEvent.count();
    const row = await db.prisma.awsPrincipal.findUniqueOrThrow({ where: { userId: mapping.userId }, select: { updatedAt: true } });
    expect(await setPrincipal(mapping, admin, null, createIdentityStore(db.prisma))).toBe(true);
    expect(await db.prisma.auditEvent.count()).toBe(events);
    expect(await db.prisma.awsPrincipal.findUniqueOrThrow({ where: { userId: mapping.userId }, select: { updatedAt: true } })).toEqual(row);
    // A real change after it is still recorded.
    expect(
      await setPrincipal(
        { ...mapping, kind: 'IAM_USER', name: 'daniel.okafor', arn: 'arn:aws:iam::111122223333:user/daniel.okafor' },
        admin,
        null,
        createIdentityStore(db.prisma),
      ),
    ).toBe(true);
    expect(await db.prisma.auditEvent.count({ where: { action: 'principal.updated' } })).toBe(2);
  });
});
