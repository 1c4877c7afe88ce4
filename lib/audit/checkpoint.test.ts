import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointIfAdvanced, formatCheckpoint, readCheckpoint, readCheckpoints, signCheckpoint, type CheckpointStore } from '@/lib/audit/checkpoint';
import { verifyHistory } from '@/lib/audit/verify-history';
import type { ChainCheckpoint, ChainReport } from '@/lib/audit/hash-chain';

const KEY = Buffer.from('unit-test-audit-checkpoint-key-0123456789');
const OTHER = Buffer.from('someone-elses-key-0123456789-0123456789');
const H = (c: string) => c.repeat(64);
const AT = '2026-12-01T09:00:30.000Z';

/** An in-memory store that implements the port: lines appended, read back in order. */
function memoryStore(lines: string[] = []): CheckpointStore & { lines: string[] } {
  return {
    lines,
    location: 'memory',
    append: async (record) => void lines.push(record),
    readAll: async () => [...lines],
    readLatest: async () => lines.at(-1) ?? null,
  };
}

describe('signed checkpoints', () => {
  it('are HMAC-SHA256 over a domain tag, seq, hash and time, written as one line of JSON', () => {
    const signed = signCheckpoint(KEY, { seq: 12, hash: H('a'), at: AT });
    const expected = createHmac('sha256', KEY)
      .update(`gatehouse-audit-checkpoint/v1\n12\n${H('a')}\n${AT}`)
      .digest('hex');
    expect(signed).toEqual({ v: 1, seq: 12, hash: H('a'), at: AT, sig: expected });
    expect(formatCheckpoint(signed)).toBe(`{"v":1,"seq":12,"hash":"${H('a')}","at":"${AT}","sig":"${expected}"}`);
    expect(readCheckpoint(KEY, formatCheckpoint(signed))).toEqual({ ok: true, checkpoint: signed });
  });

  it.each([
    ['another hash', { hash: H('b') }],
    ['another seq', { seq: 13 }],
    ['another time', { at: '2026-12-01T09:01:30.000Z' }],
  ])('are refused when %s is claimed with the old signature', (_name, change) => {
    const signed = signCheckpoint(KEY, { seq: 12, hash: H('a'), at: AT });
    const forged = { ...signed, ...change };
    expect(readCheckpoint(KEY, JSON.stringify(forged))).toEqual({ ok: false, seq: forged.seq });
  });

  it('are refused when signed with another key, and records that are not checkpoints say which seq they claim', () => {
    expect(readCheckpoint(KEY, formatCheckpoint(signCheckpoint(OTHER, { seq: 3, hash: H('a'), at: AT })))).toEqual({ ok: false, seq: 3 });
    expect(readCheckpoint(KEY, 'not json')).toEqual({ ok: false, seq: 0 });
    expect(readCheckpoint(KEY, '{"seq":9}')).toEqual({ ok: false, seq: 9 });
    expect(readCheckpoint(KEY, JSON.stringify({ ...signCheckpoint(KEY, { seq: 3, hash: H('a'), at: AT }), sig: 'zz' }))).toEqual({ ok: false, seq: 3 });
  });

  it('are read from the store as the valid ones and the seqs of the forged ones, blank lines skipped', async () => {
    const good = signCheckpoint(KEY, { seq: 2, hash: H('a'), at: AT });
    const store = memoryStore([formatCheckpoint(good), '', formatCheckpoint(signCheckpoint(OTHER, { seq: 5, hash: H('b'), at: AT }))]);
    expect(await readCheckpoints({ store, key: KEY })).toEqual({ valid: [good], forged: [5] });
  });
});

describe('checkpointIfAdvanced (the job step)', () => {
  const deps = (store: CheckpointStore) => ({ store, key: KEY, now: () => new Date(AT) });

  it('writes nothing before the first event', async () => {
    const store = memoryStore();
    expect(await checkpointIfAdvanced(deps(store), null)).toBeNull();
    expect(store.lines).toEqual([]);
  });

  it('writes the head when the store is empty or behind it, and nothing when it is not', async () => {
    const store = memoryStore();
    expect(await checkpointIfAdvanced(deps(store), { seq: 4, hash: H('a') })).toMatchObject({ seq: 4, hash: H('a'), at: AT });
    expect(await checkpointIfAdvanced(deps(store), { seq: 4, hash: H('a') })).toBeNull();
    expect(await checkpointIfAdvanced(deps(store), { seq: 6, hash: H('b') })).toMatchObject({ seq: 6 });
    expect(store.lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([4, 6]);
  });

  it('does not trust a newest record it cannot verify: a forged "seq 99" does not stop checkpoints', async () => {
    const store = memoryStore([formatCheckpoint(signCheckpoint(OTHER, { seq: 99, hash: H('f'), at: AT }))]);
    expect(await checkpointIfAdvanced(deps(store), { seq: 4, hash: H('a') })).toMatchObject({ seq: 4 });
  });
});

describe('verifyHistory', () => {
  const report = (over: Partial<ChainReport> = {}): ChainReport => ({
    ok: true,
    checked: 4,
    firstBreak: null,
    head: { seq: 4, hash: H('d') },
    checkpoints: { read: 0, latest: null, written: null },
    verifiedAt: AT,
    ...over,
  });

  it('verifies against the valid checkpoints only, then checkpoints the verified head', async () => {
    const good = signCheckpoint(KEY, { seq: 2, hash: H('b'), at: AT });
    const store = memoryStore([formatCheckpoint(good)]);
    const given: ChainCheckpoint[][] = [];
    const out = await verifyHistory(async (c) => (given.push([...c]), report()), { store, key: KEY, now: () => new Date('2026-12-01T10:00:00.000Z') });
    expect(given).toEqual([[good]]);
    expect(out).toMatchObject({
      ok: true,
      checkpoints: { read: 1, latest: { seq: 2, hash: H('b'), at: AT }, written: { seq: 4, hash: H('d'), at: '2026-12-01T10:00:00.000Z' } },
    });
    expect(store.lines).toHaveLength(2);
  });

  it('reports the lowest forged checkpoint when the chain is intact, and writes no checkpoint', async () => {
    const store = memoryStore([
      formatCheckpoint(signCheckpoint(OTHER, { seq: 3, hash: H('a'), at: AT })),
      formatCheckpoint(signCheckpoint(OTHER, { seq: 1, hash: H('a'), at: AT })),
    ]);
    const out = await verifyHistory(async () => report(), { store, key: KEY, now: () => new Date() });
    expect(out).toMatchObject({ ok: false, firstBreak: { seq: 1, reason: 'checkpoint-signature' }, checkpoints: { read: 2, written: null } });
    expect(store.lines).toHaveLength(2);
  });

  it('reports a break in the chain before a forged checkpoint, and writes no checkpoint', async () => {
    const store = memoryStore([formatCheckpoint(signCheckpoint(OTHER, { seq: 3, hash: H('a'), at: AT }))]);
    const out = await verifyHistory(async () => report({ ok: false, firstBreak: { seq: 2, reason: 'missing' } }), { store, key: KEY, now: () => new Date() });
    expect(out.firstBreak).toEqual({ seq: 2, reason: 'missing' });
    expect(store.lines).toHaveLength(1);
  });

  it('writes no checkpoint for an empty history', async () => {
    const store = memoryStore();
    expect((await verifyHistory(async () => report({ head: null, checked: 0 }), { store, key: KEY, now: () => new Date() })).checkpoints.written).toBeNull();
    expect(store.lines).toEqual([]);
  });
});
