import 'server-only';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import { ENVIRONMENT_SLUGS, environmentSlugOf, type EnvironmentSlug } from '@/lib/environments';
import { pathFromArn } from '@/lib/grants/principals';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { listSandboxSeed } from '@/lib/server/db/repositories/principals';
import type { prisma } from '@/lib/server/db/connection';
import { env } from '@/lib/server/env';
import { ensureSandboxAlarmTopics } from '@/lib/server/sandbox/alarms';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { seedSandboxAuditFixtures } from '@/lib/server/sandbox/iam-account';
import { createSandboxSecrets } from '@/lib/server/sandbox/secrets';

/** One simulated account to seed: its id, the region its stacks are in, and the environments it holds. */
export interface SandboxAccountSeed {
  accountId: string;
  region: string;
  environments: readonly EnvironmentSlug[];
}

/**
 * Makes each simulated account hold what the portal's data points at (docs/decisions/040):
 * an IAM user for every mapped principal in every account (grants attach by name in the account of
 * their environment), the secret of every catalog entry of its environments, and its environments'
 * alarm topics. The audit's over-broad fixtures live in the original account (111122223333) only.
 * Default: that one account holding every environment. Safe to re-run.
 */
export async function seedSandboxAccount(
  db: ReturnType<typeof prisma>,
  accounts: readonly SandboxAccountSeed[] = [{ accountId: SANDBOX_ACCOUNT_ID, region: env().AWS_REGION, environments: ENVIRONMENT_SLUGS }],
): Promise<void> {
  const { principals, catalogSecrets } = await listSandboxSeed(db);
  for (const account of accounts) {
    const store = createSandboxStore(db, account.accountId);
    const iam = createSandboxIam(store);
    const secrets = createSandboxSecrets(store);
    for (const p of principals) if (p.kind === 'IAM_USER') await iam.ensureUser(p.name, pathFromArn(p.arn));
    for (const s of catalogSecrets) {
      if (s.arn && account.environments.includes(environmentSlugOf(s.environment)))
        await secrets.ensureSecret(s.name, s.arn, { team: s.teamSlug, env: s.environment.toLowerCase() });
    }
    if (account.accountId === SANDBOX_ACCOUNT_ID) await seedSandboxAuditFixtures(store);
    await ensureSandboxAlarmTopics(store, account.region, account.environments);
  }
}
