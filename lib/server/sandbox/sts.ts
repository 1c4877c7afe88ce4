import 'server-only';
import type { AccountIdentityPort, CloudAccount } from '@/lib/cloud/account';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

type StoredAccount = { accountId: string; createdAt: string };

/**
 * The sandbox's STS in one simulated account: the account (a fixed id, so seeded identities and
 * ARNs are stable) is recorded in its store on first use, and the portal's principal is in it.
 */
export function createSandboxAccountIdentity(store: SandboxStore, region: string): AccountIdentityPort {
  return {
    async describeAccount(): Promise<CloudAccount> {
      const fresh: StoredAccount = { accountId: store.accountId, createdAt: new Date().toISOString() };
      const account = await store.createIfAbsent('sts', 'account', 'default', fresh);
      return {
        mode: 'sandbox',
        accountId: account.accountId,
        principalArn: `arn:aws:iam::${account.accountId}:role/gatehouse-portal`,
        region,
      };
    },
  };
}
