import 'server-only';
import type { AccountIdentityPort, CloudAccount } from '@/lib/cloud/account';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

type StoredAccount = { accountId: string; createdAt: string };

/**
 * The sandbox's STS: the local account (a fixed id, so seeded identities and ARNs are stable) is
 * recorded in the sandbox store on first use.
 */
export function createSandboxAccountIdentity(store: SandboxStore, region: string): AccountIdentityPort {
  return {
    async describeAccount(): Promise<CloudAccount> {
      const fresh: StoredAccount = { accountId: SANDBOX_ACCOUNT_ID, createdAt: new Date().toISOString() };
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
