import { AppError, isAppError } from '@/lib/errors';
import type { AuditAction } from '@/lib/audit/actions';
import { auditEntry, SYSTEM_ACTOR, type AuditActor, type AuditEntry, type RequestOrigin } from '@/lib/audit/model';
import type { Actor } from '@/lib/identity/actor';
import { resourcesFor } from '@/lib/deployments/template-model';
import { planWarnings, requiresTypedConfirmation } from '@/lib/deployments/warnings';
import { buildDiff, describeSummary, type DiffSummary } from '@/lib/deployments/diff';
import { stackNameFor, type DeploymentStatus, type StackEvent } from '@/lib/deployments/model';
import { environmentOf, type Environment, type EnvironmentSlug } from '@/lib/environments';
import { maskParameters, parameterChanges, resolvePlanParameters } from '@/lib/deployments/parameters';
import { shiftRollbackCause, type FunctionTraffic } from '@/lib/deployments/traffic';
import type {
  ArtifactStore,
  DeploymentPatch,
  DeploymentRecord,
  DeploymentStore,
  CloudFormationPort,
  NewDeployment,
  ReleaseStore,
  TemplateSource,
  TrafficShiftPort,
} from '@/lib/deployments/ports';
import {
  assertDeployableCode,
  assertReleaseLabel,
  CODE_PARAMETERS,
  codeChangesOf,
  RELEASE_LABEL_PARAMETER,
  releaseParameters,
  type ReleaseRecord,
} from '@/lib/deployments/releases';
import { isStackBusy, outcomeOfStackStatus, summarizeExecution } from '@/lib/deployments/progress';
import { templateRevision } from '@/lib/deployments/revision';
import type { DeploymentTx } from '@/lib/deployments/ports';
import { deploymentResult, type DeploymentResult } from '@/lib/deployments/result';
import type { DeploymentNotificationKind } from '@/lib/notifications/model';
import { renderDeploymentMessage } from '@/lib/notifications/slack-message';
import {
  assertExecutable,
  assertMayDecide,
  eventsOfExecution,
  executionEvidence,
  executionTokenOf,
  expiryMessage,
  expiryReason,
  isAmbiguousExecuteError,
  isOpen,
  pollBackoffMs,
  readyStatus,
  stackVersionOf,
  type ExecutionEvidence,
  type ExpiryReason,
} from '@/lib/deployments/rules';
import type { PlanInput } from '@/lib/deployments/schemas';

export interface DeploymentConfig {
  /** Approvals each environment's plans need (frozen on the plan when it is made). */
  approvals: Record<EnvironmentSlug, number>;
  /** A plan older than this cannot be executed. */
  planTtlMs: number;
  /** How often the poll job looks at a plan being prepared or an execution under way. */
  pollMs: number;
  /** The local sandbox account is the cloud (enables its simulation options). */
  sandbox: boolean;
}

export interface DeploymentDeps {
  store: DeploymentStore;
  /** CloudFormation of the account an environment's stack lives in (docs/decisions/039). */
  cfn: (environment: Environment) => CloudFormationPort;
  templates: TemplateSource;
  /** The recorded releases: a plan deploys one (docs/decisions/042-releases.md). */
  releases: ReleaseStore;
  /**
   * Where an environment's release zips are (its account's deployment bucket or simulated store):
   * a plan checks they are there and points ArtifactBucket at it. Absent or null: not checked, and
   * the parameter file's ArtifactBucket stands.
   */
  artifactsFor?: (environment: Environment) => ArtifactStore | null;
  /** The functions' traffic shifts in the account an environment's stack lives in (docs/decisions/044-traffic-shift.md); absent: not read. */
  traffic?: (environment: Environment) => TrafficShiftPort;
  now: () => Date;
  newId: () => string;
  config: DeploymentConfig;
  /** The portal's public base URL, for the links in Slack messages (GATEHOUSE_PUBLIC_URL). */
  portalUrl?: string;
}

const LEASE_MS = 60_000;
/** An execution claimed this long ago without CloudFormation's answer recorded is looked at by the job. */
const UNCONFIRMED_MS = 60_000;
/** Events this much older than the claim are never this deployment's (clock skew between us and AWS). */
const EVENT_SKEW_MS = 5 * 60_000;
/** Stack states CloudFormation cannot update: the first creation failed. */
const DEAD_STACK = new Set(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'DELETE_FAILED']);

function audit(d: Pick<DeploymentRecord, 'id' | 'environment'>, action: AuditAction, now: Date, after: unknown, actor: AuditActor = SYSTEM_ACTOR): AuditEntry {
  return auditEntry(actor, action, { type: 'deployment', id: d.id }, { environment: d.environment, after }, now);
}

function describe(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}

