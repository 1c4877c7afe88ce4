import 'server-only';
import { stackNameFor } from '@/lib/deployments/model';
import { ENVIRONMENT_SLUGS, type EnvironmentSlug } from '@/lib/environments';
import type { TemplateSource } from '@/lib/deployments/ports';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createSandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';

const DAY = 86_400_000;

/**
 * What the sandbox's stacks ran before the portal existed: staging and prod were deployed a month
 * ago from an older release (other function code, a release label, and prod on PostgreSQL 16.3),
 * so their first plan shows Modify rows with replacements; dev was never deployed, so its first
 * plan creates everything (Add rows).
 */
export const SEEDED_STACKS: Partial<Record<EnvironmentSlug, { daysAgo: number; previous: Record<string, string> }>> = {
  staging: {
    daysAgo: 30,
    previous: {
      ReleaseLabel: 'r2026.10.28',
      ApiCodeKey: 'api/4f2a91c07e5b3d68.zip',
      WorkerCodeKey: 'worker/a81c3e0f96d2b457.zip',
      NotifierCodeKey: 'notifier/0d7be2c5a9143f86.zip',
    },
  },
  prod: {
    daysAgo: 29,
    previous: {
      ReleaseLabel: 'r2026.10.28',
      ApiCodeKey: 'api/4f2a91c07e5b3d68.zip',
      WorkerCodeKey: 'worker/a81c3e0f96d2b457.zip',
      NotifierCodeKey: 'notifier/0d7be2c5a9143f86.zip',
      DbEngineVersion: '16.3',
    },
  },
};

/** Creates the seeded stacks of the account's environments (default: all) that do not exist yet (safe to re-run). */
export async function seedSandboxStacks(
  store: SandboxStore,
  templates: TemplateSource,
  region: string,
  now = new Date(),
  environments: readonly EnvironmentSlug[] = ENVIRONMENT_SLUGS,
): Promise<string[]> {
  const cfn = createSandboxCloudFormation(store, { region, durationMs: 30_000, now: () => now });
  const { text } = await templates.template();
  const created: string[] = [];
  for (const [env, seed] of Object.entries(SEEDED_STACKS) as [EnvironmentSlug, NonNullable<(typeof SEEDED_STACKS)[EnvironmentSlug]>][]) {
    if (!environments.includes(env)) continue;
    const parameters = { ...(await templates.parameterFile(env)), ...seed.previous };
    if (await cfn.seedStack(stackNameFor(env), text, parameters, new Date(now.getTime() - seed.daysAgo * DAY))) created.push(stackNameFor(env));
  }
  return created;
}
