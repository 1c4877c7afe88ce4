import 'server-only';
import { randomInt } from 'node:crypto';
import type { AccountIdentityPort, CloudAccount } from '@/lib/cloud/account';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

type StoredAccount = { accountId: string; createdAt: string };

/**
 * The sandbox's STS: the local account gets a 12-digit id on first use, kept in the sandbox store so
 * that ARNs the sandbox hands out stay the same across restarts.
 */
export function createSandboxAccountIdentity(store: SandboxStore, region: string): AccountIdentityPort {
  return {
    async describeAccount(): Promise<CloudAccount> {
      const fresh: StoredAccount = { accountId: String(randomInt(100_000_000_000, 999_999_999_999)), createdAt: new Date().toISOString() };
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
