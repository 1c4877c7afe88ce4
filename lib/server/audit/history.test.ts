import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCheckpoint, signCheckpoint, type CheckpointDeps } from '@/lib/audit/checkpoint';
import { hashEvent, type ChainedEvent } from '@/lib/audit/hash-chain';
import type { AuditEntry } from '@/lib/audit/model';
import { createFileCheckpointStore } from '@/lib/server/audit/checkpoint-file';
import { AUDIT_CHECKPOINT_EVERY_MS, runAuditCheckpoint, verifyAuditHistory } from '@/lib/server/audit/history';
import { readAuditHead, streamAuditEvents, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { asAuditTableOwner, createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { auditCheckpointJob, startJobs } from '@/lib/server/jobs/scheduler';

const KEY = Buffer.from('test-only-audit-checkpoint-key-0123456789', 'utf8');
const T0 = Date.parse('2026-12-01T09:00:00.000Z');

const entry = (i: number): AuditEntry => ({
  occurredAt: new Date(T0 + i * 1000),
  actorId: 'usr_minji',
  actorName: 'Minji Kim',
  action: 'request.created',
  targetType: 'request',
  targetId: `req_${i}`,
  environment: 'DEV',
  teamId: 'team_payments',
  requestId: `req_${i}`,
  after: { status: 'PENDING', n: i },
});

describe.each(testDatabaseKinds())('audit history integrity on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dir: string;
  let deps: CheckpointDeps;
  let file: string;
  let appended = 0;

  const append = async (n: number) => {
    for (let i = 0; i < n; i++) {
      appended++;
      await db.prisma.$transaction((tx) => appendAuditEvent(tx, entry(appended), { ip: '10.0.0.1', userAgent: 'vitest' }));
    }
  };
  const records = () =>
    fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { seq: number; hash: string; at: string })
      : [];

  /** What someone with the database owner's rights does: edit event `fromSeq`, re-hash and re-link every later one, move the head. */
  const rehashFrom = (fromSeq: number) =>
    asAuditTableOwner(db, async () => {
      const rows = [];
      for await (const row of streamAuditEvents({}, db.prisma)) rows.push(row);
      let prevHash = rows.find((r) => r.seq === fromSeq - 1)?.hash ?? '0'.repeat(64);
      for (const row of rows.filter((r) => r.seq >= fromSeq)) {
        const changed: ChainedEvent = { ...row, prevHash, actorName: row.seq === fromSeq ? 'Someone Else' : row.actorName };
        const hash = hashEvent(changed);
        await db.prisma.auditEvent.update({ where: { seq: row.seq }, data: { actorName: changed.actorName, prevHash, hash } });
        prevHash = hash;
      }
      await db.prisma.auditHead.update({ where: { id: 1 }, data: { seq: rows.at(-1)!.seq, hash: prevHash } });
    });

  beforeEach(async () => {
    db = await createTestDatabase(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-checkpoints-'));
    file = path.join(dir, 'audit-checkpoints.log');
    deps = { store: createFileCheckpointStore(file), key: KEY, now: () => new Date() };
    appended = 0;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the database', () => {
    it('refuses UPDATE, DELETE and TRUNCATE of audit events, and appending still works', async () => {
      await append(3);
      await expect(db.prisma.$executeRawUnsafe(`UPDATE audit_events SET actor_name = 'Someone Else' WHERE seq = 2`)).rejects.toThrow(
        /append-only: UPDATE on audit_events refused/,
      );
      await expect(db.prisma.$executeRawUnsafe('DELETE FROM audit_events WHERE seq = 3')).rejects.toThrow(/append-only: DELETE on audit_events refused/);
      await expect(db.prisma.$executeRawUnsafe('TRUNCATE audit_events CASCADE')).rejects.toThrow(/append-only: TRUNCATE on audit_events refused/);
      await expect(db.prisma.auditEvent.updateMany({ data: { actorName: 'x' } })).rejects.toThrow(/append-only/);
      await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
      expect(await db.prisma.auditEvent.count()).toBe(3);
      expect((await db.prisma.auditEvent.findUniqueOrThrow({ where: { seq: 2 } })).actorName).toBe('Minji Kim');
      await append(1);
      expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 4 });
    });

    it('moves the head only forward, onto an event that exists with that hash, and never removes it', async () => {
      await append(3);
      const head = (await readAuditHead(db.prisma))!;
      const second = await db.prisma.auditEvent.findUniqueOrThrow({ where: { seq: 2 } });
      await expect(db.prisma.auditHead.update({ where: { id: 1 }, data: { seq: 2, hash: second.hash } })).rejects.toThrow(/only moves forward/);
      await expect(db.prisma.auditHead.update({ where: { id: 1 }, data: { seq: 4, hash: head.hash } })).rejects.toThrow(/must name an existing event/);
      await expect(db.prisma.auditHead.update({ where: { id: 1 }, data: { hash: 'f'.repeat(64) } })).rejects.toThrow(/only moves forward/);
      await expect(db.prisma.auditHead.delete({ where: { id: 1 } })).rejects.toThrow(/cannot be removed/);
      await expect(db.prisma.$executeRawUnsafe('TRUNCATE audit_head')).rejects.toThrow(/append-only: TRUNCATE on audit_head refused/);
      await expect(db.prisma.auditHead.create({ data: { id: 2, seq: 3, hash: head.hash } })).rejects.toThrow(/one row with id 1/);
      expect(await readAuditHead(db.prisma)).toEqual(head);
    });
  });

  describe('verification against checkpoints outside the database', () => {
    it('writes a signed checkpoint of the verified head on every verification', async () => {
      await append(5);
      const first = await verifyAuditHistory(db.prisma, deps);
      expect(first).toMatchObject({ ok: true, checked: 5, firstBreak: null, checkpoints: { read: 0, latest: null, written: { seq: 5 } } });
      await append(2);
      const second = await verifyAuditHistory(db.prisma, deps);
      expect(second).toMatchObject({ ok: true, checked: 7, checkpoints: { read: 1, latest: { seq: 5 }, written: { seq: 7 } } });
      const head = (await readAuditHead(db.prisma))!;
      expect(records()).toEqual([
        { v: 1, seq: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: first.checkpoints.written!.at, sig: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { v: 1, seq: 7, hash: head.hash, at: second.checkpoints.written!.at, sig: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    });

    it('reports a rewrite with everything after it re-hashed and the head moved, at the first checkpoint that disagrees', async () => {
      await append(3);
      await runAuditCheckpoint(db.prisma, deps); // seq 3
      await append(5);
      await runAuditCheckpoint(db.prisma, deps); // seq 8
      await append(2);
      expect((await verifyAuditHistory(db.prisma, deps)).ok).toBe(true); // seq 10
      await rehashFrom(5);
      // The database's own chain is consistent again: without checkpoints nothing shows.
      expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true, checked: 10 });
      const report = await verifyAuditHistory(db.prisma, deps);
      expect(report).toMatchObject({ ok: false, firstBreak: { seq: 8, reason: 'checkpoint-mismatch', since: 3, checkpointAt: records()[1]!.at } });
      // A broken history is not checkpointed.
      expect(report.checkpoints.written).toBeNull();
      expect(records()).toHaveLength(3);
    });

    it('reports a rewrite of everything from the first event on, with only the latest checkpoint', async () => {
      await append(6);
      await verifyAuditHistory(db.prisma, deps);
      await rehashFrom(1);
      expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
      expect((await verifyAuditHistory(db.prisma, deps)).firstBreak).toEqual({
        seq: 6,
        reason: 'checkpoint-mismatch',
        since: 0,
        checkpointAt: records()[0]!.at,
      });
    });

    it('reports the last three events cut and the head moved back as the first missing seq', async () => {
      await append(10);
      await verifyAuditHistory(db.prisma, deps);
      await asAuditTableOwner(db, async () => {
        await db.prisma.auditEvent.deleteMany({ where: { seq: { gt: 7 } } });
        const seven = await db.prisma.auditEvent.findUniqueOrThrow({ where: { seq: 7 } });
        await db.prisma.auditHead.update({ where: { id: 1 }, data: { seq: 7, hash: seven.hash } });
      });
      expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
      expect((await verifyAuditHistory(db.prisma, deps)).firstBreak).toEqual({ seq: 8, reason: 'missing' });
    });

    it('reports a deleted row as that seq missing', async () => {
      await append(6);
      await asAuditTableOwner(db, () => db.prisma.auditEvent.delete({ where: { seq: 4 } }));
      expect((await verifyAuditHistory(db.prisma, deps)).firstBreak).toEqual({ seq: 4, reason: 'missing' });
    });

    it('reports a forged checkpoint (bad HMAC, or signed with another key) and ignores what it claims', async () => {
      await append(4);
      await verifyAuditHistory(db.prisma, deps);
      const genuine = records()[0]!;
      // Claims another hash for seq 4, as someone who can write the store but lacks the key would.
      fs.appendFileSync(file, `${JSON.stringify({ ...genuine, hash: 'e'.repeat(64) })}\n`);
      const report = await verifyAuditHistory(db.prisma, deps);
      expect(report).toMatchObject({ ok: false, firstBreak: { seq: 4, reason: 'checkpoint-signature' }, checkpoints: { read: 2, written: null } });

      fs.writeFileSync(
        file,
        `${formatCheckpoint(signCheckpoint(Buffer.from('another-key-that-is-not-ours-0123456789'), { seq: 2, hash: genuine.hash, at: genuine.at }))}\nnot json\n`,
      );
      expect((await verifyAuditHistory(db.prisma, deps)).firstBreak).toEqual({ seq: 0, reason: 'checkpoint-signature' });
    });
  });

  describe('the checkpoint job', () => {
    // Many short steps of real database work on a shared machine: more time than the default.
    it('checkpoints the head within a minute while events are appended, and writes nothing when none were', { timeout: 60_000 }, async () => {
      // Only the interval and the wall clock are fake: the database keeps its real timers.
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: T0 });
      let running: Promise<unknown> = Promise.resolve();
      const stop = startJobs([auditCheckpointJob(() => (running = runAuditCheckpoint(db.prisma, deps)))]);
      /** Lets `ms` of fake time pass in 20 s steps, each tick's database and file work finished before the clock moves on. */
      const pass = async (ms: number) => {
        for (let t = 0; t < ms; t += 20_000) {
          await vi.advanceTimersByTimeAsync(20_000);
          await running;
        }
      };
      try {
        expect(AUDIT_CHECKPOINT_EVERY_MS).toBeLessThanOrEqual(60_000);
        await pass(60_000);
        expect(records()).toEqual([]); // no events yet: nothing to checkpoint

        await append(3);
        const appendedAt = Date.now();
        await pass(60_000);
        const head3 = (await readAuditHead(db.prisma))!;
        expect(records()).toEqual([expect.objectContaining({ seq: 3, hash: head3.hash })]);
        expect(Date.parse(records()[0]!.at) - appendedAt).toBeLessThanOrEqual(60_000);

        await pass(180_000);
        expect(records()).toHaveLength(1); // the head has not moved: nothing new

        await append(2);
        const appendedAgainAt = Date.now();
        await pass(60_000);
        expect(records().map((r) => r.seq)).toEqual([3, 5]);
        expect(Date.parse(records()[1]!.at) - appendedAgainAt).toBeLessThanOrEqual(60_000);
        expect((await verifyAuditHistory(db.prisma, deps)).checkpoints).toMatchObject({ read: 2, latest: { seq: 5 } });
      } finally {
        stop();
      }
    });
  });
});
