import 'server-only';
import { createHash } from 'node:crypto';
import { outputsFor, resolveParameters, evaluate, TemplateError, type Json, type JsonObject, type TemplateModel } from '@/lib/deployments/template-model';
import { parseTemplate } from '@/lib/deployments/template-parse';
import { AppError } from '@/lib/errors';
import type { ChangeSetInfo, RawResourceChange, ResourceDrift, StackEvent, StackInfo } from '@/lib/deployments/model';
import type { CloudFormationPort } from '@/lib/deployments/ports';
import { SHIFTED_FUNCTIONS, type FunctionTraffic } from '@/lib/deployments/traffic';
import { forcedStates } from '@/lib/server/sandbox/alarms';
import { firstForcedAlarm, type ForcedState } from '@/lib/server/sandbox/alarm-simulation';
import type { JsonValue, SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import {
  attributeValue,
  computeChangeSet,
  leafDifferences,
  materialize,
  physicalIdFor,
  shiftStateAt,
  simulateExecution,
  targetResources,
  type Account,
  type AlarmFiring,
  type AlarmWatch,
  type ExecutionPlan,
  type ShiftPlan,
  type PlannedStep,
  type SimEvent,
  type StackResource,
  type TargetResource,
} from '@/lib/server/sandbox/cloudformation-sim';

const SERVICE = 'cloudformation';
const STACK_TYPE = 'AWS::CloudFormation::Stack';
/** Executions kept per stack (their events make the stack's event history). */
const KEPT_EXECUTIONS = 6;

interface StoredExecution {
  id: string;
  changeSetId: string;
  token: string;
  plan: ExecutionPlan;
  endAt: number;
  finalStatus: string;
  succeeded: boolean;
  settled: boolean;
  /** Once settled: what each shift's alarms did (by alias), so the history never changes afterwards. */
  firings?: Record<string, AlarmFiring | null>;
}

type DriftOverlay = { kind: 'MODIFIED'; actual: JsonObject } | { kind: 'DELETED' };

interface StoredStack {
  stackId: string;
  stackName: string;
  createdAt: string;
  /** The status once the last execution settled (while one runs, its events say). */
  status: string;
  lastUpdatedAt: string | null;
  parameters: Record<string, string>;
  templateSha: string | null;
  resources: Record<string, StackResource>;
  outputs: { key: string; value: string; description: string | null }[];
  executions: StoredExecution[];
  /** One-off events outside executions (REVIEW_IN_PROGRESS). */
  notes: SimEvent[];
  /** Changes made behind CloudFormation's back (the "simulate drift" tool). */
  drift: Record<string, DriftOverlay>;
  lastDrift: { detectionId: string; at: string; status: string } | null;
}

interface StoredChangeSet {
  id: string;
  name: string;
  stackName: string;
  stackId: string;
  type: 'CREATE' | 'UPDATE';
  status: string;
  statusReason: string | null;
  executionStatus: string;
  createdAt: string;
  parameters: Record<string, string>;
  templateSha: string;
  stackVersion: string;
  changes: RawResourceChange[];
  steps: PlannedStep[];
  /** New properties of the resources it adds or modifies. */
  target: Record<string, TargetResource>;
  failResource: string | null;
}

interface StoredDetection {
  id: string;
  stackName: string;
  at: string;
  stackDriftStatus: 'DRIFTED' | 'IN_SYNC';
  drifts: ResourceDrift[];
}

const CONSOLE_EDITS = ['MemorySize', 'Timeout', 'VisibilityTimeout', 'BackupRetentionPeriod', 'RetentionInDays', 'AllocatedStorage'];
const rank = (key: string) => (CONSOLE_EDITS.includes(key) ? CONSOLE_EDITS.indexOf(key) : CONSOLE_EDITS.length);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function uuidFrom(...parts: string[]): string {
  return sha256(parts.join('\u0000'))
    .slice(0, 32)
    .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5');
}

/** CloudFormation's error, as the AWS adapter maps it (details.awsError is its name). */
function cfnError(code: 'NOT_FOUND' | 'UNPROCESSABLE' | 'CONFLICT', awsError: string, message: string): AppError {
  return new AppError(code, message, { awsError, sandbox: true });
}

// Parsing the 80 KB template takes a few milliseconds; the stacks refer to a handful of versions.
const models = new Map<string, TemplateModel>();
function modelOf(sha: string, text: string): TemplateModel {
  let m = models.get(sha);
  if (!m) {
    m = parseTemplate(text);
    if (models.size > 8) models.clear();
    models.set(sha, m);
  }
  return m;
}

export interface SandboxCloudFormationOptions {
  region: string;
  /** How long an execution takes from start to final status (GATEHOUSE_SANDBOX_DEPLOY_SECONDS), not counting traffic shifts. */
  durationMs: number;
  /** How long one minute of a CodeDeploy configuration lasts (GATEHOUSE_SANDBOX_SHIFT_SECONDS_PER_MINUTE; default 2 s). */
  shiftMinuteMs?: number;
  now?: () => Date;
}

/** What the sandbox can do that AWS (through the portal) cannot: seeding stacks and editing resources behind CloudFormation's back. */
export interface SandboxCloudFormation extends CloudFormationPort {
  /** Creates the stack as if deployed at `createdAt` (its creation events included), unless it exists. */
  seedStack(stackName: string, templateText: string, parameters: Record<string, string>, createdAt: Date): Promise<boolean>;
  /** Changes a resource outside CloudFormation (edits a property, or deletes it), for drift detection to find. */
  simulateDrift(stackName: string, logicalId: string, change: 'edit' | 'delete'): Promise<{ logicalId: string; description: string }>;
  /**
   * Per function, the alias `live` and the simulated CodeDeploy deployment of the newest execution
   * started since `since` that shifts traffic (docs/decisions/044-traffic-shift.md).
   */
  trafficShifts(stackName: string, since: Date): Promise<FunctionTraffic[]>;
  /** Logical ids and types of the stack's resources. */
  listResources(stackName: string): Promise<{ logicalId: string; type: string; physicalId: string }[]>;
}

/**
 * CloudFormation of one local sandbox account (`store.accountId`), stored in its sandbox store: stacks with their
 * resources (the template's evaluated properties and a physical id each), change sets computed by
 * comparing what the template gives with what the stack has, and executions that unfold over
 * `durationMs` as resource events derived from the start time and the creation order — so any
 * replica, at any moment, sees the same progress. A plan may name a resource to fail, to show a
 * rollback. Drift is found where the sandbox's "simulate drift" tool changed a resource.
 */
export function createSandboxCloudFormation(store: SandboxStore, options: SandboxCloudFormationOptions): SandboxCloudFormation {
  const now = options.now ?? (() => new Date());
  const account: Account = { accountId: store.accountId, region: options.region };
  const stackArn = (name: string) => `arn:aws:cloudformation:${account.region}:${account.accountId}:stack/${name}/${uuidFrom('stack', name)}`;

  async function template(sha: string): Promise<{ text: string; model: TemplateModel }> {
    const doc = await store.get<{ text: string }>(SERVICE, 'template', sha);
    if (!doc) throw new AppError('UNAVAILABLE', `The sandbox lost template ${sha}.`);
    return { text: doc.text, model: modelOf(sha, doc.text) };
  }

  const lookupIn = (resources: Record<string, StackResource>) => (id: string, attr: string | null) =>
    resources[id] ? attributeValue(resources[id], attr, account) : undefined;

  async function outputsOf(
    sha: string,
    parameters: Record<string, string>,
    resources: Record<string, StackResource>,
    stackName: string,
  ): Promise<StoredStack['outputs']> {
    const { model } = await template(sha);
    const lookup = lookupIn(resources);
    const out: StoredStack['outputs'] = [];
    for (const o of outputsFor(model, parameters)) {
      try {
        const value = evaluate(model, o.value, {
          parameters,
          stackName,
          region: account.region,
          accountId: account.accountId,
          ref: (id) => lookup(id, null),
          getAtt: (id, attr) => lookup(id, attr),
        });
        out.push({ key: o.name, value: typeof value === 'string' ? value : JSON.stringify(value ?? null), description: o.description ?? null });
      } catch {
        // An output naming something the stack does not have is left out, as CloudFormation would fail it.
      }
    }
    return out;
  }

  const isUnsettled = (s: StoredStack) => s.executions.some((e) => !e.settled);
  const hasShifts = (s: StoredStack) => s.executions.some((e) => !e.settled && e.plan.shifts?.length);

  /** States set with SetAlarmState in this account (what the simulated CodeDeploy watches); read only when a shift runs. */
  async function forcedNow(stack: StoredStack): Promise<Map<string, ForcedState[]>> {
    return hasShifts(stack) ? forcedStates(store, account.region) : new Map();
  }

  /** What an execution's shifts see of their alarms: as they were when it settled, else as set now. */
  function watchOf(e: StoredExecution, forced: Map<string, ForcedState[]>): AlarmWatch {
    if (e.firings) return (shift) => e.firings?.[shift.aliasId] ?? null;
    return (shift, from, to) => firstForcedAlarm(forced, shift.alarms, from, to);
  }

  /** Applies executions that have ended (their final state), at most once whoever reads first. */
  async function settle(stack: StoredStack, at: number): Promise<StoredStack> {
    const running = stack.executions.find((e) => !e.settled);
    if (!running) return stack;
    // An alarm may stop a shift: the execution's end is known only from what its alarms did.
    const firings: Record<string, AlarmFiring | null> = {};
    const watch = watchOf(running, await forcedNow(stack));
    const sim = simulateExecution(running.plan, (shift, from, to) => (firings[shift.aliasId] = watch(shift, from, to)));
    if (at < sim.endAt) return stack;
    const cs = await store.get<StoredChangeSet>(SERVICE, 'changeset', running.changeSetId);
    const next: StoredStack = {
      ...stack,
      executions: stack.executions.map((e) =>
        e.id === running.id ? { ...e, settled: true, endAt: sim.endAt, finalStatus: sim.finalStatus, succeeded: sim.succeeded, firings } : e,
      ),
      status: sim.finalStatus,
      lastUpdatedAt: new Date(sim.endAt).toISOString(),
    };
    if (sim.succeeded && cs) {
      const resources = { ...stack.resources };
      const drift = { ...stack.drift };
      for (const step of running.plan.steps) {
        delete drift[step.logicalId];
        if (step.action === 'Remove') {
          delete resources[step.logicalId];
          continue;
        }
        const old = resources[step.logicalId];
        const generation = step.action === 'Add' ? 1 : step.replace ? (old?.generation ?? 0) + 1 : (old?.generation ?? 1);
        resources[step.logicalId] = {
          type: step.type,
          physicalId: step.newPhysicalId,
          generation,
          properties: cs.target[step.logicalId]?.properties ?? old?.properties ?? {},
        };
      }
      next.resources = resources;
      next.drift = drift;
      next.parameters = cs.parameters;
      next.templateSha = cs.templateSha;
      next.outputs = await outputsOf(cs.templateSha, cs.parameters, resources, stack.stackName);
      if (running.plan.kind === 'CREATE') next.lastUpdatedAt = null;
    } else if (running.plan.kind === 'CREATE') {
      next.lastUpdatedAt = null;
    }
    if (cs)
      await store.put(SERVICE, 'changeset', cs.id, {
        ...cs,
        executionStatus: sim.succeeded ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED',
      } as unknown as JsonValue);
    await store.put(SERVICE, 'stack', stack.stackName, next as unknown as JsonValue);
    return next;
  }

  async function loadStack(stackName: string): Promise<StoredStack | null> {
    const stack = await store.get<StoredStack>(SERVICE, 'stack', stackName);
    return stack ? settle(stack, now().getTime()) : null;
  }

  async function allEvents(stack: StoredStack, at: number): Promise<SimEvent[]> {
    const events = [...stack.notes];
    const forced = await forcedNow(stack);
    for (const e of stack.executions)
      events.push(
        ...simulateExecution(e.plan, watchOf(e, forced))
          .events.filter((x) => x.at <= at)
          .map((x) => ({ ...x, token: e.token })),
      );
    return events.sort((a, b) => a.at - b.at || a.eventId.localeCompare(b.eventId));
  }

  async function statusAt(stack: StoredStack, at: number): Promise<string> {
    if (!isUnsettled(stack)) return stack.status;
    const running = stack.executions.find((e) => !e.settled)!;
    const last = simulateExecution(running.plan, watchOf(running, await forcedNow(stack)))
      .events.filter((e) => e.at <= at && e.resourceType === STACK_TYPE)
      .at(-1);
    return last?.status ?? stack.status;
  }

  /**
   * The shifts of an update: each alias the change set modifies whose function gets a new version
   * (its Version resource replaced). The deployment group named like the function gives the
   * configuration and the alarms, as the template wires them (CodeDeployLambdaAliasUpdate).
   */
  function planShifts(stack: StoredStack, cs: StoredChangeSet, executionId: string): ShiftPlan[] {
    const lookup = lookupIn(stack.resources);
    const resolve = (v: Json | undefined) => (v === undefined ? undefined : materialize(v, lookup));
    const replacedVersions = cs.steps.filter((x) => x.type === 'AWS::Lambda::Version' && x.action === 'Modify' && x.replace);
    const shifts: ShiftPlan[] = [];
    for (const step of cs.steps) {
      if (step.type !== 'AWS::Lambda::Alias' || step.action !== 'Modify') continue;
      const alias = stack.resources[step.logicalId];
      const fnToken = JSON.stringify(cs.target[step.logicalId]?.properties.FunctionName ?? alias?.properties.FunctionName);
      const version = replacedVersions.find(
        (v) => JSON.stringify(cs.target[v.logicalId]?.properties.FunctionName ?? stack.resources[v.logicalId]?.properties.FunctionName) === fnToken,
      );
      if (!alias || !version) continue;
      const functionName = resolve(alias.properties.FunctionName);
      if (typeof functionName !== 'string') continue;
      const group = Object.entries(stack.resources).find(
        ([id, r]) => r.type === 'AWS::CodeDeploy::DeploymentGroup' && (cs.target[id] ?? r).properties.DeploymentGroupName === functionName,
      );
      const groupProps = group ? (cs.target[group[0]] ?? group[1]).properties : {};
      const alarmConfig = resolve(groupProps.AlarmConfiguration) as { Alarms?: { Name?: string }[] } | undefined;
      const oldGeneration = stack.resources[version.logicalId]?.generation ?? 1;
      shifts.push({
        aliasId: step.logicalId,
        functionName,
        deploymentId: `d-${sha256(`${executionId}|${step.logicalId}`).slice(0, 9).toUpperCase()}`,
        config: typeof groupProps.DeploymentConfigName === 'string' ? groupProps.DeploymentConfigName : 'CodeDeployDefault.LambdaAllAtOnce',
        alarms: (alarmConfig?.Alarms ?? []).map((a) => a.Name).filter((n): n is string => typeof n === 'string'),
        fromVersion: String(oldGeneration),
        toVersion: String(oldGeneration + 1),
      });
    }
    return shifts;
  }

  const versionOf = (stack: StoredStack | null) =>
    !stack || stack.status === 'REVIEW_IN_PROGRESS' ? 'none' : `${stack.status}@${stack.lastUpdatedAt ?? stack.createdAt}`;
  const toEvent = (e: SimEvent): StackEvent => ({
    eventId: e.eventId,
    timestamp: new Date(e.at),
    logicalId: e.logicalId,
    physicalId: e.physicalId,
    resourceType: e.resourceType,
    status: e.status,
    reason: e.reason,
    clientRequestToken: e.token ?? null,
  });
  const busy = (status: string) => status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';

  async function requireStack(stackName: string): Promise<StoredStack> {
    const stack = await loadStack(stackName);
    if (!stack) throw cfnError('NOT_FOUND', 'ValidationError', `Stack with id ${stackName} does not exist`);
    return stack;
  }

  function planSteps(stack: StoredStack, cs: StoredChangeSet): ExecutionPlan['steps'] {
    return cs.steps.map((s) => {
      const old = stack.resources[s.logicalId];
      const generation = s.action === 'Add' ? 1 : (old?.generation ?? 1) + (s.replace ? 1 : 0);
      const newPhysicalId =
        s.action === 'Remove'
          ? (old?.physicalId ?? s.logicalId)
          : s.action === 'Add' || s.replace
            ? physicalIdFor(stack.stackName, s.logicalId, s.type, generation, cs.target[s.logicalId]?.properties ?? {}, account)
            : (old?.physicalId ?? s.logicalId);
      return { ...s, oldPhysicalId: old?.physicalId ?? null, newPhysicalId };
    });
  }

  return {
    async describeStack(stackName) {
      const stack = await loadStack(stackName);
      if (!stack) return null;
      const at = now().getTime();
      return {
        stackId: stack.stackId,
        stackName: stack.stackName,
        status: await statusAt(stack, at),
        statusReason: null,
        createdAt: new Date(stack.createdAt),
        lastUpdatedAt: stack.lastUpdatedAt ? new Date(stack.lastUpdatedAt) : null,
        outputs: stack.outputs,
        parameters: stack.parameters,
        tags: {},
        driftStatus: stack.lastDrift?.status ?? 'NOT_CHECKED',
        lastDriftCheckAt: stack.lastDrift ? new Date(stack.lastDrift.at) : null,
        changeSetId: stack.executions.at(-1)?.changeSetId ?? null,
      } satisfies StackInfo;
    },

    async getTemplateBody(stackName) {
      const stack = await loadStack(stackName);
      return stack?.templateSha ? (await template(stack.templateSha)).text : null;
    },

    async createChangeSet(input) {
      const at = now();
      const stack = await loadStack(input.stackName);
      if (input.changeSetType === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS')
        throw cfnError('CONFLICT', 'AlreadyExistsException', `Stack [${input.stackName}] already exists`);
      if (input.changeSetType === 'UPDATE' && (!stack || stack.status === 'REVIEW_IN_PROGRESS'))
        throw cfnError('NOT_FOUND', 'ValidationError', `Stack [${input.stackName}] does not exist`);
      const current = stack ? await statusAt(stack, at.getTime()) : null;
      if (stack && current && busy(current))
        throw cfnError('CONFLICT', 'ValidationError', `Stack:${stack.stackId} is in ${current} state and can not be updated.`);
      const id = `arn:aws:cloudformation:${account.region}:${account.accountId}:changeSet/${input.changeSetName}/${uuidFrom('cs', input.stackName, input.changeSetName)}`;
      // The same request again (ClientToken = the change set name) gives the same change set.
      const existing = await store.get<StoredChangeSet>(SERVICE, 'changeset', id);
      if (existing) return { changeSetId: existing.id, stackId: existing.stackId };

      const templateSha = sha256(input.templateBody);
      let model: TemplateModel;
      let parameters: Record<string, string>;
      try {
        model = modelOf(templateSha, input.templateBody);
      } catch (e) {
        throw cfnError('UNPROCESSABLE', 'ValidationError', `Template format error: ${e instanceof Error ? e.message : String(e)}`);
      }
      try {
        parameters = resolveParameters(model, input.parameters);
      } catch (e) {
        if (e instanceof TemplateError) throw cfnError('UNPROCESSABLE', 'ValidationError', `Parameter validation failed: ${e.message}`);
        throw e;
      }
      const target = targetResources(model, parameters, input.stackName, account);
      const computed = computeChangeSet(stack?.resources ?? {}, target, account);
      if (input.sandboxFailResource && !computed.steps.some((s) => s.logicalId === input.sandboxFailResource && s.action !== 'Remove')) {
        throw cfnError(
          'UNPROCESSABLE',
          'ValidationError',
          `${input.sandboxFailResource} is not added or modified by this change set: the sandbox can only fail a resource the deployment touches.`,
        );
      }
      await store.createIfAbsent(SERVICE, 'template', templateSha, { text: input.templateBody });
      const stackId = stack?.stackId ?? stackArn(input.stackName);
      if (!stack) {
        const review: StoredStack = {
          stackId,
          stackName: input.stackName,
          createdAt: at.toISOString(),
          status: 'REVIEW_IN_PROGRESS',
          lastUpdatedAt: null,
          parameters: {},
          templateSha: null,
          resources: {},
          outputs: [],
          executions: [],
          drift: {},
          lastDrift: null,
          notes: [
            {
              eventId: `${uuidFrom('review', input.stackName, at.toISOString())}`,
              at: at.getTime(),
              logicalId: input.stackName,
              physicalId: stackId,
              resourceType: STACK_TYPE,
              status: 'REVIEW_IN_PROGRESS',
              reason: 'User Initiated',
            },
          ],
        };
        await store.put(SERVICE, 'stack', input.stackName, review as unknown as JsonValue);
      }
      const empty = computed.changes.length === 0;
      const changed = new Set(computed.steps.filter((s) => s.action !== 'Remove').map((s) => s.logicalId));
      const cs: StoredChangeSet = {
        id,
        name: input.changeSetName,
        stackName: input.stackName,
        stackId,
        type: input.changeSetType,
        status: empty ? 'FAILED' : 'CREATE_COMPLETE',
        statusReason: empty ? "The submitted information didn't contain changes. Submit different information to create a change set." : null,
        executionStatus: empty ? 'UNAVAILABLE' : 'AVAILABLE',
        createdAt: at.toISOString(),
        parameters,
        templateSha,
        stackVersion: versionOf(stack),
        changes: computed.changes,
        steps: computed.steps,
        target: Object.fromEntries(Object.entries(target.resources).filter(([rid]) => changed.has(rid))),
        failResource: input.sandboxFailResource ?? null,
      };
      await store.put(SERVICE, 'changeset', id, cs as unknown as JsonValue);
      return { changeSetId: id, stackId };
    },

    async describeChangeSet(stackName, changeSetId): Promise<ChangeSetInfo> {
      const cs = await store.get<StoredChangeSet>(SERVICE, 'changeset', changeSetId);
      if (!cs || cs.stackName !== stackName) throw cfnError('NOT_FOUND', 'ChangeSetNotFoundException', `ChangeSet [${changeSetId}] does not exist`);
      const stack = await loadStack(stackName);
      let executionStatus = (await store.get<StoredChangeSet>(SERVICE, 'changeset', changeSetId))?.executionStatus ?? cs.executionStatus;
      if (executionStatus === 'AVAILABLE' && versionOf(stack) !== cs.stackVersion) {
        executionStatus = 'OBSOLETE';
        await store.put(SERVICE, 'changeset', cs.id, { ...cs, executionStatus } as unknown as JsonValue);
      }
      return { changeSetId: cs.id, status: cs.status, statusReason: cs.statusReason, executionStatus, createdAt: new Date(cs.createdAt), changes: cs.changes };
    },

    async executeChangeSet(stackName, changeSetId, token) {
      const cs = await store.get<StoredChangeSet>(SERVICE, 'changeset', changeSetId);
      if (!cs || cs.stackName !== stackName) throw cfnError('NOT_FOUND', 'ChangeSetNotFoundException', `ChangeSet [${changeSetId}] does not exist`);
      const stack = await requireStack(stackName);
      if (stack.executions.some((e) => e.changeSetId === cs.id && e.token === token)) return;
      const at = now().getTime();
      if (cs.executionStatus === 'AVAILABLE' && versionOf(stack) !== cs.stackVersion) {
        await store.put(SERVICE, 'changeset', cs.id, { ...cs, executionStatus: 'OBSOLETE' } as unknown as JsonValue);
        throw cfnError('CONFLICT', 'InvalidChangeSetStatusException', `ChangeSet [${cs.id}] cannot be executed in its current status of [OBSOLETE]`);
      }
      if (cs.executionStatus !== 'AVAILABLE')
        throw cfnError(
          'CONFLICT',
          'InvalidChangeSetStatusException',
          `ChangeSet [${cs.id}] cannot be executed in its current status of [${cs.executionStatus}]`,
        );
      const current = await statusAt(stack, at);
      if (busy(current)) throw cfnError('CONFLICT', 'ValidationError', `Stack:${stack.stackId} is in ${current} state and can not be updated.`);
      const executionId = uuidFrom('execution', cs.id, token);
      const plan: ExecutionPlan = {
        executionId,
        kind: cs.type,
        stackName,
        stackId: stack.stackId,
        startedAt: at,
        durationMs: options.durationMs,
        steps: planSteps(stack, cs),
        failResource: cs.failResource,
        shifts: cs.type === 'UPDATE' ? planShifts(stack, cs, executionId) : [],
        shiftMinuteMs: options.shiftMinuteMs ?? 2_000,
      };
      // What it would do with no alarm firing; settle() works out the real end.
      const sim = simulateExecution(plan);
      const execution: StoredExecution = {
        id: executionId,
        changeSetId: cs.id,
        token,
        plan,
        endAt: sim.endAt,
        finalStatus: sim.finalStatus,
        succeeded: sim.succeeded,
        settled: false,
      };
      const kept = [...stack.executions, execution].slice(-KEPT_EXECUTIONS);
      await store.put(SERVICE, 'stack', stackName, {
        ...stack,
        executions: kept,
        notes: stack.status === 'REVIEW_IN_PROGRESS' ? stack.notes : stack.notes.slice(-5),
      } as unknown as JsonValue);
      await store.put(SERVICE, 'changeset', cs.id, { ...cs, executionStatus: 'EXECUTE_IN_PROGRESS' } as unknown as JsonValue);
    },

    async deleteChangeSet(stackName, changeSetId) {
      const cs = await store.get<StoredChangeSet>(SERVICE, 'changeset', changeSetId);
      if (!cs || cs.stackName !== stackName) return;
      if (cs.executionStatus === 'EXECUTE_IN_PROGRESS')
        throw cfnError('CONFLICT', 'InvalidChangeSetStatusException', `ChangeSet [${cs.id}] is being executed and cannot be deleted`);
      await store.remove(SERVICE, 'changeset', changeSetId);
    },

    async latestStackEventId(stackName) {
      const stack = await requireStack(stackName);
      return (await allEvents(stack, now().getTime())).at(-1)?.eventId ?? null;
    },

    async listStackEvents(stackName, since) {
      const stack = await requireStack(stackName);
      const newestFirst = (await allEvents(stack, now().getTime())).reverse();
      const fresh: StackEvent[] = [];
      for (const e of newestFirst) {
        if ((since.afterEventId && e.eventId === since.afterEventId) || e.at < since.notBefore.getTime()) break;
        fresh.push(toEvent(e));
      }
      return fresh.reverse();
    },

    async detectStackDrift(stackName) {
      const stack = await requireStack(stackName);
      const at = now();
      const lookup = lookupIn(stack.resources);
      const drifts: ResourceDrift[] = [];
      for (const [logicalId, r] of Object.entries(stack.resources)) {
        const overlay = stack.drift[logicalId];
        if (!overlay) continue;
        if (overlay.kind === 'DELETED') {
          drifts.push({ logicalId, physicalId: r.physicalId, resourceType: r.type, status: 'DELETED', differences: [] });
          continue;
        }
        const expected = materialize(r.properties, lookup) as JsonObject;
        const differences = leafDifferences(expected, overlay.actual, '', 50).map((d) => ({
          path: d.path,
          expected: d.before === undefined ? null : typeof d.before === 'string' ? d.before : JSON.stringify(d.before),
          actual: d.after === undefined ? null : typeof d.after === 'string' ? d.after : JSON.stringify(d.after),
          type: d.before === undefined ? 'ADD' : d.after === undefined ? 'REMOVE' : 'NOT_EQUAL',
        }));
        if (differences.length) drifts.push({ logicalId, physicalId: r.physicalId, resourceType: r.type, status: 'MODIFIED', differences });
      }
      const detection: StoredDetection = {
        id: uuidFrom('drift', stackName, at.toISOString(), String(Math.random())),
        stackName,
        at: at.toISOString(),
        stackDriftStatus: drifts.length ? 'DRIFTED' : 'IN_SYNC',
        drifts,
      };
      await store.put(SERVICE, 'drift', detection.id, detection as unknown as JsonValue);
      await store.put(SERVICE, 'stack', stackName, {
        ...stack,
        lastDrift: { detectionId: detection.id, at: detection.at, status: detection.stackDriftStatus },
      } as unknown as JsonValue);
      return detection.id;
    },

    async describeDriftDetection(detectionId) {
      const d = await store.get<StoredDetection>(SERVICE, 'drift', detectionId);
      if (!d) throw cfnError('NOT_FOUND', 'ValidationError', `Drift detection ${detectionId} does not exist`);
      return { state: 'DETECTION_COMPLETE', stackDriftStatus: d.stackDriftStatus, driftedCount: d.drifts.length, reason: null };
    },

    async listResourceDrifts(stackName) {
      const stack = await requireStack(stackName);
      if (!stack.lastDrift) return [];
      return (await store.get<StoredDetection>(SERVICE, 'drift', stack.lastDrift.detectionId))?.drifts ?? [];
    },

    async seedStack(stackName, templateText, given, createdAt) {
      if (await store.get(SERVICE, 'stack', stackName)) return false;
      const templateSha = sha256(templateText);
      const model = modelOf(templateSha, templateText);
      const parameters = resolveParameters(model, given);
      const target = targetResources(model, parameters, stackName, account);
      const stackId = stackArn(stackName);
      const steps: ExecutionPlan['steps'] = target.order.map((id) => {
        const r = target.resources[id]!;
        return {
          logicalId: id,
          type: r.type,
          action: 'Add',
          replace: false,
          level: target.levels[id] ?? 0,
          oldPhysicalId: null,
          newPhysicalId: physicalIdFor(stackName, id, r.type, 1, r.properties, account),
        };
      });
      const durationMs = 14 * 60_000;
      const executionId = uuidFrom('seed', stackName);
      const plan: ExecutionPlan = { executionId, kind: 'CREATE', stackName, stackId, startedAt: createdAt.getTime(), durationMs, steps, failResource: null };
      const sim = simulateExecution(plan);
      const resources: Record<string, StackResource> = Object.fromEntries(
        steps.map((s) => [s.logicalId, { type: s.type, physicalId: s.newPhysicalId, generation: 1, properties: target.resources[s.logicalId]!.properties }]),
      );
      await store.createIfAbsent(SERVICE, 'template', templateSha, { text: templateText });
      const stack: StoredStack = {
        stackId,
        stackName,
        createdAt: createdAt.toISOString(),
        status: 'CREATE_COMPLETE',
        lastUpdatedAt: null,
        parameters,
        templateSha,
        resources,
        outputs: await outputsOf(templateSha, parameters, resources, stackName),
        executions: [
          {
            id: executionId,
            changeSetId: `seed-${stackName}`,
            token: 'seed',
            plan,
            endAt: sim.endAt,
            finalStatus: sim.finalStatus,
            succeeded: true,
            settled: true,
          },
        ],
        notes: [],
        drift: {},
        lastDrift: null,
      };
      await store.createIfAbsent(SERVICE, 'stack', stackName, stack as unknown as JsonValue);
      return true;
    },

    async simulateDrift(stackName, logicalId, change) {
      const stack = await requireStack(stackName);
      if (isUnsettled(stack)) throw new AppError('CONFLICT', `${stackName} is being deployed: change it once the deployment is over.`);
      const r = stack.resources[logicalId];
      if (!r) throw new AppError('NOT_FOUND', `${stackName} has no resource ${logicalId}.`);
      let description: string;
      let overlay: DriftOverlay;
      if (change === 'delete') {
        overlay = { kind: 'DELETED' };
        description = `${logicalId} (${r.type}) was deleted outside CloudFormation.`;
      } else {
        const actual = materialize(r.properties, lookupIn(stack.resources)) as JsonObject;
        // The properties someone would plausibly change in a console, first; then any number (stored JSON has no key order).
        const numbers = Object.keys(actual)
          .filter((k) => typeof actual[k] === 'number')
          .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
        const numeric = numbers[0] === undefined ? undefined : ([numbers[0], actual[numbers[0]]] as const);
        if (numeric) {
          actual[numeric[0]] = (numeric[1] as number) * 2;
          description = `${logicalId}.${numeric[0]} was changed from ${numeric[1] as number} to ${(numeric[1] as number) * 2} outside CloudFormation.`;
        } else if (Array.isArray(actual.Tags)) {
          actual.Tags = [...(actual.Tags as Json[]), { Key: 'changed-outside', Value: 'console' }];
          description = `${logicalId} got a tag changed-outside=console outside CloudFormation.`;
        } else {
          const key = Object.keys(actual)
            .filter((k) => typeof actual[k] === 'string')
            .sort()[0];
          const text = key === undefined ? undefined : ([key, actual[key]] as const);
          if (!text) throw new AppError('UNPROCESSABLE', `${logicalId} has no property the sandbox can edit; delete it instead.`);
          actual[text[0]] = `${text[1] as string}-edited`;
          description = `${logicalId}.${text[0]} was edited outside CloudFormation.`;
        }
        overlay = { kind: 'MODIFIED', actual };
      }
      await store.put(SERVICE, 'stack', stackName, { ...stack, drift: { ...stack.drift, [logicalId]: overlay } } as unknown as JsonValue);
      return { logicalId, description };
    },

    async trafficShifts(stackName, since) {
      const stack = await loadStack(stackName);
      const at = now().getTime();
      const execution = [...(stack?.executions ?? [])].reverse().find((e) => e.plan.startedAt >= since.getTime() && e.plan.shifts?.length);
      const forced = stack && execution && !execution.settled ? await forcedNow(stack) : new Map();
      const alarmsNow = await forcedStates(store, account.region);
      const sim = execution ? simulateExecution(execution.plan, watchOf(execution, forced)) : null;
      return SHIFTED_FUNCTIONS.map((fn): FunctionTraffic => {
        const functionName = `${stackName}-${fn}`;
        const timeline = sim?.shifts.find((x) => x.plan.functionName === functionName) ?? null;
        const state = timeline ? shiftStateAt(timeline, at) : null;
        // Without a shift, the alias points at the function's published version (its generation).
        const version = Object.values(stack?.resources ?? {}).find(
          (r) => r.type === 'AWS::Lambda::Version' && materialize(r.properties.FunctionName ?? null, lookupIn(stack!.resources)) === functionName,
        );
        const versionNow = version ? version.generation : null;
        if (!timeline || !state)
          return {
            function: fn,
            functionName,
            aliasVersion: versionNow === null ? null : String(versionNow),
            newVersion: null,
            newVersionPercent: 0,
            deployment: null,
          };
        const p = timeline.plan;
        return {
          function: fn,
          functionName,
          aliasVersion: state.aliasVersion,
          newVersion: p.toVersion,
          newVersionPercent: Math.round(state.weight * 100),
          deployment: {
            id: p.deploymentId,
            status: state.status,
            config: p.config,
            createdAt: new Date(timeline.startAt).toISOString(),
            completedAt: state.completedAt === null ? null : new Date(state.completedAt).toISOString(),
            fromVersion: p.fromVersion,
            toVersion: p.toVersion,
            // As the simulated CodeDeploy sees them: held in ALARM by SetAlarmState, else OK.
            alarms: p.alarms.map((name) => ({ name, state: firstForcedAlarm(alarmsNow, [name], at, at) ? 'ALARM' : 'OK' })),
            rolledBack: state.rolledBack,
            reason: state.reason,
          },
        };
      });
    },

    async listResources(stackName) {
      const stack = await loadStack(stackName);
      return Object.entries(stack?.resources ?? {}).map(([logicalId, r]) => ({ logicalId, type: r.type, physicalId: r.physicalId }));
    },
  };
}
