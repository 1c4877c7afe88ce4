import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPrincipalSchema } from '@/lib/identity/schemas';
import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { setPrincipal } from '@/lib/server/identity';
import { createIdentityStore } from '@/lib/server/db/repositories/identity-write';
import { listPrincipals } from '@/lib/server/db/repositories/principals';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

const DEV = '111122223333';
const PROD = '444455556666';
const ACCOUNTS = [DEV, PROD];

describe('setPrincipalSchema', () => {
  it("derives kind and name from a user or role ARN (with a path), in the row's account", () => {
    expect(setPrincipalSchema.parse({ userId: 'u', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/jane.doe' })).toEqual({
      userId: 'u',
      accountId: '123456789012',
      principal: { accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/jane.doe', kind: 'IAM_USER', name: 'jane.doe' },
    });
    expect(
      setPrincipalSchema.parse({ userId: 'u', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:role/teams/payments-dev' }).principal,
    ).toMatchObject({
      kind: 'IAM_ROLE',
      name: 'payments-dev',
    });
  });
  it('takes an empty ARN as "remove the mapping in this account"', () => {
    expect(setPrincipalSchema.parse({ userId: 'u', accountId: '123456789012', arn: '' })).toEqual({ userId: 'u', accountId: '123456789012', principal: null });
  });
  it.each([
    'arn:aws:iam::123456789012:group/admins',
    'arn:aws:sts::123456789012:assumed-role/x/y',
    'arn:aws:iam::12345:user/x',
    'jane.doe',
    'arn:aws:iam::123456789012:user/',
    // Another account's identity in this account's row.
    'arn:aws:iam::210987654321:user/jane.doe',
  ])('refuses %s', (arn) => {
    const r = setPrincipalSchema.safeParse({ userId: 'u', accountId: '123456789012', arn });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['arn']);
  });
  it('refuses an account id that is not 12 digits', () => {
    expect(setPrincipalSchema.safeParse({ userId: 'u', accountId: '1234', arn: '' }).error?.issues[0]?.path).toEqual(['accountId']);
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
  const map = (userId: string, accountId: string, arn: string | null) =>
    setPrincipal(
      { userId, accountId, principal: arn ? (setPrincipalSchema.parse({ userId, accountId, arn }).principal ?? null) : null },
      admin,
      null,
      createIdentityStore(db.prisma),
      ACCOUNTS,
    );

  it('maps a user in one account, audited with before and after; refuses an identity mapped to someone else', async () => {
    expect(await map('usr_daniel_okafor', DEV, `arn:aws:iam::${DEV}:role/data-eng`)).toBe(true);
    expect((await listPrincipals(db.prisma)).get('usr_daniel_okafor')?.get(DEV)).toBe(`arn:aws:iam::${DEV}:role/data-eng`);
    const event = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'principal.updated' } });
    expect(event.before).toEqual({ accountId: DEV, kind: 'IAM_USER', name: 'daniel.okafor', arn: `arn:aws:iam::${DEV}:user/daniel.okafor` });
    expect(event.after).toEqual({ accountId: DEV, kind: 'IAM_ROLE', name: 'data-eng', arn: `arn:aws:iam::${DEV}:role/data-eng` });
    await expect(map('usr_minji_kim', DEV, `arn:aws:iam::${DEV}:role/data-eng`)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await map('usr_nobody', DEV, `arn:aws:iam::${DEV}:user/x`)).toBe(false);
    expect(await db.prisma.auditEvent.count({ where: { action: 'principal.updated' } })).toBe(1);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('keeps one principal per account: mapping prod leaves dev as it was, and removing prod leaves dev', async () => {
    expect(await map('usr_minji_kim', PROD, `arn:aws:iam::${PROD}:user/minji.kim`)).toBe(true);
    const minji = (await listPrincipals(db.prisma)).get('usr_minji_kim');
    expect(Object.fromEntries(minji ?? [])).toEqual({ [DEV]: `arn:aws:iam::${DEV}:user/minji.kim`, [PROD]: `arn:aws:iam::${PROD}:user/minji.kim` });
    expect(await map('usr_minji_kim', PROD, null)).toBe(true);
    expect(Object.fromEntries((await listPrincipals(db.prisma)).get('usr_minji_kim') ?? [])).toEqual({ [DEV]: `arn:aws:iam::${DEV}:user/minji.kim` });
    const removed = await db.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'principal.updated', targetId: 'usr_minji_kim' },
      orderBy: { seq: 'desc' },
    });
    expect(removed.before).toMatchObject({ accountId: PROD, arn: `arn:aws:iam::${PROD}:user/minji.kim` });
    expect(removed.after).toBeNull();
    // Removing what is not there writes nothing.
    const events = await db.prisma.auditEvent.count();
    expect(await map('usr_minji_kim', PROD, null)).toBe(true);
    expect(await db.prisma.auditEvent.count()).toBe(events);
  });

  it('refuses an account the portal does not work in, and an ARN of another account, writing nothing', async () => {
    const events = await db.prisma.auditEvent.count();
    const other = '999999999999';
    await expect(map('usr_minji_kim', other, `arn:aws:iam::${other}:user/minji.kim`)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(
      setPrincipal(
        {
          userId: 'usr_minji_kim',
          accountId: PROD,
          principal: { accountId: DEV, kind: 'IAM_USER', name: 'minji.kim', arn: `arn:aws:iam::${DEV}:user/minji.kim` },
        },
        admin,
        null,
        createIdentityStore(db.prisma),
        ACCOUNTS,
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await db.prisma.auditEvent.count()).toBe(events);
    expect(await db.prisma.awsPrincipal.count({ where: { accountId: other } })).toBe(0);
  });

  it('writes nothing, audit included, when the mapping is saved unchanged', async () => {
    const arn = `arn:aws:iam::${DEV}:role/data-eng`;
    const events = await db.prisma.auditEvent.count();
    const where = { userId_accountId: { userId: 'usr_daniel_okafor', accountId: DEV } };
    const row = await db.prisma.awsPrincipal.findUniqueOrThrow({ where, select: { updatedAt: true } });
    expect(await map('usr_daniel_okafor', DEV, arn)).toBe(true);
    expect(await db.prisma.auditEvent.count()).toBe(events);
    expect(await db.prisma.awsPrincipal.findUniqueOrThrow({ where, select: { updatedAt: true } })).toEqual(row);
    // A real change after it is still recorded.
    expect(await map('usr_daniel_okafor', DEV, `arn:aws:iam::${DEV}:user/daniel.okafor`)).toBe(true);
    expect(await db.prisma.auditEvent.count({ where: { action: 'principal.updated', targetId: 'usr_daniel_okafor' } })).toBe(2);
  });
});
