import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { Principal } from '@/lib/grants/principals';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { listSandboxCalls, withCallCounter } from '@/lib/server/sandbox/call-counter';
import { createSandboxIam } from '@/lib/server/sandbox/iam';

const DOC: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['secretsmanager:DescribeSecret'], Resource: ['arn:aws:secretsmanager:us-east-1:111122223333:secret:x'] },
  ],
};
const ALICE: Principal = { kind: 'IAM_USER', name: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase('embedded');
});
afterAll(async () => {
  await db.drop();
});

describe('withCallCounter', () => {
  it('records each IAM change that succeeded, with its target and process, and nothing for a failure', async () => {
    const store = createSandboxStore(db.prisma);
    const at = new Date('2026-12-01T10:00:00Z');
    const sandbox = createSandboxIam(store);
    await sandbox.ensureUser('alice');
    const iam = withCallCounter(sandbox, store, () => at);
    const arn = await iam.ensurePolicy('gatehouse-grant-g1', DOC, {});
    await iam.attachPolicy(ALICE, arn);
    await expect(iam.attachPolicy(ALICE, `${arn}-missing`)).rejects.toThrow(/NoSuchEntity/);
    await iam.detachPolicy(ALICE, arn);
    await iam.deletePolicy(arn);
    // Reads are not counted.
    expect(await iam.listPolicies('/gatehouse/')).toEqual([]);
    const calls = await listSandboxCalls(store);
    expect(calls).toHaveLength(4);
    expect(calls).toEqual(
      expect.arrayContaining(
        ['ensurePolicy', 'attachPolicy', 'detachPolicy', 'deletePolicy'].map((op) => ({ op, target: arn, at: at.toISOString(), pid: process.pid })),
      ),
    );
  });

  it('loses no count when several writers (replicas) change the same policy at once', async () => {
    const store = createSandboxStore(db.prisma);
    const replicas = [
      withCallCounter(createSandboxIam(store), createSandboxStore(db.prisma)),
      withCallCounter(createSandboxIam(store), createSandboxStore(db.prisma)),
    ];
    await Promise.all(Array.from({ length: 20 }, (_, i) => replicas[i % 2]!.ensurePolicy('gatehouse-grant-g2', DOC, {})));
    const calls = (await listSandboxCalls(store)).filter((c) => c.target.endsWith('/gatehouse-grant-g2'));
    expect(calls).toHaveLength(20);
    expect(calls.every((c) => c.op === 'ensurePolicy')).toBe(true);
  });
});
