import 'server-only';
import type { DeploymentConfig, DeploymentDeps } from '@/lib/deployments/service';
import type { CloudFormationPort } from '@/lib/deployments/ports';
import { DEFAULT_APPROVALS } from '@/lib/deployments/rules';
import { environmentOf, type EnvironmentSlug } from '@/lib/environments';
import { cloudFor, cloudMode } from '@/lib/server/cloud/adapters';
import { createDeploymentStore } from '@/lib/server/db/repositories/deployments';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createId } from '@/lib/server/db/ids';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';
import { env } from '@/lib/server/env';
import type { SandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';

/** The poll job's period: the issue asks for about three seconds. */
export const DEPLOY_POLL_MS = 3_000;

/** Deployment settings from the environment, with their defaults. */
export function deploymentConfig(): DeploymentConfig {
  const e = env();
  return {
    approvals: { ...DEFAULT_APPROVALS, ...e.GATEHOUSE_DEPLOY_APPROVALS },
    planTtlMs: (e.GATEHOUSE_DEPLOY_PLAN_TTL_HOURS ?? 24) * 3_600_000,
    pollMs: DEPLOY_POLL_MS,
    sandbox: cloudMode() === 'sandbox',
  };
}

/** The sandbox CloudFormation (with its simulation tools) of the account an environment's stack is in, or null in aws mode. */
export function sandboxCloudFormation(environment: EnvironmentSlug): SandboxCloudFormation | null {
  return cloudFor(environmentOf(environment)).sandbox?.cloudFormation() ?? null;
}

/**
 * CloudFormation of the account the environment's stack lives in (docs/decisions/039): its role,
 * its primary region, and its template bucket (or the shared GATEHOUSE_DEPLOY_TEMPLATE_BUCKET).
 */
export const cloudFormationPort: DeploymentDeps['cfn'] = (environment): CloudFormationPort => cloudFor(environment).cloudFormation();

/** The deployments' ports, wired to the database, the configured cloud, infra/ and the clock. */
export function deploymentDeps(): DeploymentDeps {
  return {
    store: createDeploymentStore(),
    // Unconfigured, every environment is the portal's own account, as before.
    cfn: cloudFormationPort,
    templates: createFileTemplateSource(),
    releases: createReleaseStore(),
    artifactsFor: (environment) => cloudFor(environment).artifacts(),
    traffic: (environment) => cloudFor(environment).trafficShift(),
    now: () => new Date(),
    newId: createId,
    config: deploymentConfig(),
    portalUrl: env().GATEHOUSE_PUBLIC_URL,
  };
}
