import 'server-only';
import { resourcesFor, type TemplateParameter } from '@/lib/deployments/template-model';
import { isAppError } from '@/lib/errors';
import { toLiveEvent, progressPercent, type LiveDeployment } from '@/lib/deployments/live';
import { deployedRelease, stackNameFor, type DeployedRelease, type StackInfo } from '@/lib/deployments/model';
import { ENVIRONMENT_SLUGS, environmentOf, environmentSlugOf, type EnvironmentSlug } from '@/lib/environments';
import { resolvePlanParameters } from '@/lib/deployments/parameters';
import { templateRevision } from '@/lib/deployments/revision';
import { planWarnings, requiresTypedConfirmation } from '@/lib/deployments/warnings';
import { CODE_PARAMETERS, RELEASE_LABEL_PARAMETER, releaseParameters } from '@/lib/deployments/releases';
import { listReleases } from '@/lib/server/deployments/releases';
import {
  findDeploymentView,
  listDeploymentEvents,
  listEnvironmentDeployments,
  type DeploymentView,
  type EnvironmentDeployments,
} from '@/lib/server/db/repositories/deployments';
import type { AccountRef } from '@/lib/cloud/accounts';
import { accountsByEnvironment } from '@/lib/server/cloud/account';
import { cloudFor } from '@/lib/server/cloud/adapters';
import { cloudFormationPort, deploymentConfig } from '@/lib/server/deployments/wiring';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';

/** The deployment as the page and the API show it. */
export function toLiveDeployment(d: DeploymentView, events: Awaited<ReturnType<typeof listDeploymentEvents>>): LiveDeployment {
  const total = d.totalResources ?? 0;
  const warnings = planWarnings(d.changes ?? []);
  return {
    id: d.id,
    environment: environmentSlugOf(d.environment),
    stackName: d.stackName,
    status: d.status,
    changeSetType: d.changeSetType,
    templateRevision: d.templateRevision,
    approvalsRequired: d.approvalsRequired,
    approvals: d.approvals.map((a) => ({ approver: a.approverName, kind: a.kind, comment: a.comment, at: a.createdAt.toISOString() })),
    plannedBy: d.plannedBy.name,
    plannedAt: d.plannedAt.toISOString(),
    executedBy: d.executedBy?.name ?? null,
    executedAt: d.executedAt?.toISOString() ?? null,
    finishedAt: d.finishedAt?.toISOString() ?? null,
    progress: { done: d.progressDone, total, percent: progressPercent(d.status, d.progressDone, total) },
    stackStatus: d.stackStatus,
    failureReason: d.failureReason,
    failedResource: d.failedResource,
    rollbackStartedAt: d.rollbackStartedAt?.toISOString() ?? null,
    planError: d.planError,
    lastPollError: d.lastPollError,
    outputs: d.outputs,
    releaseId: d.releaseId,
    traffic: d.trafficShifts,
    warnings,
    confirmationRequired: requiresTypedConfirmation(d.environment, warnings),
    events: events.map(toLiveEvent),
  };
}

/** One deployment for polling: its state and its latest 200 events, newest first. */
export async function loadLiveDeployment(id: string): Promise<{ view: DeploymentView; live: LiveDeployment } | null> {
  const view = await findDeploymentView(id);
  if (!view) return null;
  return { view, live: toLiveDeployment(view, await listDeploymentEvents(id, 200)) };
}

export interface PlanFormParameter {
  name: string;
  type: string;
  value: string;
  allowedValues: string[] | null;
  description: string | null;
  constraint: string | null;
}

export interface EnvironmentOverview {
  environment: EnvironmentSlug;
  stackName: string;
  /** The account the stack lives in (docs/decisions/039). */
  account: AccountRef;
  stack: StackInfo | null;
  /** Why the stack could not be read (throttled, denied); the rest of the page still shows. */
  stackError: string | null;
  runningRevision: string | null;
  currentRevision: string | null;
  approvalsRequired: number;
  deployments: EnvironmentDeployments;
  parameters: PlanFormParameter[];
  /** Resources the environment gets (for the sandbox's "make this fail" choice). */
  resources: string[];
  templateError: string | null;
}

function describeFailure(e: unknown): string {
  return isAppError(e) ? e.message : 'unexpected error (logged)';
}

/** An environment's stack as CloudFormation describes it, read in the environment's own account. */
function readStack(environment: EnvironmentSlug): Promise<StackInfo | null> {
  return cloudFormationPort(environmentOf(environment)).describeStack(stackNameFor(environment));
}

