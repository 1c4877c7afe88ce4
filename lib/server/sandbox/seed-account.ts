import 'server-only';
import { pathFromArn } from '@/lib/grants/principals';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { listSandboxSeed } from '@/lib/server/db/repositories/principals';
import type { prisma } from '@/lib/server/db/connection';
import { env } from '@/lib/server/env';
import { ensureSandboxAlarmTopics } from '@/lib/server/sandbox/alarms';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { seedSandboxAuditFixtures } from '@/lib/server/sandbox/iam-account';
import { createSandboxSecrets } from '@/lib/server/sandbox/secrets';

/**
 * Makes the sandbox account hold what the portal's data points at: an IAM user for every mapped
 * principal, a secret for every catalog entry with a sandbox ARN, and the alarm topics of the
 * serverless stack. Safe to re-run.
 */
export async function seedSandboxAccount(db: ReturnType<typeof prisma>): Promise<void> {
  const store = createSandboxStore(db);
  const iam = createSandboxIam(store);
  const secrets = createSandboxSecrets(store);
  const { principals, catalogSecrets } = await listSandboxSeed(db);
  for (const p of principals) if (p.kind === 'IAM_USER') await iam.ensureUser(p.name, pathFromArn(p.arn));
  for (const s of catalogSecrets) if (s.arn) await secrets.ensureSecret(s.name, s.arn, { team: s.teamSlug, env: s.environment.toLowerCase() });
  await seedSandboxAuditFixtures(store);
  await ensureSandboxAlarmTopics(store, env().AWS_REGION);
}
