import { afterEach, describe, expect, it } from 'vitest';
import { databaseOutageSince, registerDatabaseProbe, resetDatabaseOutage, suspectDatabaseOutage } from '@/lib/server/db/outage';

afterEach(() => resetDatabaseOutage());

/** A probe that fails while `down` is true, counting its calls. */
function fakeDatabase() {
  const db = { down: false, calls: 0, hang: false };
  registerDatabaseProbe(async () => {
    db.calls++;
    if (db.hang) await new Promise(() => {});
    if (db.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  });
  return db;
}

describe('database outage', () => {
  it('does nothing without a registered probe (the embedded database)', async () => {
    await suspectDatabaseOutage({ log: () => {} });
    expect(databaseOutageSince()).toBeNull();
  });

  it('a suspicion the probe disproves opens nothing', async () => {
    const db = fakeDatabase();
    const lines: string[] = [];
    await suspectDatabaseOutage({ log: (l) => lines.push(l) });
    expect(db.calls).toBe(1);
    expect(databaseOutageSince()).toBeNull();
    expect(lines).toEqual([]);
  });

  it('a failed probe confirms the outage; probing goes on until the database answers, then it ends', async () => {
    const db = fakeDatabase();
    db.down = true;
    const lines: string[] = [];
    let t = 1_000_000;
    const probing = suspectDatabaseOutage({ intervalMs: 5, log: (l) => lines.push(l), now: () => t });
    await expect.poll(() => db.calls).toBeGreaterThanOrEqual(3);
    expect(databaseOutageSince()).toEqual(new Date(1_000_000));
    // One prober per process: more suspicions while it runs add no probes of their own.
    const before = db.calls;
    await suspectDatabaseOutage({ intervalMs: 5, log: () => {} });
    expect(db.calls - before).toBeLessThanOrEqual(1);
    t += 10_000;
    db.down = false;
    await probing;
    expect(databaseOutageSince()).toBeNull();
    expect(lines[0]).toMatch(/not answering \(connect ECONNREFUSED 127\.0\.0\.1:5432\)/);
    expect(lines.at(-1)).toMatch(/answers again after 10\.0 s/);
    expect(lines).toHaveLength(2);
  });

  it('a probe that hangs counts as failed after its timeout', async () => {
    const db = fakeDatabase();
    db.hang = true;
    void suspectDatabaseOutage({ probeTimeoutMs: 20, intervalMs: 5, log: () => {} });
    await expect.poll(() => databaseOutageSince()).not.toBeNull();
    db.hang = false;
    await expect.poll(() => databaseOutageSince()).toBeNull();
  });

  it('probes the database registered now (one reopened meanwhile), and ends the outage when none is left', async () => {
    const old = fakeDatabase();
    old.down = true;
    const probing = suspectDatabaseOutage({ intervalMs: 5, log: () => {} });
    await expect.poll(() => databaseOutageSince()).not.toBeNull();
    // Reopened: the new database answers, the closed one never will.
    const reopened = fakeDatabase();
    await probing;
    expect(reopened.calls).toBeGreaterThanOrEqual(1);
    expect(databaseOutageSince()).toBeNull();
    // Closed with no successor (closeDb): probing stops and no outage is held without a prober.
    reopened.down = true;
    const again = suspectDatabaseOutage({ intervalMs: 5, log: () => {} });
    await expect.poll(() => databaseOutageSince()).not.toBeNull();
    registerDatabaseProbe(null);
    await again;
    expect(databaseOutageSince()).toBeNull();
  });

  it('keeps probing when the log itself throws', async () => {
    const db = fakeDatabase();
    db.down = true;
    const probing = suspectDatabaseOutage({
      intervalMs: 5,
      log: () => {
        throw new Error('log sink gone');
      },
    });
    await expect.poll(() => db.calls).toBeGreaterThanOrEqual(3);
    expect(databaseOutageSince()).not.toBeNull();
    db.down = false;
    await probing;
    expect(databaseOutageSince()).toBeNull();
  });
});