/** The change set's failure in words a planner can act on. */
export function planFailureMessage(reason: string | null): string {
  if (reason && /didn't contain changes|No updates are to be performed/i.test(reason))
    return 'Nothing to deploy: the stack already runs this template with these parameters.';
  return `CloudFormation refused the change set: ${reason ?? 'no reason given'}`;
}

/**
 * Queues the Slack message about `d` in the caller's transaction (the outbox,
 * docs/decisions/006-notifications.md): it goes out only if the state change commits, and once.
 */
async function enqueueDeploymentNotification(
  deps: DeploymentDeps,
  tx: DeploymentTx,
  kind: DeploymentNotificationKind,
  d: DeploymentRecord,
  facts: { summary: DiffSummary | null; result?: DeploymentResult | null; now: Date },
): Promise<void> {
  const names = await tx.userNames([d.plannedById, ...(d.executedById ? [d.executedById] : [])]);
  const payload = renderDeploymentMessage(kind, {
    id: d.id,
    environment: d.environment,
    stackName: d.stackName,
    authorName: names.get(d.plannedById) ?? d.plannedById,
    approvalsRequired: d.approvalsRequired,
    changes: facts.summary ? describeSummary(facts.summary) : null,
    releaseId: d.releaseId,
    executedBy: d.executedById ? (names.get(d.executedById) ?? d.executedById) : null,
    result: facts.result ?? null,
    portalUrl: deps.portalUrl ?? 'http://localhost:3000',
  });
  await tx.enqueueNotification({ kind, requestId: d.id, payload, createdAt: facts.now });
}

/**
 * Plans a deployment: checks the parameters against the template, creates a change set of the
 * environment's stack, and records the plan (PLANNING) with its audit event. CloudFormation is
 * asked first, so that a refusal or throttling records nothing; a plan that cannot be recorded
 * deletes its change set again. The job (or the call at the end) moves it on when the change set
 * is ready.
 */
export async function planDeployment(
  deps: DeploymentDeps,
  actor: Actor,
  input: PlanInput,
  origin: RequestOrigin | null,
): Promise<{ id: string; status: DeploymentStatus }> {
  const env = input.environment;
  const fail = input.sandboxFailResource;
  if (fail && !deps.config.sandbox) throw new AppError('UNPROCESSABLE', 'Failing a resource on purpose exists only in the local sandbox account.');
  const [{ text, model }, fileValues] = await Promise.all([deps.templates.template(), deps.templates.parameterFile(env)]);
  // The functions' code comes from a release, never from a typed key (docs/decisions/042-releases.md).
  // The plan form posts every parameter: only the values that differ from the file were changed.
  const changed = Object.fromEntries(Object.entries(input.parameters).filter(([name, value]) => value !== fileValues[name]));
  const typed = Object.keys(changed).filter((name) => CODE_PARAMETERS.includes(name));
  if (typed.length) throw new AppError('UNPROCESSABLE', `${typed.join(', ')} come from the release: pick a release instead of typing a key.`);
  const release = await pickRelease(deps, input.release);
  // Nor does the release label: it is the release's id, so it cannot mislabel the code deployed.
  assertReleaseLabel(changed[RELEASE_LABEL_PARAMETER], release);
  const artifacts = release ? (deps.artifactsFor?.(environmentOf(env)) ?? null) : null;
  if (release && artifacts) await assertReleaseStored(release, artifacts);
  const code = release
    ? releaseParameters(
        release,
        model.parameters.map((p) => p.name),
        artifacts?.bucket ?? null,
      )
    : {};
  const { values, overrides } = resolvePlanParameters(model, env, fileValues, { ...code, ...changed });
  assertDeployableCode(values);
  if (fail && !resourcesFor(model, values).some((r) => r.logicalId === fail))
    throw new AppError('UNPROCESSABLE', `${fail} is not a resource of the ${env} stack.`);
  const stackName = stackNameFor(env);
  const cfn = deps.cfn(environmentOf(env));
  const stack = await cfn.describeStack(stackName);
  if (stack && isStackBusy(stack.status)) throw new AppError('CONFLICT', `${stackName} is ${stack.status}: plan again once CloudFormation is done with it.`);
  if (stack && DEAD_STACK.has(stack.status)) {
    throw new AppError(
      'CONFLICT',
      `${stackName} is ${stack.status}: its creation failed and CloudFormation cannot update it. Delete the stack, then plan again.`,
    );
  }
  const changeSetType = !stack || stack.status === 'REVIEW_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
  const codeChanges = release ? codeChangesOf(release, changeSetType === 'CREATE' ? null : (stack?.parameters ?? null), await deps.releases.list(200)) : null;
  const revision = templateRevision(text, values);
  const now = deps.now();
  const id = deps.newId();
  const changeSetName = `gatehouse-${id}`;
  const { changeSetId } = await cfn.createChangeSet({
    stackName,
    changeSetName,
    changeSetType,
    templateBody: text,
    parameters: values,
    description: `Gatehouse deployment ${id}, planned by ${actor.name}`.slice(0, 1024),
    ...(fail ? { sandboxFailResource: fail } : {}),
  });
  const record: NewDeployment = {
    id,
    environment: environmentOf(env),
    stackName,
    status: 'PLANNING',
    changeSetType,
    changeSetName,
    changeSetId,
    templateRevision: revision,
    parameters: maskParameters(model, values),
    overrides: maskParameters(model, overrides),
    releaseId: release?.id ?? null,
    codeChanges,
    // Against what the stack runs, not the parameter file: every value that changes, code keys and engine version included.
    parameterChanges: parameterChanges(
      model,
      changeSetType === 'CREATE' ? null : maskParameters(model, stack?.parameters ?? {}),
      maskParameters(model, values),
    ),
    sandboxFailResource: fail ?? null,
    approvalsRequired: deps.config.approvals[env],
    plannedById: actor.id,
    plannedAt: now,
    stackVersion: stackVersionOf(stack),
    nextPollAt: now,
  };
  try {
    await deps.store.transaction(async (tx) => {
      await tx.insert(record);
      await tx.appendAudit(
        audit(
          record,
          'deployment.planned',
          now,
          {
            stackName,
            changeSetType,
            changeSetId,
            templateRevision: revision,
            overrides: record.overrides,
            releaseId: record.releaseId,
            approvalsRequired: record.approvalsRequired,
            sandboxFailResource: record.sandboxFailResource,
          },
          actor,
        ),
        origin,
      );
    });
  } catch (e) {
    // Not recorded, so nobody could follow it: the change set goes too.
    await cfn.deleteChangeSet(stackName, changeSetId).catch(() => undefined);
    throw e;
  }
  // The sandbox (and a fast CloudFormation) has the change set ready at once; otherwise the job moves it on.
  await refreshDeployment(deps, id);
  return { id, status: (await deps.store.find(id))?.status ?? 'PLANNING' };
}

/** Refuses a release whose zips are not in the environment's account: the functions could not load them. */
async function assertReleaseStored(release: ReleaseRecord, artifacts: ArtifactStore): Promise<void> {
  const present = await Promise.all(release.functions.map((f) => artifacts.has(f.key)));
  const missing = release.functions.filter((_f, i) => !present[i]);
  if (missing.length)
    throw new AppError(
      'UNPROCESSABLE',
      `Release ${release.id} is missing from ${artifacts.location}: ${missing.map((f) => f.key).join(', ')}. Record it again with npm run release (it uploads to every account), then plan again.`,
    );
}

/** The release a plan deploys: the one asked for (422 when none has that id), else the newest built; null when none is recorded. */
async function pickRelease(deps: Pick<DeploymentDeps, 'releases'>, id: string | undefined): Promise<ReleaseRecord | null> {
  if (id) {
    const release = await deps.releases.find(id);
    if (!release) throw new AppError('UNPROCESSABLE', `Release ${id} is not recorded: pick one of the releases listed, or record it with npm run release.`);
    return release;
  }
  return (await deps.releases.list(1))[0] ?? null;
}

/**
 * Approves or rejects a plan that waits for approval: the decision row, the plan's new status and
 * the audit event commit together. Its author cannot decide; each approver decides once; one
 * rejection ends the plan.
 */
export async function decideDeployment(
  deps: DeploymentDeps,
  actor: Actor,
  input: { id: string; kind: 'APPROVE' | 'REJECT'; comment: string; confirmStackName?: string },
  origin: RequestOrigin | null,
): Promise<{ id: string; status: DeploymentStatus; approvals: number; required: number }> {
  const now = deps.now();
  const pre = await deps.store.find(input.id);
  if (!pre) throw new AppError('NOT_FOUND', 'No such deployment.');
  if (input.kind === 'REJECT' && input.comment.trim().length < 5) throw new AppError('UNPROCESSABLE', 'Say why the plan is rejected.');
  if (isOpen(pre.status) && expiryReason(pre, now, deps.config.planTtlMs) === 'AGE') {
    await expirePlan(deps, pre.id, 'AGE');
    throw new AppError('CONFLICT', expiryMessage('AGE', deps.config.planTtlMs));
  }
  const result = await deps.store.transaction(async (tx) => {
    const loaded = await tx.load(input.id);
    if (!loaded) throw new AppError('NOT_FOUND', 'No such deployment.');
    const { deployment: d, approvals } = loaded;
    assertMayDecide(actor, d, approvals);
    // Approving is where the risk is accepted, so that is where prod asks for the stack name.
    if (input.kind === 'APPROVE' && requiresTypedConfirmation(d.environment, planWarnings(d.changes ?? [])) && input.confirmStackName !== d.stackName)
      throw new AppError(
        'UNPROCESSABLE',
        `This prod plan has warnings (engine version, stateful resources or IAM): type the stack name ${d.stackName} exactly to approve it.`,
      );
    await tx.insertApproval({ deploymentId: d.id, approverId: actor.id, kind: input.kind, comment: input.comment, createdAt: now });
    const count = approvals.filter((a) => a.kind === 'APPROVE').length + (input.kind === 'APPROVE' ? 1 : 0);
    const status: DeploymentStatus = input.kind === 'REJECT' ? 'REJECTED' : count >= d.approvalsRequired ? 'APPROVED' : 'APPROVAL_PENDING';
    if (!(await tx.update(d.id, d.version, { status }))) throw new AppError('CONFLICT', 'The plan changed meanwhile; reload and try again.');
    await tx.appendAudit(
      audit(
        d,
        input.kind === 'APPROVE' ? 'deployment.approved' : 'deployment.rejected',
        now,
        { comment: input.comment, approvals: count, required: d.approvalsRequired, status },
        actor,
      ),
      origin,
    );
    return { status, approvals: count, required: d.approvalsRequired, stackName: d.stackName, changeSetId: d.changeSetId };
  });
  if (result.status === 'REJECTED')
    await deps
      .cfn(pre.environment)
      .deleteChangeSet(result.stackName, result.changeSetId)
      .catch(() => undefined);
  return { id: input.id, status: result.status, approvals: result.approvals, required: result.required };
}

/**
 * Executes a planned (and, where needed, approved) change set. The database decides first: the
 * plan moves to EXECUTING and takes its stack (unique), so of two executions of one stack exactly
 * one proceeds and the other gets a 409. Then CloudFormation is asked; if it refuses (throttled,
 * change set no longer valid), the plan is handed back as it was and nothing else is recorded.
 */
export async function executeDeployment(
  deps: DeploymentDeps,
  actor: Actor,
  id: string,
  origin: RequestOrigin | null,
): Promise<{ id: string; status: DeploymentStatus }> {
  const now = deps.now();
  const d = await deps.store.find(id);
  if (!d) throw new AppError('NOT_FOUND', 'No such deployment.');
  const approvals = d.status === 'APPROVAL_PENDING' ? (await deps.store.listApprovals(id)).filter((a) => a.kind === 'APPROVE').length : 0;
  assertExecutable(d, approvals);
  const cfn = deps.cfn(d.environment);
  const stack = await cfn.describeStack(d.stackName);
  const expired = expiryReason(d, now, deps.config.planTtlMs, stackVersionOf(stack));
  if (expired) {
    await expirePlan(deps, d.id, expired);
    throw new AppError('CONFLICT', expiryMessage(expired, deps.config.planTtlMs));
  }
  const baselineEventId = await cfn.latestStackEventId(d.stackName);
  const claim = await deps.store.claimExecution(d.id, d.version, ['PLANNED', 'APPROVED'], {
    status: 'EXECUTING',
    activeStack: d.stackName,
    executedById: actor.id,
    executedAt: now,
    baselineEventId,
    lastEventId: baselineEventId,
    progressDone: 0,
    nextPollAt: new Date(now.getTime() + deps.config.pollMs),
  });
  if (claim === 'busy') {
    const other = await deps.store.findExecuting(d.stackName);
    throw new AppError('CONFLICT', `Another deployment of ${d.stackName} is executing${other ? ` (${other.id})` : ''}: wait until it finishes.`);
  }
  if (claim === 'moved') throw new AppError('CONFLICT', 'The plan changed meanwhile (executed, expired or decided by someone else); reload.');
  const run = await startExecution(cfn, d);
  if (run.result === 'unknown') {
    // CloudFormation answered unclearly and could not be asked what happened: the claim stays
    // unconfirmed, and the job asks again after a minute (refreshExecution).
    console.warn(
      `[deployments] executing ${d.id}: CloudFormation's answer was unclear and it could not be asked whether the execution started; the job checks again: ${describe(run.error)}`,
    );
    return { id: d.id, status: 'EXECUTING' };
  }
  if (run.result !== 'started') {
    // Nothing ran: give the plan back as it was (or, if the change set can no longer run, expire
    // it), and free the stack.
    const obsolete = run.result === 'cannot-run' || (isAppError(run.error) && /^ChangeSetNotFound/.test(String(run.error.details?.awsError ?? '')));
    await deps.store.transaction(async (tx) => {
      const reverted = await tx.releaseClaim(d.id, {
        status: obsolete ? 'EXPIRED' : d.status,
        activeStack: null,
        executedById: null,
        executedAt: null,
        baselineEventId: null,
        lastEventId: null,
        ...(obsolete ? { planError: expiryMessage('STACK_CHANGED', deps.config.planTtlMs) } : {}),
      });
      if (reverted && obsolete) await tx.appendAudit(audit(d, 'deployment.expired', now, { reason: 'STACK_CHANGED', awsError: describe(run.error) }), null);
    });
    if (obsolete)
      throw new AppError('CONFLICT', 'CloudFormation no longer accepts this change set (the stack changed since, or the change set is gone): plan again.');
    if (run.result === 'not-started')
      throw new AppError(
        'UNAVAILABLE',
        `CloudFormation did not start the execution (${describe(run.error)}); nothing runs. Try again.`,
        isAppError(run.error) ? run.error.details : undefined,
      );
    throw run.error;
  }
  await deps.store.transaction(async (tx) => {
    if (!(await tx.markStarted(d.id, now))) return;
    await tx.appendAudit(
      audit(
        d,
        'deployment.executed',
        now,
        {
          stackName: d.stackName,
          changeSetId: d.changeSetId,
          templateRevision: d.templateRevision,
          approvals,
          ...(run.error ? { reconciled: true, ambiguousError: describe(run.error) } : {}),
        },
        actor,
      ),
      origin,
    );
  });
  // The first events at once, rather than at the job's next tick.
  await refreshDeployment(deps, d.id);
  return { id: d.id, status: 'EXECUTING' };
}

/** How many times ExecuteChangeSet is sent at most, each only after CloudFormation said the change set had not run. */
const EXECUTE_ATTEMPTS = 2;

export type StartResult = { result: 'started'; error: unknown } | { result: 'refused' | 'not-started' | 'cannot-run' | 'unknown'; error: unknown };

/**
 * Asks CloudFormation to run a deployment's change set, trusting only what CloudFormation says.
 * After an unclear answer (5xx, timeout, InvalidChangeSetStatus) it asks DescribeChangeSet and
 * DescribeStacks whether the change set started instead of failing or assuming success; only if
 * it did not (still AVAILABLE) is it sent once more, with the same ClientRequestToken. `error` is
 * the last error seen (null when the first attempt was accepted). 'refused': CloudFormation said
 * no before anything ran; 'unknown': it could not be asked either.
 * (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md)
 */
export async function startExecution(cfn: CloudFormationPort, d: Pick<DeploymentRecord, 'id' | 'stackName' | 'changeSetId'>): Promise<StartResult> {
  let error: unknown = null;
  for (let attempt = 1; ; attempt++) {
    try {
      await cfn.executeChangeSet(d.stackName, d.changeSetId, executionTokenOf(d.id));
      return { result: 'started', error };
    } catch (e) {
      error = e;
    }
    if (!isAmbiguousExecuteError(error)) return { result: 'refused', error };
    let evidence: ExecutionEvidence;
    try {
      evidence = await reconcileExecution(cfn, d);
    } catch {
      return { result: 'unknown', error };
    }
    if (evidence === 'started') return { result: 'started', error };
    if (evidence === 'cannot-run' || attempt >= EXECUTE_ATTEMPTS) return { result: evidence, error };
  }
}

/** What CloudFormation says about whether the deployment's change set ran (throws when it cannot be asked). */
async function reconcileExecution(cfn: CloudFormationPort, d: Pick<DeploymentRecord, 'stackName' | 'changeSetId'>): Promise<ExecutionEvidence> {
  const [changeSet, stack] = await Promise.all([
    cfn.describeChangeSet(d.stackName, d.changeSetId).catch((e: unknown) => {
      if (isAppError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }),
    cfn.describeStack(d.stackName),
  ]);
  return executionEvidence(changeSet, stack, d.changeSetId);
}

/** Expires an open plan (too old, or its stack changed), audited; its change set is deleted. Returns whether it did. */
export async function expirePlan(deps: DeploymentDeps, id: string, reason: ExpiryReason): Promise<boolean> {
  const now = deps.now();
  const d = await deps.store.find(id);
  if (!d || !isOpen(d.status)) return false;
  const done = await deps.store.transaction(async (tx) => {
    if (!(await tx.update(d.id, d.version, { status: 'EXPIRED', planError: expiryMessage(reason, deps.config.planTtlMs), leaseUntil: null }))) return false;
    await tx.appendAudit(audit(d, 'deployment.expired', now, { reason, plannedAt: d.plannedAt }), null);
    return true;
  });
  if (done)
    await deps
      .cfn(d.environment)
      .deleteChangeSet(d.stackName, d.changeSetId)
      .catch(() => undefined);
  return done;
}

/**
 * One look at a plan being prepared or an execution under way (the poll job, safe on several
 * replicas: a lease per deployment, every write version-checked). Throttling and other failures
 * back off (3 s doubling to a minute) and are kept on the row.
 */
export async function refreshDeployment(deps: DeploymentDeps, id: string): Promise<'refreshed' | 'skipped' | 'failed'> {
  const now = deps.now();
  const d = await deps.store.lease(id, ['PLANNING', 'EXECUTING'], now, LEASE_MS);
  if (!d) return 'skipped';
  try {
    if (d.status === 'PLANNING') await refreshPlanning(deps, d, now);
    else await refreshExecution(deps, d, now);
    return 'refreshed';
  } catch (e) {
    const failures = d.pollFailures + 1;
    await deps.store.transaction((tx) =>
      tx.update(d.id, d.version, {
        pollFailures: failures,
        lastPollError: describe(e),
        nextPollAt: new Date(now.getTime() + pollBackoffMs(failures, deps.config.pollMs)),
        leaseUntil: null,
      }),
    );
    if (!isAppError(e) || e.code !== 'RATE_LIMITED')
      console.warn(`[deployments] refreshing ${d.id} failed; retried in ${pollBackoffMs(failures, deps.config.pollMs) / 1000} s: ${describe(e)}`);
    return 'failed';
  }
}

async function refreshPlanning(deps: DeploymentDeps, d: DeploymentRecord, now: Date): Promise<void> {
  const cs = await deps.cfn(d.environment).describeChangeSet(d.stackName, d.changeSetId);
  const base: DeploymentPatch = { pollFailures: 0, lastPollError: null, leaseUntil: null, nextPollAt: new Date(now.getTime() + deps.config.pollMs) };
  if (cs.status === 'CREATE_COMPLETE') {
    const diff = buildDiff(cs.changes);
    const status = readyStatus(d.approvalsRequired);
    await deps.store.transaction(async (tx) => {
      if (!(await tx.update(d.id, d.version, { ...base, status, changes: diff.rows, summary: diff.summary, totalResources: diff.rows.length }))) return;
      // The approvers hear of it once the diff they are to read exists.
      if (status === 'APPROVAL_PENDING') await enqueueDeploymentNotification(deps, tx, 'deployment_approval_needed', d, { summary: diff.summary, now });
    });
  } else if (cs.status === 'FAILED') {
    const planError = planFailureMessage(cs.statusReason);
    await deps.store.transaction(async (tx) => {
      if (!(await tx.update(d.id, d.version, { ...base, status: 'PLAN_FAILED', planError }))) return;
      await tx.appendAudit(audit(d, 'deployment.plan_failed', now, { reason: cs.statusReason }), null);
    });
  } else {
    await deps.store.transaction((tx) => tx.update(d.id, d.version, base));
  }
}

async function refreshExecution(deps: DeploymentDeps, d: DeploymentRecord, now: Date): Promise<void> {
  const executedAt = d.executedAt ?? now;
  if (!d.executionStartedAt) {
    // Claimed, but CloudFormation's answer was never recorded: the process died in between (or is
    // still waiting). After a minute, CloudFormation says whether it started.
    if (now.getTime() - executedAt.getTime() < UNCONFIRMED_MS) {
      await deps.store.transaction((tx) => tx.update(d.id, d.version, { leaseUntil: null, nextPollAt: new Date(now.getTime() + deps.config.pollMs) }));
      return;
    }
    const evidence = await reconcileExecution(deps.cfn(d.environment), d);
    let expired = false;
    await deps.store.transaction(async (tx) => {
      if (evidence === 'not-started') {
        await tx.update(d.id, d.version, {
          status: readyStatus(d.approvalsRequired) === 'PLANNED' ? 'PLANNED' : 'APPROVED',
          activeStack: null,
          executedById: null,
          executedAt: null,
          baselineEventId: null,
          lastEventId: null,
          leaseUntil: null,
        });
      } else if (evidence === 'cannot-run') {
        if (
          !(await tx.update(d.id, d.version, {
            status: 'EXPIRED',
            planError: expiryMessage('STACK_CHANGED', deps.config.planTtlMs),
            activeStack: null,
            executedById: null,
            executedAt: null,
            baselineEventId: null,
            lastEventId: null,
            leaseUntil: null,
          }))
        )
          return;
        await tx.appendAudit(audit(d, 'deployment.expired', now, { reason: 'STACK_CHANGED', recovered: true }), null);
        expired = true;
      } else if (await tx.update(d.id, d.version, { executionStartedAt: executedAt, leaseUntil: null, nextPollAt: now })) {
        // The system records it; who asked for the execution is kept in the event.
        await tx.appendAudit(
          audit(d, 'deployment.executed', now, { stackName: d.stackName, changeSetId: d.changeSetId, recovered: true, executedById: d.executedById }),
          null,
        );
      }
    });
    if (expired)
      await deps
        .cfn(d.environment)
        .deleteChangeSet(d.stackName, d.changeSetId)
        .catch(() => undefined);
    return;
  }
  // The stack first, then its events: a terminal status read here is also in the events read after.
  const cfn = deps.cfn(d.environment);
  const stack = await cfn.describeStack(d.stackName);
  const fresh = await cfn.listStackEvents(d.stackName, { afterEventId: d.lastEventId, notBefore: new Date(executedAt.getTime() - EVENT_SKEW_MS) });
  const stored = await deps.store.listEvents(d.id);
  const known = new Set(stored.map((e) => e.eventId));
  // Only this execution's events: another operation's (its own token) never count as its progress.
  const added = eventsOfExecution(fresh, executionTokenOf(d.id)).filter((e) => !known.has(e.eventId));
  const all: StackEvent[] = [...stored, ...added];
  const summary = summarizeExecution(all, { stackName: d.stackName, total: d.totalResources ?? 0 });
  // Once the execution's own stack events appear, a terminal stack status ends it.
  const started = summary.stackStatus !== null;
  const outcome = summary.outcome ?? (started ? (stack ? outcomeOfStackStatus(stack.status) : 'FAILED') : null);
  // CloudFormation has reached an alias: CodeDeploy shifts its traffic. Read per poll into the row,
  // so that the page's polling never fans out to AWS (docs/decisions/044-traffic-shift.md).
  const shifts = all.some((e) => e.resourceType === 'AWS::Lambda::Alias') ? await readShifts(deps, d, executedAt) : undefined;
  const cause = outcome && outcome !== 'SUCCEEDED' ? shiftRollbackCause(shifts ?? d.trafficShifts) : null;
  // An alarm that stopped a shift is the reason, when the failure is the alias's (or none was reported).
  const failedType = summary.failure ? all.find((e) => e.logicalId === summary.failure?.logicalId)?.resourceType : null;
  const alarmCause = cause && (!summary.failure || failedType === 'AWS::Lambda::Alias') ? cause : null;
  const patch: DeploymentPatch = {
    ...(shifts !== undefined ? { trafficShifts: shifts } : {}),
    lastEventId: fresh.at(-1)?.eventId ?? d.lastEventId,
    // What the events report, never the plan's total claimed at the end.
    progressDone: summary.done,
    stackStatus: stack?.status ?? summary.stackStatus,
    // The first failed event's reason; failing that, once the execution ended badly, the stack's own
    // status reason (events without reasons, or an emulator that sends only the stack's events).
    failureReason:
      alarmCause?.reason ??
      summary.failure?.reason ??
      (stack ? (outcome && outcome !== 'SUCCEEDED' ? stack.statusReason : null) : started ? 'The stack no longer exists.' : null),
    failedResource: summary.failure?.logicalId ?? null,
    rollbackStartedAt: summary.rollbackStartedAt,
    pollFailures: 0,
    lastPollError: null,
    leaseUntil: null,
    nextPollAt: new Date(now.getTime() + deps.config.pollMs),
    ...(outcome
      ? { status: outcome, finishedAt: now, activeStack: null, outputs: stack ? Object.fromEntries(stack.outputs.map((o) => [o.key, o.value])) : null }
      : {}),
  };
  await deps.store.transaction(async (tx) => {
    if (!(await tx.update(d.id, d.version, patch))) throw new AppError('CONFLICT', 'The deployment changed meanwhile; the next poll continues.');
    await tx.insertEvents(d.id, added);
    if (outcome) {
      await tx.appendAudit(
        audit(d, 'deployment.finished', now, {
          result: outcome,
          stackStatus: patch.stackStatus,
          failedResource: patch.failedResource,
          failureReason: patch.failureReason,
          progress: `${patch.progressDone}/${d.totalResources ?? 0}`,
        }),
        null,
      );
      await enqueueDeploymentNotification(deps, tx, 'deployment_finished', d, {
        summary: d.summary,
        result: deploymentResult({
          status: outcome,
          stackStatus: patch.stackStatus,
          failureReason: patch.failureReason ?? null,
          failedResource: patch.failedResource ?? null,
          planError: null,
        }),
        now,
      });
    }
  });
  if (outcome) {
    // The stack changed: the other plans of it no longer describe what would happen.
    for (const other of await deps.store.listOpenForStack(d.stackName, d.id)) await expirePlan(deps, other, 'STACK_CHANGED');
  }
}

/**
 * The functions' traffic shifts since the execution started; null when they cannot be read (an
 * identity without CodeDeploy or Lambda read access must not keep a deployment from ending), but
 * throttling is retried like any poll.
 */
async function readShifts(deps: DeploymentDeps, d: DeploymentRecord, executedAt: Date): Promise<FunctionTraffic[] | null | undefined> {
  if (!deps.traffic) return undefined;
  try {
    return await deps.traffic(d.environment).readTrafficShifts(d.stackName, new Date(executedAt.getTime() - EVENT_SKEW_MS));
  } catch (e) {
    if (isAppError(e) && e.code === 'RATE_LIMITED') throw e;
    console.warn(`[deployments] reading the traffic shift of ${d.stackName} failed; shown as unknown: ${describe(e)}`);
    return d.trafficShifts ?? null;
  }
}

/**
 * Runs drift detection on an environment's stack (one at a time per environment: a detection under
 * way is returned as it is), recorded and audited; the job collects the result.
 */
export async function startDriftDetection(
  deps: DeploymentDeps,
  actor: Actor,
  env: EnvironmentSlug,
  origin: RequestOrigin | null,
): Promise<{ id: string; status: string }> {
  const environment = environmentOf(env);
  const stackName = stackNameFor(env);
  const running = await deps.store.findDetectingDriftCheck(environment);
  if (running) return { id: running.id, status: running.status };
  const cfn = deps.cfn(environment);
  const stack = await cfn.describeStack(stackName);
  if (!stack || stack.status === 'REVIEW_IN_PROGRESS') throw new AppError('CONFLICT', `${stackName} has not been deployed yet: there is nothing to compare.`);
  if (isStackBusy(stack.status)) throw new AppError('CONFLICT', `${stackName} is ${stack.status}: detect drift once CloudFormation is done with it.`);
  const detectionId = await cfn.detectStackDrift(stackName);
  const now = deps.now();
  const id = deps.newId();
  await deps.store.transaction(async (tx) => {
    await tx.insertDriftCheck({ id, environment, stackName, detectionId, status: 'DETECTING', requestedById: actor.id, createdAt: now, nextPollAt: now });
    await tx.appendAudit(
      auditEntry(actor, 'stack.drift_detection_started', { type: 'stack', id: stackName }, { environment, after: { detectionId, checkId: id } }, now),
      origin,
    );
  });
  await refreshDriftCheck(deps, id);
  return { id, status: (await deps.store.findDriftCheck(id))?.status ?? 'DETECTING' };
}

/** One look at a drift detection under way; stores the drifted resources when it completes. */
export async function refreshDriftCheck(deps: DeploymentDeps, id: string): Promise<'refreshed' | 'skipped' | 'failed'> {
  const now = deps.now();
  const c = await deps.store.leaseDriftCheck(id, now, LEASE_MS);
  if (!c) return 'skipped';
  try {
    const cfn = deps.cfn(c.environment);
    const status = await cfn.describeDriftDetection(c.detectionId);
    if (status.state === 'DETECTION_IN_PROGRESS') {
      await deps.store.transaction((tx) =>
        tx.updateDriftCheck(c.id, c.version, { leaseUntil: null, nextPollAt: new Date(now.getTime() + deps.config.pollMs) }),
      );
      return 'refreshed';
    }
    const resources = status.state === 'DETECTION_COMPLETE' ? await cfn.listResourceDrifts(c.stackName) : null;
    const drifted = resources?.filter((r) => r.status === 'MODIFIED' || r.status === 'DELETED') ?? null;
    await deps.store.transaction(async (tx) => {
      const ok = await tx.updateDriftCheck(c.id, c.version, {
        status: status.state === 'DETECTION_COMPLETE' ? 'COMPLETE' : 'FAILED',
        stackDriftStatus: status.stackDriftStatus,
        driftedCount: drifted?.length ?? status.driftedCount,
        resources: drifted,
        error: status.state === 'DETECTION_FAILED' ? (status.reason ?? 'Drift detection failed.') : null,
        completedAt: now,
        leaseUntil: null,
      });
      if (!ok) return;
      await tx.appendAudit(
        auditEntry(
          SYSTEM_ACTOR,
          'stack.drift_detected',
          { type: 'stack', id: c.stackName },
          {
            environment: c.environment,
            after: {
              checkId: c.id,
              stackDriftStatus: status.stackDriftStatus,
              drifted: drifted?.map((r) => `${r.logicalId}:${r.status}`) ?? [],
              error: status.reason,
            },
          },
          now,
        ),
        null,
      );
    });
    return 'refreshed';
  } catch (e) {
    await deps.store.transaction((tx) =>
      tx.updateDriftCheck(c.id, c.version, { leaseUntil: null, nextPollAt: new Date(now.getTime() + pollBackoffMs(2, deps.config.pollMs)) }),
    );
    if (!isAppError(e) || e.code !== 'RATE_LIMITED') console.warn(`[deployments] drift check ${c.id} failed; retried: ${describe(e)}`);
    return 'failed';
  }
}

/** The poll job: expires plans that are too old, then moves every plan, execution and drift check that is due. */
export async function runDeploymentJobs(deps: DeploymentDeps): Promise<{ expired: number; refreshed: number }> {
  const now = deps.now();
  let expired = 0;
  for (const id of await deps.store.listOpenPlannedBefore(new Date(now.getTime() - deps.config.planTtlMs), 50))
    if (await expirePlan(deps, id, 'AGE')) expired++;
  const due = await deps.store.listDue(now, 20);
  let refreshed = 0;
  for (const id of due.deployments) if ((await refreshDeployment(deps, id)) === 'refreshed') refreshed++;
  for (const id of due.driftChecks) if ((await refreshDriftCheck(deps, id)) === 'refreshed') refreshed++;
  return { expired, refreshed };
}
