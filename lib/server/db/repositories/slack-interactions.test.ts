import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlackInteraction } from '@/lib/server/db/repositories/slack-interactions';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

const now = new Date('2026-12-07T09:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);

describe.each(testDatabaseKinds())('recordSlackInteraction on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('records a signature once: the same one again is a replay', async () => {
    expect(await recordSlackInteraction('v0=aaa', later(300), now, db.prisma)).toBe(true);
    expect(await recordSlackInteraction('v0=aaa', later(300), now, db.prisma)).toBe(false);
    expect(await recordSlackInteraction('v0=bbb', later(300), now, db.prisma)).toBe(true);
  });

  it('of the same signature arriving at several replicas at once, exactly one is taken', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => recordSlackInteraction('v0=ccc', later(300), now, db.prisma)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets signatures whose five minutes have passed (their timestamp is refused anyway)', async () => {
    await recordSlackInteraction('v0=old', later(10), now, db.prisma);
    expect(await recordSlackInteraction('v0=new', later(400), later(11), db.prisma)).toBe(true);
    expect(await db.prisma.slackInteraction.findUnique({ where: { signature: 'v0=old' } })).toBeNull();
    expect(await db.prisma.slackInteraction.findUnique({ where: { signature: 'v0=new' } })).not.toBeNull();
  });
});
