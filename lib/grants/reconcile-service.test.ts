import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import { createMemoryIam, type MemoryIam } from '@/lib/grants/fakes';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { ReconcileGrant, ReconcileStore } from '@/lib/grants/ports';
import { principalFromArn } from '@/lib/grants/principals';
import { fixAllFindings, fixFindingById, scanReconciliation, type ReconcileDeps } from '@/lib/grants/reconcile-service';
import type { Actor } from '@/lib/identity/actor';

const MINJI = principalFromArn('arn:aws:iam::111122223333:user/minji.kim');
const SECURITY: Actor = { id: 'usr_seoyeon_park', name: 'Seo-yeon Park', email: 'seoyeon.park@example.com', roles: ['SECURITY'], teams: [] };
const doc = (sid: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    { Sid: sid, Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [`arn:aws:secretsmanager:us-east-1:111122223333:secret:${sid}`] },
  ],
});

function grant(id: string, environment: ReconcileGrant['environment']): ReconcileGrant {
  return { id, environment, status: 'ACTIVE', policyName: `gatehouse-grant-${id}`, policyArn: null, policy: doc(id), principal: MINJI };
}

function memoryStore(grants: ReconcileGrant[], audit: AuditEntry[]): ReconcileStore {
  return {
    listGrants: async (names) => grants.filter((g) => g.status === 'ACTIVE' || names.includes(g.policyName)),
    grantStatus: async (id) => grants.find((g) => g.id === id)?.status ?? null,
    appendAudit: async (entry) => void audit.push(entry),
  };
}

/** Dev and staging in one account, prod in another; each grant's policy applied where it belongs. */
async function twoAccounts() {
  const dev = createMemoryIam('111122223333');
  const prod = createMemoryIam('444455556666');
  const grants = [grant('dev1', 'DEV'), grant('stg1', 'STAGING'), grant('prod1', 'PROD')];
  for (const g of grants) {
    const iam = g.environment === 'PROD' ? prod : dev;
    await iam.attachPolicy(g.principal, await iam.ensurePolicy(g.policyName, g.policy, {}));
  }
  const audit: AuditEntry[] = [];
  const deps: ReconcileDeps = {
    accounts: [
      { key: '111122223333', account: { accountId: '111122223333', alias: 'dev' }, environments: ['DEV', 'STAGING'], iam: dev },
      { key: '444455556666', account: { accountId: '444455556666', alias: 'prod' }, environments: ['PROD'], iam: prod },
    ],
    store: memoryStore(grants, audit),
    now: () => new Date('2026-12-07T09:00:00Z'),
  };
  return { dev, prod, grants, audit, deps };
}

const names = (iam: MemoryIam) => [...iam.policies.keys()].sort();

describe('reconcile across accounts', () => {
  it('compares each account with the grants of its environments: every policy where it belongs is clean', async () => {
    const { deps } = await twoAccounts();
    const scan = await scanReconciliation(deps);
    expect(scan.findings).toEqual([]);
    expect(scan.policyCount).toBe(3);
    expect(scan.accounts.map((a) => [a.key, a.policyCount, a.error])).toEqual([
      ['111122223333', 2, null],
      ['444455556666', 1, null],
    ]);
  });

  it('a prod grant’s policy in dev’s account is an orphan there, labelled with dev’s account; fixing removes it from dev only', async () => {
    const { dev, prod, audit, deps } = await twoAccounts();
    await dev.attachPolicy(MINJI, await dev.ensurePolicy('gatehouse-grant-prod1', doc('prod1'), {}));
    // And one prod grant's policy is gone from prod: missing there, not in dev.
    await prod.deletePolicy(prod.policies.get('gatehouse-grant-prod1')!.arn);
    const scan = await scanReconciliation(deps);
    expect(scan.findings.map((f) => [f.id, f.kind, f.account])).toEqual([
      ['ORPHAN:gatehouse-grant-prod1@111122223333', 'ORPHAN', { accountId: '111122223333', alias: 'dev' }],
      ['MISSING:gatehouse-grant-prod1@444455556666', 'MISSING', { accountId: '444455556666', alias: 'prod' }],
    ]);
    await fixFindingById('ORPHAN:gatehouse-grant-prod1@111122223333', SECURITY, null, deps);
    expect(names(dev)).toEqual(['gatehouse-grant-dev1', 'gatehouse-grant-stg1']);
    expect(names(prod)).toEqual([]);
    expect(audit[0]).toMatchObject({ action: 'reconcile.orphan_removed', before: { kind: 'ORPHAN', account: { accountId: '111122223333', alias: 'dev' } } });
    expect(await fixAllFindings(SECURITY, null, deps)).toEqual({ fixed: 1, failed: 0 });
    expect(prod.policies.get('gatehouse-grant-prod1')?.attachedTo).toEqual([{ kind: 'IAM_USER', name: 'minji.kim' }]);
    expect((await scanReconciliation(deps)).findings).toEqual([]);
  });

  it('an account whose role cannot be assumed is reported; the others are still reconciled and fixed', async () => {
    const { dev, prod, deps } = await twoAccounts();
    prod.failWith = new AppError('UNAVAILABLE', 'Could not assume arn:aws:iam::444455556666:role/gatehouse-prod.');
    await dev.ensurePolicy('gatehouse-grant-stray', doc('stray'), {});
    const scan = await scanReconciliation(deps);
    expect(scan.findings.map((f) => f.id)).toEqual(['ORPHAN:gatehouse-grant-stray@111122223333']);
    expect(scan.accounts[1]).toMatchObject({ key: '444455556666', error: 'Could not assume arn:aws:iam::444455556666:role/gatehouse-prod.' });
    expect(await fixAllFindings(SECURITY, null, deps)).toEqual({ fixed: 1, failed: 0 });
    expect(names(dev)).toEqual(['gatehouse-grant-dev1', 'gatehouse-grant-stg1']);
  });

  it('with one account, ids stay KIND:policy and a failure other than UNAVAILABLE fails the scan as before', async () => {
    const iam = createMemoryIam('111122223333');
    await iam.ensurePolicy('gatehouse-grant-stray', doc('stray'), {});
    const deps: ReconcileDeps = {
      accounts: [{ key: 'home', account: { accountId: null, alias: null }, environments: ['DEV', 'STAGING', 'PROD'], iam }],
      store: memoryStore([], []),
      now: () => new Date(),
    };
    expect((await scanReconciliation(deps)).findings.map((f) => f.id)).toEqual(['ORPHAN:gatehouse-grant-stray']);
    iam.failWith = new Error('AccessDenied');
    await expect(scanReconciliation(deps)).rejects.toThrow('AccessDenied');
  });
});
