import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, createChainVerifier, GENESIS_HASH, hashEvent, type ChainedEvent } from '@/lib/audit/hash-chain';

type StoredEvent = ChainedEvent & { hash: string };

const SAMPLE: ChainedEvent = {
  seq: 7,
  occurredAt: new Date('2025-03-01T12:00:00.000Z'),
  actorId: 'user-1',
  actorName: 'Ada Lovelace',
  action: 'request.approve',
  targetType: 'AccessRequest',
  targetId: 'req-1',
  environment: 'PROD',
  teamId: 'team-1',
  requestId: 'req-1',
  before: { status: 'PENDING' },
  after: { status: 'APPROVED', approvals: 2 },
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0',
  prevHash: 'a'.repeat(64),
};

// One different value per field; the keys must cover every field of ChainedEvent.
const CHANGED: { [K in keyof ChainedEvent]-?: ChainedEvent[K] } = {
  seq: 8,
  occurredAt: new Date('2025-03-01T12:00:00.001Z'),
  actorId: null,
  actorName: 'Ada  Lovelace',
  action: 'request.reject',
  targetType: 'Grant',
  targetId: 'req-2',
  environment: null,
  teamId: 'team-2',
  requestId: null,
  before: { status: 'APPROVED' },
  after: { status: 'APPROVED', approvals: 3 },
  ip: '10.0.0.2',
  userAgent: null,
  prevHash: 'b'.repeat(64),
};

function buildChain(length: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const event: ChainedEvent = {
      seq,
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, seq)),
      actorId: seq % 3 === 0 ? null : `user-${seq % 4}`,
      actorName: seq % 3 === 0 ? 'Gatehouse (system)' : `User ${seq % 4}`,
      action: seq % 2 === 0 ? 'request.approve' : 'request.create',
      targetType: 'AccessRequest',
      targetId: `req-${seq}`,
      environment: seq % 2 === 0 ? 'PROD' : null,
      teamId: `team-${seq % 2}`,
      requestId: `req-${seq}`,
      before: seq === 1 ? null : { status: 'PENDING', n: seq - 1 },
      after: { status: 'APPROVED', n: seq, tags: ['a', 'b'] },
      ip: seq % 5 === 0 ? null : `10.0.0.${seq}`,
      userAgent: 'test-agent',
      prevHash,
    };
    const hash = hashEvent(event);
    events.push({ ...event, hash });
    prevHash = hash;
  }
  return events;
}

function verify(events: StoredEvent[], head: { seq: number; hash: string } | null) {
  const verifier = createChainVerifier();
  const pushes = events.map((e) => verifier.push(e));
  return { pushes, finish: verifier.finish(head), checked: verifier.checked };
}

describe('GENESIS_HASH', () => {
  it('is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth, including inside arrays', () => {
    const value = { b: 1, a: { d: [3, { z: 1, y: { q: 2, p: 1 } }], c: 'x' } };
    expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"y":{"p":1,"q":2},"z":1}]},"b":1}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    expect(canonicalJson({ x: 1, y: { b: 2, a: 1 } })).toBe(canonicalJson({ y: { a: 1, b: 2 }, x: 1 }));
  });

  it('drops undefined object values at every depth but keeps null', () => {
    expect(canonicalJson({ a: undefined, b: null, c: { d: undefined, e: 1 } })).toBe('{"b":null,"c":{"e":1}}');
    expect(canonicalJson({ only: undefined })).toBe('{}');
  });

  it('writes undefined and null as null at the top level and inside arrays', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson([1, undefined, null])).toBe('[1,null,null]');
  });

  it('writes Dates as ISO strings, at the top level and nested', () => {
    const date = new Date('2025-03-01T12:34:56.789Z');
    expect(canonicalJson(date)).toBe('"2025-03-01T12:34:56.789Z"');
    expect(canonicalJson({ at: date, list: [date] })).toBe('{"at":"2025-03-01T12:34:56.789Z","list":["2025-03-01T12:34:56.789Z"]}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
  });

  it('writes primitives as JSON, escaping strings and keys', () => {
    expect(canonicalJson('a"b\n')).toBe('"a\\"b\\n"');
    expect(canonicalJson(42)).toBe('42');
    expect(canonicalJson(-1.5)).toBe('-1.5');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson({ 'k"ey': 1 })).toBe('{"k\\"ey":1}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('is unchanged by a JSON round trip (as the database returns it)', () => {
    const value = { z: [1, { b: new Date('2025-01-01T00:00:00.000Z'), a: undefined }], a: 'x', n: null };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });
});

