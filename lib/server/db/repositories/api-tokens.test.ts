import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken } from '@/lib/tokens/token';
import {
  findApiTokenByHash,
  insertApiToken,
  listApiTokens,
  MAX_USABLE_TOKENS,
  recordApiTokenUse,
  revokeApiToken,
} from '@/lib/server/db/repositories/api-tokens';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

const MINJI = { id: 'usr_minji_kim', name: 'Minji Kim' };
const DANIEL = { id: 'usr_daniel_okafor', name: 'Daniel Okafor' };
const ADMIN = { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' };
const ORIGIN = { ip: '203.0.113.9', userAgent: 'gatehouse-cli/0.1.0' };
const PERIODS = { stampEveryMs: 60_000, auditAfterMs: 3600_000 };

describe.each(testDatabaseKinds())('API tokens on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await db.prisma.user.createMany({
      data: [MINJI, DANIEL, ADMIN].map((u) => ({ ...u, email: `${u.id}@example.com`, roles: u === ADMIN ? ['ADMIN' as const] : ['ENGINEER' as const] })),
    });
  });
  afterAll(async () => db.drop());

  const events = async (id: string) =>
    (await db.prisma.auditEvent.findMany({ where: { targetId: id }, orderBy: { seq: 'asc' }, select: { action: true, actorId: true, ip: true } })).map(
      (e) => `${e.action} by ${e.actorId} from ${e.ip}`,
    );

  it('keeps only the hash, audits creation, and finds the token by its hash', async () => {
    const { token, hash, hint } = generateApiToken();
    const now = new Date('2026-12-07T10:00:00Z');
    const created = await insertApiToken(
      { userId: MINJI.id, name: 'laptop', hash, hint, scopes: ['read', 'request'], expiresAt: new Date('2027-01-06T10:00:00Z') },
      MINJI,
      ORIGIN,
      now,
      db.prisma,
    );
    expect(created).toMatchObject({
      userId: MINJI.id,
      userName: 'Minji Kim',
      name: 'laptop',
      hint: token.slice(-4),
      scopes: ['read', 'request'],
      revokedAt: null,
    });
    const stored = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
    expect(stored.tokenHash).toBe(hashApiToken(token));
    expect(await findApiTokenByHash(hashApiToken(token), db.prisma)).toMatchObject({ id: created.id, userId: MINJI.id, scopes: ['read', 'request'] });
    expect(await findApiTokenByHash(hashApiToken(`${token}x`), db.prisma)).toBeNull();
    expect(await events(created.id)).toEqual([`api_token.created by ${MINJI.id} from 203.0.113.9`]);
  });

  it('stamps the last use at most once a minute and audits the first use per hour', async () => {
    const { hash, hint } = generateApiToken();
    const t0 = new Date('2026-12-07T10:00:00Z');
    const { id } = await insertApiToken(
      { userId: MINJI.id, name: 'ci', hash, hint, scopes: ['read'], expiresAt: new Date('2027-01-01') },
      MINJI,
      null,
      t0,
      db.prisma,
    );
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect(await recordApiTokenUse(id, MINJI, ORIGIN, at(1_000), PERIODS, db.prisma)).toBe(true);
    expect(await recordApiTokenUse(id, MINJI, ORIGIN, at(30_000), PERIODS, db.prisma)).toBe(false);
    expect(await recordApiTokenUse(id, MINJI, ORIGIN, at(61_000), PERIODS, db.prisma)).toBe(true);
    // Stamped again, but within the hour of the last use: not audited again.
    expect(await recordApiTokenUse(id, MINJI, ORIGIN, at(30 * 60_000), PERIODS, db.prisma)).toBe(true);
    // Idle for more than an hour: the next use is audited.
    expect(await recordApiTokenUse(id, MINJI, ORIGIN, at(30 * 60_000 + 3600_000), PERIODS, db.prisma)).toBe(true);
    expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(at(30 * 60_000 + 3600_000));
    expect(await events(id)).toEqual([
      `api_token.created by ${MINJI.id} from null`,
      `api_token.used by ${MINJI.id} from 203.0.113.9`,
      `api_token.used by ${MINJI.id} from 203.0.113.9`,
    ]);
  });

  it("revokes one's own token once, answers another user's as missing, and lets an admin revoke anyone's", async () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const make = async (owner: typeof MINJI, name: string) => {
      const { hash, hint } = generateApiToken();
      return (await insertApiToken({ userId: owner.id, name, hash, hint, scopes: ['read'], expiresAt: new Date('2027-01-01') }, owner, null, now, db.prisma))
        .id;
    };
    const mine = await make(MINJI, 'mine');
    const his = await make(DANIEL, 'his');
    await expect(revokeApiToken(his, MINJI.id, MINJI, ORIGIN, now, db.prisma)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: his } })).revokedAt).toBeNull();
    expect(await revokeApiToken(mine, MINJI.id, MINJI, ORIGIN, now, db.prisma)).toMatchObject({ id: mine, revokedAt: now });
    await expect(revokeApiToken(mine, MINJI.id, MINJI, ORIGIN, now, db.prisma)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await revokeApiToken(his, null, ADMIN, ORIGIN, now, db.prisma)).toMatchObject({ id: his, userId: DANIEL.id });
    expect(await events(his)).toEqual([`api_token.created by ${DANIEL.id} from null`, `api_token.revoked by ${ADMIN.id} from 203.0.113.9`]);
    // Everyone's usable tokens leave out revoked and expired ones; one's own list keeps them.
    const usable = (await listApiTokens(null, now, db.prisma)).map((t) => t.id);
    expect(usable).not.toContain(mine);
    expect(usable).not.toContain(his);
    expect((await listApiTokens(MINJI.id, now, db.prisma)).map((t) => t.id)).toContain(mine);
    expect((await listApiTokens(null, new Date('2027-02-01'), db.prisma)).length).toBe(0);
  });

  it(`refuses a token beyond ${MAX_USABLE_TOKENS} usable ones per user, and writes nothing`, async () => {
    const owner = { id: 'usr_many', name: 'Many Tokens' };
    await db.prisma.user.create({ data: { ...owner, email: 'many@example.com', roles: ['ENGINEER'] } });
    const now = new Date('2026-12-07T10:00:00Z');
    const make = (expiresAt: Date) => {
      const { hash, hint } = generateApiToken();
      return insertApiToken({ userId: owner.id, name: 'one of many', hash, hint, scopes: ['read'], expiresAt }, owner, null, now, db.prisma);
    };
    // An expired token does not count.
    await make(new Date('2026-12-01'));
    for (let i = 0; i < MAX_USABLE_TOKENS; i++) await make(new Date('2027-01-01'));
    await expect(make(new Date('2027-01-01'))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await db.prisma.apiToken.count({ where: { userId: owner.id } })).toBe(MAX_USABLE_TOKENS + 1);
    expect(await db.prisma.auditEvent.count({ where: { action: 'api_token.created', actorId: owner.id } })).toBe(MAX_USABLE_TOKENS + 1);
  });
});
