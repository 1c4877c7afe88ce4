import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import type { AccountAuthorizationDetails } from '@/lib/iam-audit/model';
import type { IamAccountPort, IamAuditStore, ScanRecord } from '@/lib/iam-audit/ports';
import { runScan, type IamAuditDeps } from '@/lib/iam-audit/service';

// The audit across accounts (docs/decisions/039), with in-memory IAM per account: which account's
// IAM was read, and which account each finding is labelled with.

const NOW = new Date('2026-11-29T12:00:00Z');
const SETTINGS = { privilegedPrincipals: ['security'], unusedRoleDays: 90 };
const ACTOR = { id: 'usr_seoyeon_park', name: 'Seo-yeon Park', roles: ['SECURITY'] } as unknown as Actor;

/** One account with a user holding an inline admin policy. */
function fakeIam(accountId: string, userName: string): IamAccountPort & { getAccountAuthorizationDetails: ReturnType<typeof vi.fn> } {
  const details: AccountAuthorizationDetails = {
    users: [
      {
        name: userName,
        arn: `arn:aws:iam::${accountId}:user/${userName}`,
        path: '/',
        createdAt: new Date('2025-01-01'),
        inlinePolicies: [{ name: 'admin', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
        attachedPolicies: [],
        tags: {},
        groups: [],
      },
    ],
    groups: [],
    roles: [],
    policies: [],
  };
  const unused = async () => {
    throw new Error('not used by the scan');
  };
  return {
    describeAccount: vi.fn(async () => ({ partition: 'aws', accountId })),
    getAccountAuthorizationDetails: vi.fn(async () => details),
    ensureGroup: unused,
    ensureGroupPolicy: unused,
    addUserToGroup: unused,
    removeUserFromGroup: unused,
    listGroupMembers: unused,
  };
}

function memoryStore(): IamAuditStore & { audits: AuditEntry[] } {
  const audits: AuditEntry[] = [];
  let latest: ScanRecord | null = null;
  const none = async () => {
    throw new Error('not used by the scan');
  };
  return {
    audits,
    latestScan: async () => latest,
    async saveScan(scan, audit) {
      latest = { ...scan, id: 'scan1' };
      audits.push(audit('scan1'));
      return latest;
    },
    listPortalPrincipals: none,
    latestPlan: none,
    findPlan: none,
    leasePlan: none,
    transaction: none,
  };
}

describe('runScan across accounts', () => {
  function setup() {
    const dev = fakeIam('111111111111', 'dev-admin');
    const prod = fakeIam('222222222222', 'prod-admin');
    const store = memoryStore();
    const deps: IamAuditDeps = {
      iam: fakeIam('999999999999', 'portal-account-user'),
      accounts: [
        { account: { accountId: '111111111111', alias: 'dev' }, iam: dev },
        { account: { accountId: '222222222222', alias: 'prod' }, iam: prod },
      ],
      store,
      settings: SETTINGS,
      now: () => NOW,
    };
    return { dev, prod, store, deps };
  }

  it('scans each account and labels every finding with the account its principal is in', async () => {
    const { deps, dev, prod } = setup();
    const scan = await runScan(deps, ACTOR, null);
    expect(dev.getAccountAuthorizationDetails).toHaveBeenCalledTimes(1);
    expect(prod.getAccountAuthorizationDetails).toHaveBeenCalledTimes(1);
    expect(scan.findings.map((f) => [f.principal.name, f.account])).toEqual([
      ['dev-admin', { accountId: '111111111111', alias: 'dev' }],
      ['prod-admin', { accountId: '222222222222', alias: 'prod' }],
    ]);
    expect(scan.accounts).toEqual([
      { accountId: '111111111111', alias: 'dev', principalCount: 1, policyCount: 0, error: null },
      { accountId: '222222222222', alias: 'prod', principalCount: 1, policyCount: 0, error: null },
    ]);
    expect(scan.principalCount).toBe(2);
  });

  it('reports an account that cannot be read for that account, and still scans the others', async () => {
    const { deps, dev, store } = setup();
    dev.getAccountAuthorizationDetails.mockRejectedValue(new AppError('UNAVAILABLE', 'Could not assume arn:aws:iam::111111111111:role/gatehouse-dev'));
    const scan = await runScan(deps, ACTOR, null);
    expect(scan.findings.map((f) => f.account?.alias)).toEqual(['prod']);
    expect(scan.accounts[0]).toEqual({
      accountId: '111111111111',
      alias: 'dev',
      principalCount: 0,
      policyCount: 0,
      error: 'Could not assume arn:aws:iam::111111111111:role/gatehouse-dev',
    });
    expect(store.audits[0]!.after).toMatchObject({
      findingCount: 1,
      failedAccounts: [{ accountId: '111111111111', alias: 'dev', error: 'Could not assume arn:aws:iam::111111111111:role/gatehouse-dev' }],
    });
  });

  it('stores nothing when no account can be read', async () => {
    const { deps, dev, prod, store } = setup();
    dev.getAccountAuthorizationDetails.mockRejectedValue(new AppError('UNAVAILABLE', 'dev down'));
    prod.getAccountAuthorizationDetails.mockRejectedValue(new AppError('UNAVAILABLE', 'prod down'));
    await expect(runScan(deps, ACTOR, null)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'dev down' });
    expect(await store.latestScan()).toBeNull();
  });

  it('with one unconfigured account, labels findings with the id the account reports', async () => {
    const { store } = setup();
    const iam = fakeIam('123456789012', 'someone');
    const scan = await runScan({ iam, accounts: [{ account: { accountId: null, alias: null }, iam }], store, settings: SETTINGS, now: () => NOW }, ACTOR, null);
    expect(scan.findings.map((f) => f.account)).toEqual([{ accountId: '123456789012', alias: null }]);
    expect(store.audits[0]!.after).not.toHaveProperty('failedAccounts');
  });
});