describe('hashEvent', () => {
  it('is SHA-256 of prevHash, a newline and the canonical JSON of the other fields', () => {
    const canonical =
      '{"action":"request.approve","actorId":"user-1","actorName":"Ada Lovelace","after":{"approvals":2,"status":"APPROVED"},' +
      '"before":{"status":"PENDING"},"environment":"PROD","ip":"10.0.0.1","occurredAt":"2025-03-01T12:00:00.000Z",' +
      '"requestId":"req-1","seq":7,"targetId":"req-1","targetType":"AccessRequest","teamId":"team-1","userAgent":"Mozilla/5.0"}';
    const expected = createHash('sha256')
      .update(`${'a'.repeat(64)}\n${canonical}`)
      .digest('hex');
    expect(hashEvent(SAMPLE)).toBe(expected);
    expect(hashEvent(SAMPLE)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic, also for a copy with keys in another order', () => {
    const reordered = Object.fromEntries(Object.entries(SAMPLE).reverse()) as unknown as ChainedEvent;
    expect(hashEvent(SAMPLE)).toBe(hashEvent({ ...SAMPLE }));
    expect(hashEvent(reordered)).toBe(hashEvent(SAMPLE));
  });

  it('the table of changed values covers every field of the sample', () => {
    expect(Object.keys(CHANGED).sort()).toEqual(Object.keys(SAMPLE).sort());
    expect(Object.keys(SAMPLE)).toHaveLength(15);
  });

  it.each(Object.keys(CHANGED) as (keyof ChainedEvent)[])('changes when %s changes', (field) => {
    const changed = { ...SAMPLE, [field]: CHANGED[field] } as ChainedEvent;
    expect(changed[field]).not.toEqual(SAMPLE[field]);
    expect(hashEvent(changed)).not.toBe(hashEvent(SAMPLE));
  });
});

describe('createChainVerifier', () => {
  const chain = buildChain(20);
  const last = chain[19]!;

  it('builds a linked chain starting from GENESIS_HASH', () => {
    expect(chain).toHaveLength(20);
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
    expect(new Set(chain.map((e) => e.hash)).size).toBe(20);
  });

  it('accepts an intact chain of 20 events with the matching head', () => {
    const result = verify(chain, { seq: 20, hash: last.hash });
    expect(result).toEqual({ pushes: Array(20).fill(null), finish: null, checked: 20 });
  });

  it.each((Object.keys(CHANGED) as (keyof ChainedEvent)[]).filter((f) => f !== 'seq' && f !== 'prevHash'))(
    'reports hash-mismatch at seq 7 when %s of event 7 is edited',
    (field) => {
      const original = chain[6]!;
      // Whichever of the two alternative values differs from what event 7 holds.
      const value = JSON.stringify(CHANGED[field]) !== JSON.stringify(original[field]) ? CHANGED[field] : SAMPLE[field];
      expect(JSON.stringify(value)).not.toBe(JSON.stringify(original[field]));
      const edited = chain.map((e) => (e.seq === 7 ? { ...e, [field]: value } : e));
      const result = verify(edited, { seq: 20, hash: last.hash });
      expect(result.pushes.slice(0, 6)).toEqual(Array(6).fill(null));
      // The first break is reported from then on, by push and by finish.
      expect(result.pushes.slice(6)).toEqual(Array(14).fill({ seq: 7, reason: 'hash-mismatch' }));
      expect(result.finish).toEqual({ seq: 7, reason: 'hash-mismatch' });
      expect(result.checked).toBe(7);
    },
  );

  it('reports link-mismatch at seq 7 when the prevHash of event 7 is edited', () => {
    const edited = chain.map((e) => (e.seq === 7 ? { ...e, prevHash: 'b'.repeat(64) } : e));
    expect(verify(edited, { seq: 20, hash: last.hash }).finish).toEqual({ seq: 7, reason: 'link-mismatch' });
  });

  it('reports link-mismatch at seq 8 when event 7 is edited and re-hashed', () => {
    const edited = chain.map((e) => {
      if (e.seq !== 7) return e;
      const changed = { ...e, actorName: 'Mallory' };
      return { ...changed, hash: hashEvent(changed) };
    });
    const result = verify(edited, { seq: 20, hash: last.hash });
    expect(result.finish).toEqual({ seq: 8, reason: 'link-mismatch' });
    expect(result.checked).toBe(8);
  });

  it('reports seq 7 missing when event 7 is removed (not a link mismatch on 8)', () => {
    const result = verify(
      chain.filter((e) => e.seq !== 7),
      { seq: 20, hash: last.hash },
    );
    expect(result.pushes.slice(0, 6)).toEqual(Array(6).fill(null));
    expect(result.pushes[6]).toEqual({ seq: 7, reason: 'missing' });
    expect(result.finish).toEqual({ seq: 7, reason: 'missing' });
    expect(result.checked).toBe(7);
  });

  it('reports the first of several removed events as missing', () => {
    expect(
      verify(
        chain.filter((e) => e.seq < 5 || e.seq > 9),
        { seq: 20, hash: last.hash },
      ).finish,
    ).toEqual({ seq: 5, reason: 'missing' });
  });

  it('reports link-mismatch at seq 1 when the first event does not start from GENESIS_HASH', () => {
    const edited = chain.map((e) => (e.seq === 1 ? { ...e, prevHash: 'f'.repeat(64) } : e));
    expect(verify(edited, { seq: 20, hash: last.hash }).finish).toEqual({ seq: 1, reason: 'link-mismatch' });
  });

  it('reports seq 1 missing when the first event is removed', () => {
    expect(verify(chain.slice(1), { seq: 20, hash: last.hash }).finish).toEqual({ seq: 1, reason: 'missing' });
  });

  it('reports hash-mismatch when the seq of event 7 is edited (at the seq it now claims)', () => {
    const edited = chain.map((e) => (e.seq === 7 ? { ...e, seq: 70 } : e));
    expect(verify(edited, { seq: 20, hash: last.hash }).finish).toEqual({ seq: 70, reason: 'hash-mismatch' });
  });

  it('reports seq 7 missing when events 7 and 8 arrive swapped (7 is not where it belongs)', () => {
    const swapped = [...chain.slice(0, 6), chain[7]!, chain[6]!, ...chain.slice(8)];
    expect(verify(swapped, { seq: 20, hash: last.hash }).finish).toEqual({ seq: 7, reason: 'missing' });
  });

  it('reports seq 20 missing from finish when the last event is removed but the head still names it', () => {
    const result = verify(chain.slice(0, 19), { seq: 20, hash: last.hash });
    expect(result.pushes).toEqual(Array(19).fill(null));
    expect(result.finish).toEqual({ seq: 20, reason: 'missing' });
    expect(result.checked).toBe(19);
  });

  it('reports head-mismatch when the head has the right seq but another hash, or an earlier seq; missing when it names a later one', () => {
    expect(verify(chain, { seq: 20, hash: chain[18]!.hash }).finish).toEqual({ seq: 20, reason: 'head-mismatch' });
    expect(verify(chain, { seq: 19, hash: chain[18]!.hash }).finish).toEqual({ seq: 19, reason: 'head-mismatch' });
    expect(verify(chain, { seq: 21, hash: last.hash }).finish).toEqual({ seq: 21, reason: 'missing' });
  });

  it('accepts an empty chain with no head', () => {
    expect(verify([], null)).toEqual({ pushes: [], finish: null, checked: 0 });
  });

  it('reports seq 1 missing for an empty chain whose head says there were events', () => {
    expect(verify([], { seq: 20, hash: last.hash }).finish).toEqual({ seq: 1, reason: 'missing' });
  });

  it('reports head-mismatch at the last seq for a non-empty chain with no head', () => {
    expect(verify(chain, null)).toEqual({ pushes: Array(20).fill(null), finish: { seq: 20, reason: 'head-mismatch' }, checked: 20 });
  });

  it('counts events as they are pushed', () => {
    const verifier = createChainVerifier();
    expect(verifier.checked).toBe(0);
    verifier.push(chain[0]!);
    verifier.push(chain[1]!);
    expect(verifier.checked).toBe(2);
  });
});

/** The whole chain rewritten from `fromSeq` on: one edit, every later event re-hashed and re-linked. */
function rewriteFrom(events: StoredEvent[], fromSeq: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (const e of events) {
    if (e.seq < fromSeq) {
      out.push(e);
      prevHash = e.hash;
      continue;
    }
    const changed: ChainedEvent = { ...e, prevHash, actorName: e.seq === fromSeq ? 'Mallory' : e.actorName };
    const hash = hashEvent(changed);
    out.push({ ...changed, hash });
    prevHash = hash;
  }
  return out;
}

describe('createChainVerifier with checkpoints kept outside the database', () => {
  const chain = buildChain(20);
  const cp = (seq: number, at = `2025-01-01T00:${String(seq).padStart(2, '0')}:30.000Z`) => ({ seq, hash: chain[seq - 1]!.hash, at });
  const run = (events: StoredEvent[], head: { seq: number; hash: string } | null, checkpoints: ReturnType<typeof cp>[]) => {
    const verifier = createChainVerifier(checkpoints);
    for (const e of events) verifier.push(e);
    return verifier.finish(head);
  };

  it('accepts an intact chain that agrees with every checkpoint, whatever order they are given in', () => {
    expect(run(chain, { seq: 20, hash: chain[19]!.hash }, [cp(15), cp(5), cp(20), cp(5)])).toBeNull();
  });

  it('a rewrite from event 7 with everything after re-hashed and the head moved passes without checkpoints', () => {
    const rewritten = rewriteFrom(chain, 7);
    const head = { seq: 20, hash: rewritten[19]!.hash };
    expect(head.hash).not.toBe(chain[19]!.hash);
    expect(run(rewritten, head, [])).toBeNull();
  });

  it('reports that rewrite at the first checkpoint that disagrees, after the last one that agrees', () => {
    const rewritten = rewriteFrom(chain, 7);
    const head = { seq: 20, hash: rewritten[19]!.hash };
    expect(run(rewritten, head, [cp(5), cp(10), cp(20)])).toEqual({ seq: 10, reason: 'checkpoint-mismatch', since: 5, checkpointAt: cp(10).at });
    expect(run(rewritten, head, [cp(20)])).toEqual({ seq: 20, reason: 'checkpoint-mismatch', since: 0, checkpointAt: cp(20).at });
    // A checkpoint at the rewritten event itself pins it down exactly.
    expect(run(rewritten, head, [cp(6), cp(7)])).toEqual({ seq: 7, reason: 'checkpoint-mismatch', since: 6, checkpointAt: cp(7).at });
  });

  it('reports a tail cut after a checkpoint, with the head moved back, as the first seq missing', () => {
    const cut = chain.slice(0, 17);
    expect(run(cut, { seq: 17, hash: chain[16]!.hash }, [])).toBeNull();
    expect(run(cut, { seq: 17, hash: chain[16]!.hash }, [cp(10), cp(20)])).toEqual({ seq: 18, reason: 'missing' });
  });

  it('reports a cut tail followed by new events at the checkpoint that now disagrees', () => {
    const forked = rewriteFrom(chain, 18);
    expect(run(forked, { seq: 20, hash: forked[19]!.hash }, [cp(17), cp(19)])).toEqual({
      seq: 19,
      reason: 'checkpoint-mismatch',
      since: 17,
      checkpointAt: cp(19).at,
    });
  });

  it('a break inside the chain is reported before a checkpoint further on', () => {
    const edited = chain.map((e) => (e.seq === 4 ? { ...e, actorName: 'Mallory' } : e));
    expect(run(edited, { seq: 20, hash: chain[19]!.hash }, [cp(10)])).toEqual({ seq: 4, reason: 'hash-mismatch' });
  });
});