/**
 * What each environment runs (deployed or not, which release), from the same stack read the
 * Deployments page makes: the alarms page's cards show this, never a version from elsewhere.
 * An environment whose stack cannot be read is null (unknown), not "not deployed".
 */
export async function loadDeployedReleases(): Promise<Partial<Record<EnvironmentSlug, DeployedRelease>>> {
  const entries = await Promise.all(
    ENVIRONMENT_SLUGS.map(async (environment) => {
      try {
        return [[environment, deployedRelease(await readStack(environment))] as const];
      } catch (e) {
        if (!isAppError(e)) console.error('[deployments] reading the stack failed', e);
        return [];
      }
    }),
  );
  return Object.fromEntries(entries.flat());
}

/**
 * Each environment: its stack as CloudFormation reports it, the revision it runs (the template it
 * was deployed with and its parameters, hashed like a plan's), the revision infra/ would deploy
 * with the newest release,
 * its deployments and last drift check, and what the plan form needs.
 */
export async function loadEnvironments(): Promise<EnvironmentOverview[]> {
  const templates = createFileTemplateSource();
  const config = deploymentConfig();
  let template: Awaited<ReturnType<typeof templates.template>> | null = null;
  let templateProblem: string | null = null;
  const accounts = await accountsByEnvironment();
  // What a plan deploys by default: infra/ with the newest release's code (docs/decisions/042-releases.md).
  const [newest] = await listReleases(1);
  try {
    template = await templates.template();
  } catch (e) {
    templateProblem = describeFailure(e);
  }
  return Promise.all(
    ENVIRONMENT_SLUGS.map(async (environment): Promise<EnvironmentOverview> => {
      const stackName = stackNameFor(environment);
      const deployments = await listEnvironmentDeployments(environmentOf(environment));
      // Each stack is read in its own account; one that cannot be reached fails only its card.
      const cfn = cloudFormationPort(environmentOf(environment));
      let stack: StackInfo | null = null;
      let stackError: string | null = null;
      let runningRevision: string | null = null;
      try {
        stack = await readStack(environment);
        if (stack && stack.status !== 'REVIEW_IN_PROGRESS') {
          const body = await cfn.getTemplateBody(stackName);
          runningRevision = body === null ? null : templateRevision(body, stack.parameters);
        }
      } catch (e) {
        if (!isAppError(e)) console.error('[deployments] reading the stack failed', e);
        stackError = describeFailure(e);
      }
      let currentRevision: string | null = null;
      let parameters: PlanFormParameter[] = [];
      let resources: string[] = [];
      let templateError: string | null = templateProblem;
      if (template) {
        const { text, model } = template;
        try {
          const file = await templates.parameterFile(environment);
          const bucket = newest ? (cloudFor(environmentOf(environment)).artifacts()?.bucket ?? null) : null;
          const code = newest
            ? releaseParameters(
                newest,
                model.parameters.map((p) => p.name),
                bucket,
              )
            : {};
          currentRevision = templateRevision(text, resolvePlanParameters(model, environment, file, code).values);
          // The form shows the parameter file: what the release sets (label, bucket) is the release's, whichever is picked.
          const { values } = resolvePlanParameters(model, environment, file, {});
          parameters = model.parameters
            // The functions' code comes from the release the plan picks (docs/decisions/042-releases.md).
            .filter((p: TemplateParameter) => p.name !== 'Environment' && !CODE_PARAMETERS.includes(p.name))
            .map((p) => ({
              name: p.name,
              type: p.type,
              value: values[p.name] ?? '',
              allowedValues: p.allowedValues ?? null,
              // Shown, never typed: the release picked sets it (a plan that contradicts it is refused).
              setByRelease: p.name === RELEASE_LABEL_PARAMETER,
              description: p.description ?? null,
              constraint:
                p.constraintDescription ??
                p.allowedPattern ??
                (p.minValue !== undefined || p.maxValue !== undefined ? `${p.minValue ?? ''}..${p.maxValue ?? ''}` : null),
            }));
          resources = resourcesFor(model, values)
            .map((r) => r.logicalId)
            .sort();
        } catch (e) {
          templateError = describeFailure(e);
        }
      }
      return {
        environment,
        stackName,
        account: accounts[environmentOf(environment)],
        stack,
        stackError,
        runningRevision,
        currentRevision,
        approvalsRequired: config.approvals[environment],
        deployments,
        parameters,
        resources,
        templateError,
      };
    }),
  );
}
