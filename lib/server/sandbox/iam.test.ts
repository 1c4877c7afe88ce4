import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { JsonValue } from '@/lib/server/db/repositories/sandbox-objects';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { createSandboxIamAccount } from '@/lib/server/sandbox/iam-account';

// The sandbox models what the reconciler depends on in IAM (decision 025): attachments made and
// listed by name, principals with paths, groups.
const DOC: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['secretsmanager:DescribeSecret'], Resource: ['*'] }],
};
const DANIEL_ARN = 'arn:aws:iam::111122223333:user/engineers/daniel.path';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase('embedded');
});
afterAll(async () => {
  await db.drop();
});

describe('sandbox IAM', () => {
  it('attaches by name to the stored principal (path and all), to groups too, and lists attachments by kind and name', async () => {
    const store = createSandboxStore(db.prisma);
    const iam = createSandboxIam(store);
    expect(await iam.ensureUser('daniel.path', '/engineers/')).toBe(DANIEL_ARN);
    await createSandboxIamAccount(store).ensureGroup('engineers', '/teams/');
    const arn = await iam.ensurePolicy('gatehouse-grant-s1', DOC, {});
    // The caller's ARN lacks the path: IAM goes by the name, and so does the sandbox.
    await iam.attachPolicy({ kind: 'IAM_USER', name: 'daniel.path', arn: 'arn:aws:iam::111122223333:user/daniel.path' }, arn);
    await iam.attachPolicyTo({ kind: 'IAM_GROUP', name: 'engineers' }, arn);
    await expect(iam.attachPolicyTo({ kind: 'IAM_ROLE', name: 'nobody' }, arn)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const [listed] = await iam.listPolicies('/gatehouse/');
    expect(listed).toMatchObject({
      name: 'gatehouse-grant-s1',
      path: '/gatehouse/',
      attachedTo: [
        { kind: 'IAM_GROUP', name: 'engineers' },
        { kind: 'IAM_USER', name: 'daniel.path' },
      ],
    });
    expect((await store.list<{ principalArn: string }>('iam', 'attachment')).map((a) => a.data.principalArn).sort()).toEqual([
      'arn:aws:iam::111122223333:group/teams/engineers',
      DANIEL_ARN,
    ]);
    expect([await iam.principalExists({ kind: 'IAM_USER', name: 'daniel.path' }), await iam.principalExists({ kind: 'IAM_GROUP', name: 'gone' })]).toEqual([
      true,
      false,
    ]);

    await iam.detachPolicy({ kind: 'IAM_GROUP', name: 'engineers' }, arn);
    await iam.detachPolicy({ kind: 'IAM_USER', name: 'daniel.path' }, arn);
    expect((await iam.listPolicies('/gatehouse/'))[0]!.attachedTo).toEqual([]);
    await iam.deletePolicy(arn);
  });

  it('detaches what was attached under the caller’s ARN before, and what is left of a deleted principal', async () => {
    const store = createSandboxStore(db.prisma);
    const iam = createSandboxIam(store);
    await iam.ensureUser('old.path');
    const arn = await iam.ensurePolicy('gatehouse-grant-s2', DOC, {});
    // As attachments were stored before: keyed by the ARN the grant carried, not the stored user's.
    const legacy = 'arn:aws:iam::111122223333:user/engineers/old.path';
    await store.createIfAbsent('iam', 'attachment', `${legacy} ${arn}`, {
      principalArn: legacy,
      principalKind: 'IAM_USER',
      policyArn: arn,
      attachedAt: new Date().toISOString(),
    } as JsonValue);
    await store.createIfAbsent('iam', 'attachment', `arn:aws:iam::111122223333:user/ghost ${arn}`, {
      principalArn: 'arn:aws:iam::111122223333:user/ghost',
      principalKind: 'IAM_USER',
      policyArn: arn,
      attachedAt: new Date().toISOString(),
    } as JsonValue);
    expect((await iam.listPolicies('/gatehouse/')).find((p) => p.arn === arn)!.attachedTo).toEqual([
      { kind: 'IAM_USER', name: 'ghost' },
      { kind: 'IAM_USER', name: 'old.path' },
    ]);

    await iam.detachPolicy({ kind: 'IAM_USER', name: 'old.path' }, arn);
    await iam.detachPolicy({ kind: 'IAM_USER', name: 'ghost' }, arn);
    await iam.deletePolicy(arn);
    expect((await iam.listPolicies('/gatehouse/')).find((p) => p.arn === arn)).toBeUndefined();
  });
});
