import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import type { CloudFormationPort, DeploymentStore } from '@/lib/deployments/ports';
import {
  decideDeployment,
  executeDeployment,
  planDeployment,
  refreshDeployment,
  runDeploymentJobs,
  startDriftDetection,
  type DeploymentDeps,
} from '@/lib/deployments/service';
import { deploymentResult, describeResult } from '@/lib/deployments/result';
import { planWarnings } from '@/lib/deployments/warnings';
import type { Actor } from '@/lib/identity/actor';
import type { SlackPayload } from '@/lib/notifications/model';
import type { NotifierPort } from '@/lib/notifications/ports';
import { createNotificationOutbox } from '@/lib/server/db/repositories/notifications';
import { deliverPendingNotifications } from '@/lib/server/notifications/deliver';
import { listAuditEvents, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createDeploymentStore, findDeploymentView, listDeploymentEvents, listDeploymentHistory } from '@/lib/server/db/repositories/deployments';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { recordTestRelease, createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';
import { createSandboxCloudFormation, type SandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';
import { createSandboxCloudWatch } from '@/lib/server/sandbox/alarms';
import { seedSandboxStacks } from '@/lib/server/sandbox/seed-stacks';
import { seed } from '@/prisma/seed';

const DURATION = 20_000;
// A simulated minute of a traffic shift: prod's 10-minute canary takes 1.1 s here (traffic-shift.test.ts follows one closely).
const SHIFT_MINUTE_MS = 100;

/** The sandbox port with switches to make one method throttle, like a busy CloudFormation. */
function throttleable(cfn: SandboxCloudFormation) {
  const failing = new Set<string>();
  const port = new Proxy(cfn, {
    get(target, name: string) {
      const fn = (target as unknown as Record<string, unknown>)[name];
      if (typeof fn !== 'function') return fn;
      return async (...args: unknown[]) => {
        if (failing.has(name))
          throw new AppError('RATE_LIMITED', `CloudFormation ${name} was throttled by AWS; it will be retried`, { awsError: 'Throttling' });
        return (fn as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  }) as CloudFormationPort;
  return { port, throttle: (name: keyof CloudFormationPort) => failing.add(name), heal: () => failing.clear() };
}

describe.each(testDatabaseKinds())('deployments on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t = Date.parse('2026-11-29T10:00:00Z');
  const clock = () => new Date(t);
  let deps: DeploymentDeps;
  let cfn: ReturnType<typeof throttleable>;
  let sandbox: SandboxCloudFormation;
  let ids = 0;
  const users: Record<string, Actor> = {};
  const ops = () => users.usr_priya_raman!;
  const admin = () => users.usr_hyunwoo_lee!;
  const security = () => users.usr_seoyeon_park!;
  const engineer = () => users.usr_minji_kim!;

  /** Lets time pass and runs the poll job as the scheduler would. */
  async function advance(ms: number) {
    const step = 3_000;
    for (let done = 0; done < ms; done += step) {
      t += Math.min(step, ms - done);
      await runDeploymentJobs(deps);
    }
  }

  async function auditActions(targetId: string) {
    const { events } = await listAuditEvents({ q: targetId, limit: 100 }, db.prisma);
    return events.map((e) => e.action).reverse();
  }

  /**
   * A release of its own, to give a plan a change to make: built before the default one ('test'),
   * so plans that pick no release still deploy that. Each label is one release (the same label, the same one).
   */
  async function releaseOf(label: string): Promise<string> {
    return (await recordTestRelease(db.prisma, label, new Date('2026-10-01T00:00:00Z'))).id;
  }

  /** The Slack messages queued about a deployment (the outbox), oldest first. */
  async function notificationsOf(id: string) {
    const rows = await db.prisma.notification.findMany({ where: { requestId: id }, orderBy: { createdAt: 'asc' }, select: { kind: true, payload: true } });
    return rows.map((r) => ({ kind: r.kind, text: (r.payload as { text: string }).text, json: JSON.stringify(r.payload) }));
  }

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    const store = createSandboxStore(db.prisma);
    const templates = createFileTemplateSource();
    await seedSandboxStacks(store, templates, 'eu-central-1', clock());
    sandbox = createSandboxCloudFormation(store, { region: 'eu-central-1', durationMs: DURATION, shiftMinuteMs: SHIFT_MINUTE_MS, now: clock });
    cfn = throttleable(sandbox);
    deps = {
      store: createDeploymentStore(db.prisma),
      cfn: () => cfn.port,
      templates,
      releases: createReleaseStore(db.prisma),
      traffic: () => ({ readTrafficShifts: (stackName, since) => sandbox.trafficShifts(stackName, since) }),
      now: clock,
      newId: () => `d${++ids}${kind.slice(0, 1)}`,
      config: { approvals: { dev: 0, staging: 0, prod: 1 }, planTtlMs: 24 * 3_600_000, pollMs: 3_000, sandbox: true },
      portalUrl: 'https://gatehouse.example.com',
    };
    await recordTestRelease(db.prisma, 'test');
    for (const id of ['usr_priya_raman', 'usr_hyunwoo_lee', 'usr_seoyeon_park', 'usr_minji_kim']) users[id] = (await findActiveActor(id, db.prisma))!;
  });
  afterAll(async () => db.drop());

  it('plans dev (a new stack: every resource added), executes it and follows it to SUCCEEDED', async () => {
    const { id, status } = await planDeployment(deps, ops(), { environment: 'dev', parameters: {} }, null);
    expect(status).toBe('PLANNED');
    const plan = (await findDeploymentView(id, db.prisma))!;
    expect(plan).toMatchObject({
      changeSetType: 'CREATE',
      stackName: 'serverless-dev',
      approvalsRequired: 0,
      stackVersion: 'none',
      plannedBy: { name: ops().name },
    });
    expect(plan.totalResources).toBeGreaterThan(100);
    expect(plan.summary).toMatchObject({ add: plan.totalResources, modify: 0, remove: 0 });
    expect(plan.templateRevision).toMatch(/^[0-9a-f]{64}$/);

    await executeDeployment(deps, ops(), id, { ip: '10.0.0.1', userAgent: 'test' });
    expect(await deps.store.find(id)).toMatchObject({ status: 'EXECUTING', activeStack: 'serverless-dev', executedById: ops().id });
    await advance(DURATION / 2);
    const mid = (await deps.store.find(id))!;
    expect(mid.progressDone).toBeGreaterThan(0);
    expect(mid.progressDone).toBeLessThan(plan.totalResources!);
    await advance(DURATION / 2 + 6_000);
    const done = (await findDeploymentView(id, db.prisma))!;
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      progressDone: plan.totalResources,
      activeStack: null,
      stackStatus: 'CREATE_COMPLETE',
      failureReason: null,
    });
    expect(done.outputs?.ApiUrl).toMatch(/^https:\/\//);
    const events = await listDeploymentEvents(id, 1000, db.prisma);
    expect(events[0]).toMatchObject({ logicalId: 'serverless-dev', status: 'CREATE_COMPLETE' });
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(await auditActions(id)).toEqual(['deployment.planned', 'deployment.executed', 'deployment.finished']);
    // Dev needs no approval: the author hears only that it ended, with the link.
    expect((await notificationsOf(id)).map((n) => [n.kind, n.text])).toEqual([
      [
        'deployment_finished',
        `✅ Deployment succeeded: *${ops().name}*, your deployment of \`serverless-dev\` to *DEV* (release \`${plan.releaseId}\`) succeeded. <https://gatehouse.example.com/deployments/${id}|Open in Gatehouse>`,
      ],
    ]);
  });

  it('lists every parameter the plan changes on the stack, against what the stack runs (code keys, release label, engine version)', async () => {
    // Prod as seeded: an older release on PostgreSQL 16.3.
    const { id } = await planDeployment(deps, ops(), { environment: 'prod', parameters: {} }, null);
    const d = (await deps.store.find(id))!;
    const changed = new Map(d.parameterChanges!.map((c) => [c.name, c]));
    // The parameter file already says 16.4, so the values changed from the file ("overrides", the old
    // "Changed parameters") do not show the engine upgrade; the stack runs 16.3.
    expect(d.overrides).not.toHaveProperty('DbEngineVersion');
    expect(changed.get('DbEngineVersion')).toEqual({ name: 'DbEngineVersion', from: '16.3', to: '16.4' });
    expect(changed.get('ReleaseLabel')).toEqual({ name: 'ReleaseLabel', from: expect.any(String), to: d.releaseId });
    for (const key of ['ApiCodeKey', 'WorkerCodeKey', 'NotifierCodeKey'])
      expect(changed.get(key)?.to).toMatch(/^gatehouse\/artifacts\/[a-z]+\/[0-9a-f]{64}\.zip$/);
    // Nothing that stays is listed.
    expect(changed.has('Environment')).toBe(false);
    expect(changed.has('VpcCidr')).toBe(false);
  });

  it('needs a prod approval from someone other than the author, recorded as a decision and in the history', async () => {
    const { id, status } = await planDeployment(deps, ops(), { environment: 'prod', parameters: {} }, null);
    expect(status).toBe('APPROVAL_PENDING');
    // The approvers hear of it in the transaction that made it wait: once, with the link.
    const asked = await notificationsOf(id);
    expect(asked.map((n) => n.kind)).toEqual(['deployment_approval_needed']);
    expect(asked[0]!.text).toBe(
      `⏳ Deployment awaiting approval: *${ops().name}* planned a deployment of \`serverless-prod\` to *PROD* (release \`${(await deps.store.find(id))!.releaseId}\`): it needs 1 approval from someone other than its author. <https://gatehouse.example.com/deployments/${id}|Open in Gatehouse>`,
    );
    expect(asked[0]!.json).toMatch(/\*Changes\*\\n0 to add, \d+ to modify \(3 replaced\), 0 to remove/);
    // Delivered once: a second run of the job finds nothing left to send.
    const sent: SlackPayload[] = [];
    const notifier: NotifierPort = { send: async (payload) => void sent.push(payload) };
    await deliverPendingNotifications(createNotificationOutbox(db.prisma), notifier, clock());
    await deliverPendingNotifications(createNotificationOutbox(db.prisma), notifier, clock());
    expect(sent.filter((m) => m.text.includes(`/deployments/${id}|`))).toEqual([JSON.parse(asked[0]!.json)]);
    const plan = (await findDeploymentView(id, db.prisma))!;
    expect(plan.changeSetType).toBe('UPDATE');
    expect(
      plan
        .changes!.filter((r) => r.replacement === 'True')
        .map((r) => r.logicalId)
        .sort(),
    ).toEqual(['ApiVersion', 'NotifierVersion', 'WorkerVersion']);
    expect(plan.changes!.find((r) => r.logicalId === 'Database')).toMatchObject({
      action: 'Modify',
      replacement: 'False',
      properties: [expect.objectContaining({ name: 'EngineVersion', before: '16.3', after: '16.4' })],
    });

    await expect(executeDeployment(deps, ops(), id, null)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('needs 1 approval from'),
    });
    await expect(decideDeployment(deps, ops(), { id, kind: 'APPROVE', comment: '' }, null)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('You planned this deployment'),
    });
    await expect(decideDeployment(deps, engineer(), { id, kind: 'APPROVE', comment: '' }, null)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The engine upgrade is a warning; in prod, approving it needs the stack name typed exactly.
    expect(planWarnings(plan.changes!)).toContainEqual(
      expect.objectContaining({ kind: 'ENGINE_VERSION', logicalId: 'Database', before: '16.3', after: '16.4' }),
    );
    for (const typed of [undefined, '', 'serverless-pro', ' serverless-prod', 'SERVERLESS-PROD'])
      await expect(
        decideDeployment(deps, security(), { id, kind: 'APPROVE', comment: 'checked the diff', confirmStackName: typed }, null),
      ).rejects.toMatchObject({
        code: 'UNPROCESSABLE',
        message: expect.stringContaining('type the stack name serverless-prod exactly'),
      });
    const refused = (await findDeploymentView(id, db.prisma))!;
    expect(refused).toMatchObject({ status: 'APPROVAL_PENDING', approvals: [] });
    expect(await auditActions(id)).toEqual(['deployment.planned']);
    expect(await decideDeployment(deps, security(), { id, kind: 'APPROVE', comment: 'checked the diff', confirmStackName: 'serverless-prod' }, null)).toEqual({
      id,
      status: 'APPROVED',
      approvals: 1,
      required: 1,
    });
    await expect(decideDeployment(deps, admin(), { id, kind: 'APPROVE', comment: '' }, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    const approved = (await findDeploymentView(id, db.prisma))!;
    expect(approved.approvals).toEqual([expect.objectContaining({ approverName: security().name, kind: 'APPROVE', comment: 'checked the diff' })]);

    await executeDeployment(deps, ops(), id, null);
    await advance(DURATION + 6_000);
    expect((await deps.store.find(id))!.status).toBe('SUCCEEDED');
    expect(await auditActions(id)).toEqual(['deployment.planned', 'deployment.approved', 'deployment.executed', 'deployment.finished']);
    expect((await notificationsOf(id)).map((n) => n.kind)).toEqual(['deployment_approval_needed', 'deployment_finished']);
    const [row] = await listDeploymentHistory({ environment: 'PROD', limit: 10 }, db.prisma);
    expect(row).toMatchObject({
      id,
      plannedBy: ops().name,
      executedBy: ops().name,
      approvals: [expect.objectContaining({ name: security().name, kind: 'APPROVE' })],
      status: 'SUCCEEDED',
    });
  });

  it('lets exactly one of two executions of one stack start; the other gets 409 and nothing is recorded for it', async () => {
    const a = await planDeployment(deps, ops(), { environment: 'staging', parameters: {}, release: await releaseOf('race-a') }, null);
    const b = await planDeployment(deps, admin(), { environment: 'staging', parameters: {}, release: await releaseOf('race-b') }, null);
    const results = await Promise.allSettled([executeDeployment(deps, ops(), a.id, null), executeDeployment(deps, admin(), b.id, null)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/Another deployment of serverless-staging is executing|changed meanwhile/),
    });
    const loser = results[0]!.status === 'rejected' ? a.id : b.id;
    expect(await deps.store.find(loser)).toMatchObject({ status: 'PLANNED', activeStack: null, executedById: null });
    expect(await auditActions(loser)).toEqual(['deployment.planned']);
    await advance(DURATION + 6_000);
    // The stack changed under the loser's plan: it expired.
    expect((await deps.store.find(loser))!.status).toBe('EXPIRED');
    expect(await auditActions(loser)).toEqual(['deployment.planned', 'deployment.expired']);
    await expect(executeDeployment(deps, ops(), loser, null)).rejects.toMatchObject({ code: 'CONFLICT', message: 'This plan expired: plan again.' });
  });

  it('records nothing when CloudFormation throttles the plan, and hands the plan back when it throttles the execution', async () => {
    const before = await listDeploymentHistory({ limit: 100 }, db.prisma);
    cfn.throttle('createChangeSet');
    await expect(planDeployment(deps, ops(), { environment: 'staging', parameters: {}, release: await releaseOf('throttled') }, null)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    cfn.heal();
    expect(await listDeploymentHistory({ limit: 100 }, db.prisma)).toHaveLength(before.length);

    const { id } = await planDeployment(deps, ops(), { environment: 'staging', parameters: {}, release: await releaseOf('throttled-exec') }, null);
    cfn.throttle('executeChangeSet');
    await expect(executeDeployment(deps, ops(), id, null)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    cfn.heal();
    expect(await deps.store.find(id)).toMatchObject({ status: 'PLANNED', activeStack: null, executedAt: null });
    expect(await auditActions(id)).toEqual(['deployment.planned']);

    // A throttled poll backs off and keeps the error; the next one catches up.
    await executeDeployment(deps, ops(), id, null);
    cfn.throttle('listStackEvents');
    t += 3_000;
    expect(await refreshDeployment(deps, id)).toBe('failed');
    const backedOff = (await deps.store.find(id))!;
    expect(backedOff).toMatchObject({ pollFailures: 1, lastPollError: expect.stringContaining('throttled') });
    expect(backedOff.nextPollAt.getTime()).toBe(t + 3_000);
    cfn.heal();
    await advance(DURATION + 6_000);
    expect(await deps.store.find(id)).toMatchObject({ status: 'SUCCEEDED', pollFailures: 0, lastPollError: null });
  });

  it('shows a forced failure: the first failed resource and its reason, the rollback, ROLLED_BACK', async () => {
    const { id } = await planDeployment(
      deps,
      admin(),
      { environment: 'staging', parameters: {}, release: await releaseOf('broken'), sandboxFailResource: 'ApiVersion' },
      null,
    );
    await executeDeployment(deps, admin(), id, null);
    await advance(DURATION * 2);
    const d = (await deps.store.find(id))!;
    expect(d).toMatchObject({ status: 'ROLLED_BACK', failedResource: 'ApiVersion', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', activeStack: null });
    expect(d.failureReason).toContain('Simulated failure in the local sandbox account');
    expect(d.rollbackStartedAt).not.toBeNull();
    expect(d.progressDone).toBeLessThan(d.totalResources!);
    const row = (await listDeploymentHistory({ environment: 'STAGING', limit: 10 }, db.prisma)).find((r) => r.id === id)!;
    expect(describeResult(deploymentResult(row))).toMatch(
      /^rolled back: ApiVersion: Resource handler returned message: "Simulated failure in the local sandbox account/,
    );
    const [finished, ...more] = await notificationsOf(id);
    expect(more).toEqual([]);
    expect(finished!.text).toMatch(
      /^↩️ Deployment rolled back: \*Hyun-woo Lee\*, your deployment of `serverless-staging` to \*STAGING\* \(release `r-[0-9a-f]{12}`\) failed and was rolled back/,
    );
    expect(finished!.json).toContain('*Reason*\\nApiVersion: Resource handler returned message: \\"Simulated failure in the local sandbox account');
    expect(finished!.json).toContain('*Stack status*\\nUPDATE_ROLLBACK_COMPLETE');
  });

  it('shifts traffic through the simulated CodeDeploy; the error alarm in ALARM rolls it back, and the history and Slack name the alarm and the release', async () => {
    const cloudWatch = createSandboxCloudWatch({ store: createSandboxStore(db.prisma), region: 'eu-central-1', now: clock });
    await cloudWatch.setAlarmState('eu-central-1', 'serverless-staging-worker-errors', 'ALARM', 'Threshold Crossed: the new worker throws');
    const { id } = await planDeployment(deps, admin(), { environment: 'staging', parameters: {}, release: await releaseOf('alarmed') }, null);
    const plan = (await deps.store.find(id))!;
    expect(plan.releaseId).toMatch(/^r-[0-9a-f]{12}$/);
    await executeDeployment(deps, admin(), id, null);
    await advance(DURATION * 2);
    const d = (await deps.store.find(id))!;
    expect(d).toMatchObject({ status: 'ROLLED_BACK', failedResource: 'WorkerAlias', stackStatus: 'UPDATE_ROLLBACK_COMPLETE' });
    expect(d.failureReason).toContain('alarm serverless-staging-worker-errors (ALARM: Threshold Crossed: the new worker throws)');
    // The shifts as they ended, kept on the deployment.
    const worker = d.trafficShifts!.find((s) => s.function === 'worker')!;
    expect(worker).toMatchObject({
      newVersionPercent: 0,
      deployment: {
        status: 'Stopped',
        config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        alarms: [{ name: 'serverless-staging-worker-errors', state: 'ALARM' }],
        rolledBack: true,
      },
    });
    const row = (await listDeploymentHistory({ environment: 'STAGING', limit: 10 }, db.prisma)).find((r) => r.id === id)!;
    expect(row.releaseId).toBe(plan.releaseId);
    expect(describeResult(deploymentResult(row))).toMatch(
      /^rolled back: WorkerAlias: CodeDeploy deployment d-[0-9A-F]{9} of serverless-staging-worker was stopped by alarm serverless-staging-worker-errors/,
    );
    const [finished] = await notificationsOf(id);
    expect(finished!.text).toContain(`(release \`${plan.releaseId}\`) failed and was rolled back`);
    expect(finished!.json).toContain('was stopped by alarm serverless-staging-worker-errors');
    expect(finished!.json).toContain('https://gatehouse.example.com/deployments/' + id);
    await cloudWatch.setAlarmState('eu-central-1', 'serverless-staging-worker-errors', 'OK', 'fixed');

    // With the alarm quiet, the same change shifts every function to its new version.
    const again = await planDeployment(deps, admin(), { environment: 'staging', parameters: {}, release: await releaseOf('alarmed') }, null);
    await executeDeployment(deps, admin(), again.id, null);
    await advance(DURATION * 2);
    const ok = (await deps.store.find(again.id))!;
    expect(ok.status).toBe('SUCCEEDED');
    expect(ok.trafficShifts!.map((s) => [s.function, s.newVersionPercent, s.deployment?.status])).toEqual([
      ['api', 100, 'Succeeded'],
      ['worker', 100, 'Succeeded'],
      ['notifier', 100, 'Succeeded'],
    ]);
  });

  it('queues a message only with the change it reports: a plan whose message cannot be queued stays as it was, and the next poll does both once', async () => {
    const store = deps.store;
    let broken = true;
    const flaky: DeploymentStore = {
      ...store,
      transaction: (work) =>
        store.transaction((tx) =>
          work({
            ...tx,
            enqueueNotification: async (n) => {
              if (broken) throw new Error('the outbox is unavailable');
              await tx.enqueueNotification(n);
            },
          }),
        ),
    };
    const flakyDeps = { ...deps, store: flaky };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { id, status } = await planDeployment(flakyDeps, ops(), { environment: 'prod', parameters: {}, release: await releaseOf('outbox-down') }, null);
    // The change set is ready, but the move to APPROVAL_PENDING rolled back with its message.
    expect(status).toBe('PLANNING');
    expect(await notificationsOf(id)).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('the outbox is unavailable'));
    warn.mockRestore();
    broken = false;
    t += 60_000;
    await runDeploymentJobs(flakyDeps);
    await runDeploymentJobs(flakyDeps);
    expect((await deps.store.find(id))!.status).toBe('APPROVAL_PENDING');
    const queued = await notificationsOf(id);
    expect(queued.map((n) => n.kind)).toEqual(['deployment_approval_needed']);
    // Names, counts and the link only: no parameter value (the release's id is its name).
    const { parameters } = (await deps.store.find(id))!;
    for (const key of ['ApiCodeKey', 'VpcCidr', 'EgressProxyServiceName']) expect(queued[0]!.json).not.toContain(parameters[key]!);
  });

  it('keeps the stack status reason as the result when no failed event gives one (an emulator sending only stack events)', async () => {
    const STACK_REASON = 'The following resource(s) failed to update: [ApiVersion].';
    // CloudFormation as moto shows it: the stack's own events without reasons, the reason on DescribeStacks.
    const quiet = new Proxy(cfn.port, {
      get(target, name: string) {
        if (name === 'listStackEvents')
          return async (...args: Parameters<CloudFormationPort['listStackEvents']>) =>
            (await target.listStackEvents(...args)).filter((e) => e.logicalId === 'serverless-staging').map((e) => ({ ...e, reason: null }));
        if (name === 'describeStack')
          return async (stackName: string) => {
            const stack = await target.describeStack(stackName);
            return stack && stack.status.endsWith('ROLLBACK_COMPLETE') ? { ...stack, statusReason: STACK_REASON } : stack;
          };
        return (target as unknown as Record<string, unknown>)[name];
      },
    }) as CloudFormationPort;
    const quietDeps = { ...deps, cfn: () => quiet };
    const { id } = await planDeployment(
      quietDeps,
      admin(),
      { environment: 'staging', parameters: {}, release: await releaseOf('quiet-failure'), sandboxFailResource: 'ApiVersion' },
      null,
    );
    await executeDeployment(quietDeps, admin(), id, null);
    for (let i = 0; i < 20 && (await deps.store.find(id))!.status === 'EXECUTING'; i++) {
      t += 3_000;
      await runDeploymentJobs(quietDeps);
    }
    const row = (await listDeploymentHistory({ environment: 'STAGING', limit: 10 }, db.prisma)).find((r) => r.id === id)!;
    expect(row).toMatchObject({ status: 'ROLLED_BACK', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', failureReason: STACK_REASON, failedResource: null });
    expect(describeResult(deploymentResult(row))).toBe(`rolled back: ${STACK_REASON}`);
  });

  it('refuses bad input clearly and writes nothing', async () => {
    const before = (await listDeploymentHistory({ limit: 100 }, db.prisma)).length;
    await expect(planDeployment(deps, ops(), { environment: 'dev', parameters: { EgressMode: 'vpn' } }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('is not one of nat, proxy'),
    });
    await expect(planDeployment(deps, ops(), { environment: 'dev', parameters: {}, sandboxFailResource: 'Nope' }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
    await expect(
      planDeployment(
        { ...deps, config: { ...deps.config, sandbox: false } },
        ops(),
        { environment: 'dev', parameters: {}, sandboxFailResource: 'ApiFunction' },
        null,
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(executeDeployment(deps, ops(), 'nope', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listDeploymentHistory({ limit: 100 }, db.prisma)).length).toBe(before);
  });

  it('expires a plan older than the TTL', async () => {
    const { id } = await planDeployment(deps, ops(), { environment: 'dev', parameters: {}, release: await releaseOf('old') }, null);
    t += 24 * 3_600_000;
    await runDeploymentJobs(deps);
    const expired = (await deps.store.find(id))!;
    expect(expired).toMatchObject({ status: 'EXPIRED', planError: expect.stringContaining('older than 24 h') });
  });

  it('says when a plan has nothing to deploy', async () => {
    const { id, status } = await planDeployment(deps, ops(), { environment: 'dev', parameters: {} }, null);
    expect(status).toBe('PLAN_FAILED');
    expect((await deps.store.find(id))!.planError).toBe('Nothing to deploy: the stack already runs this template with these parameters.');
  });

  it('detects drift on a resource changed behind CloudFormation', async () => {
    await sandbox.simulateDrift('serverless-dev', 'JobsQueue', 'edit');
    const { id, status } = await startDriftDetection(deps, ops(), 'dev', null);
    expect(status).toBe('COMPLETE');
    const check = (await deps.store.findDriftCheck(id))!;
    expect(check).toMatchObject({
      stackDriftStatus: 'DRIFTED',
      driftedCount: 1,
      resources: [expect.objectContaining({ logicalId: 'JobsQueue', status: 'MODIFIED' })],
    });
    expect(check.resources![0]!.differences.length).toBeGreaterThan(0);
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('does not log errors while doing all this', () => {
    expect(vi.isMockFunction(console.error)).toBe(false);
  });
});
