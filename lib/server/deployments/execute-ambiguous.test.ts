/**
 * Executing a deployment when CloudFormation's answer to ExecuteChangeSet is unclear (a 500, a
 * timeout, InvalidChangeSetStatus after a resend): the AWS adapter on a mocked SDK client, the
 * service, and the real deployment store. The recorded state and the audit must follow what
 * DescribeChangeSet / DescribeStacks and the execution's own events say, with exactly one
 * execution recorded (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md).
 */
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  InvalidChangeSetStatusException,
  type StackEvent as SdkStackEvent,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executeDeployment, planDeployment, refreshDeployment, type DeploymentDeps } from '@/lib/deployments/service';
import type { EnvironmentSlug } from '@/lib/environments';
import type { Actor } from '@/lib/identity/actor';
import { createAwsCloudFormation } from '@/lib/server/aws/cloudformation';
import { listAuditEvents } from '@/lib/server/db/repositories/audit';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createDeploymentStore, listDeploymentEvents } from '@/lib/server/db/repositories/deployments';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { recordTestRelease, createTestDatabase } from '@/lib/server/db/test-databases';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';
import { seed } from '@/prisma/seed';

const client = new CloudFormationClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const mock = mockClient(client);
const cfn = createAwsCloudFormation(client, {
  uploadTemplate: async () => 'https://gatehouse-templates.s3.eu-central-1.amazonaws.com/t.yaml',
  sleep: async () => {},
  random: () => 0.5,
});

const CHANGES = ['ApiFunction:AWS::Lambda::Function', 'WorkerFunction:AWS::Lambda::Function', 'JobsQueue:AWS::SQS::Queue'].map((s) => {
  const [logicalId, type] = s.split(':') as [string, string];
  return {
    Type: 'Resource' as const,
    ResourceChange: {
      Action: 'Modify' as const,
      LogicalResourceId: logicalId,
      PhysicalResourceId: `p-${logicalId}`,
      ResourceType: type,
      Replacement: 'False' as const,
      Scope: ['Properties' as const],
      Details: [],
    },
  };
});

const serverError = () =>
  new CloudFormationServiceException({
    name: 'InternalFailure',
    $fault: 'server',
    message: 'We encountered an internal error. Please try again.',
    $metadata: { httpStatusCode: 500, requestId: 'r-500' },
  });
const invalidStatus = (status: string) =>
  new InvalidChangeSetStatusException({
    message: `ChangeSet [cs] cannot be executed in its current execution status of [${status}]`,
    $metadata: { httpStatusCode: 400, requestId: 'r-400' },
  });
const timeout = () => Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError', $metadata: {} });

/** The account as the mocked CloudFormation answers it; each test starts a fresh one. */
interface World {
  stackStatus: string;
  /** DescribeChangeSet's ExecutionStatus. */
  execution: string;
  /** DescribeStacks' ChangeSetId. */
  lastChangeSet: string | null;
  /** DescribeChangeSet fails (CloudFormation cannot be asked). */
  describeFails: boolean;
  /** Newest first, as DescribeStackEvents answers. */
  events: SdkStackEvent[];
  /** What each ExecuteChangeSet call does, in order. */
  execute: (() => void)[];
}
let world: World;
const UPDATED = new Date('2026-11-01T00:00:00Z');

describe('executing after an unclear ExecuteChangeSet answer', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t = Date.parse('2026-11-29T10:00:00Z');
  let deps: DeploymentDeps;
  let ops: Actor;
  let ids = 0;

  const ev = (id: string, logicalId: string, status: string, token: string | undefined, second: number, type = 'AWS::Lambda::Function'): SdkStackEvent => ({
    StackId: 'arn:stack',
    StackName: 'serverless-x',
    EventId: id,
    Timestamp: new Date(t + second * 1000),
    LogicalResourceId: logicalId,
    ResourceType: logicalId.startsWith('serverless-') ? 'AWS::CloudFormation::Stack' : type,
    ResourceStatus: status as SdkStackEvent['ResourceStatus'],
    ClientRequestToken: token,
  });

  async function auditActions(targetId: string) {
    const { events } = await listAuditEvents({ q: targetId, limit: 100 }, db.prisma);
    return events.map((e) => e.action).reverse();
  }

  async function planned(env: EnvironmentSlug) {
    const { id, status } = await planDeployment(deps, ops, { environment: env, parameters: {} }, null);
    expect(status).toBe('PLANNED');
    return { id, token: `gatehouse-${id}`, stack: `serverless-${env}` };
  }

  beforeAll(async () => {
    db = await createTestDatabase('embedded');
    await seed(db.prisma);
    deps = {
      store: createDeploymentStore(db.prisma),
      cfn: () => cfn,
      templates: createFileTemplateSource(),
      releases: createReleaseStore(db.prisma),
      now: () => new Date(t),
      newId: () => `amb${++ids}`,
      config: { approvals: { dev: 0, staging: 0, prod: 0 }, planTtlMs: 24 * 3_600_000, pollMs: 3_000, sandbox: false },
    };
    await recordTestRelease(db.prisma, 'test');
    ops = (await findActiveActor('usr_priya_raman', db.prisma))!;
  });
  afterAll(async () => db.drop());

  beforeEach(() => {
    mock.reset();
    world = { stackStatus: 'UPDATE_COMPLETE', execution: 'AVAILABLE', lastChangeSet: null, describeFails: false, events: [], execute: [] };
    world.events = [ev('baseline', 'serverless-x', 'UPDATE_COMPLETE', 'Console-UpdateStack-0', -86_400)];
    mock.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => ({
      Stacks: [
        {
          StackName: input.StackName,
          StackId: `arn:aws:cloudformation:eu-central-1:123456789012:stack/${input.StackName}/1`,
          StackStatus: world.stackStatus,
          CreationTime: new Date('2026-10-01T00:00:00Z'),
          LastUpdatedTime: UPDATED,
          ChangeSetId: world.lastChangeSet ?? undefined,
          Outputs: [],
          Parameters: [],
        },
      ],
    }));
    mock.on(CreateChangeSetCommand).callsFake((input: { ChangeSetName: string; StackName: string }) => ({
      Id: `arn:aws:cloudformation:eu-central-1:123456789012:changeSet/${input.ChangeSetName}/1`,
      StackId: `arn:stack/${input.StackName}`,
    }));
    mock.on(DescribeChangeSetCommand).callsFake((input: { ChangeSetName: string }) => {
      if (world.describeFails) throw serverError();
      return { ChangeSetId: input.ChangeSetName, Status: 'CREATE_COMPLETE', ExecutionStatus: world.execution, CreationTime: new Date(t), Changes: CHANGES };
    });
    mock.on(DescribeStackEventsCommand).callsFake(() => ({ StackEvents: world.events }));
    mock.on(DeleteChangeSetCommand).resolves({});
    mock.on(ExecuteChangeSetCommand).callsFake(() => {
      const next = world.execute.shift();
      if (!next) throw new Error('ExecuteChangeSet was sent more often than the test allows');
      next();
      return {};
    });
  });

  it('500, then the resend answers InvalidChangeSetStatus: DescribeChangeSet says it runs, so it is recorded and audited once; progress comes from its own events', async () => {
    const { id, token, stack } = await planned('dev');
    world.execute = [
      // CloudFormation took the request but the answer was lost; DescribeChangeSet does not show it yet.
      () => {
        throw serverError();
      },
      () => {
        world.execution = 'EXECUTE_IN_PROGRESS';
        world.stackStatus = 'UPDATE_IN_PROGRESS';
        throw invalidStatus('EXECUTE_IN_PROGRESS');
      },
    ];

    expect(await executeDeployment(deps, ops, id, null)).toEqual({ id, status: 'EXECUTING' });

    expect(mock).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 2);
    for (const call of mock.commandCalls(ExecuteChangeSetCommand)) expect(call.args[0].input).toMatchObject({ StackName: stack, ClientRequestToken: token });
    const started = (await deps.store.find(id))!;
    expect(started).toMatchObject({ status: 'EXECUTING', activeStack: stack, executedById: ops.id, totalResources: 3 });
    expect(started.executionStartedAt).not.toBeNull();
    expect(await auditActions(id)).toEqual(['deployment.planned', 'deployment.executed']);

    // The execution's events carry its token; another operation's events are not its progress.
    world.stackStatus = 'UPDATE_COMPLETE';
    world.execution = 'EXECUTE_COMPLETE';
    world.events = [
      ev('s-done', stack, 'UPDATE_COMPLETE', token, 9),
      ev('other-1', 'JobsQueue', 'UPDATE_COMPLETE', 'Console-UpdateStack-9', 8, 'AWS::SQS::Queue'),
      ev('q-start', 'JobsQueue', 'UPDATE_IN_PROGRESS', token, 5, 'AWS::SQS::Queue'),
      ev('w-done', 'WorkerFunction', 'UPDATE_COMPLETE', token, 4),
      ev('a-done', 'ApiFunction', 'UPDATE_COMPLETE', token, 3),
      ev('s-start', stack, 'UPDATE_IN_PROGRESS', token, 1),
      ...world.events,
    ];
    t += 3_000;
    expect(await refreshDeployment(deps, id)).toBe('refreshed');
    const done = (await deps.store.find(id))!;
    // Two of the three resources reported done: 2/3, not a claimed 3/3.
    expect(done).toMatchObject({ status: 'SUCCEEDED', progressDone: 2, totalResources: 3, stackStatus: 'UPDATE_COMPLETE', activeStack: null });
    expect((await listDeploymentEvents(id, 100, db.prisma)).map((e) => e.eventId).sort()).toEqual(['a-done', 'q-start', 's-done', 's-start', 'w-done']);
    expect(await auditActions(id)).toEqual(['deployment.planned', 'deployment.executed', 'deployment.finished']);
  });

  it('a timeout, and CloudFormation cannot be asked either: the claim stays unconfirmed, and the job records the execution once when DescribeChangeSet answers', async () => {
    const { id, stack } = await planned('staging');
    world.execute = [
      () => {
        world.execution = 'EXECUTE_IN_PROGRESS';
        world.stackStatus = 'UPDATE_IN_PROGRESS';
        world.describeFails = true;
        throw timeout();
      },
    ];

    expect(await executeDeployment(deps, ops, id, null)).toEqual({ id, status: 'EXECUTING' });
    expect(await deps.store.find(id)).toMatchObject({ status: 'EXECUTING', activeStack: stack, executionStartedAt: null });
    expect(await auditActions(id)).toEqual(['deployment.planned']);

    world.describeFails = false;
    t += 61_000;
    expect(await refreshDeployment(deps, id)).toBe('refreshed');
    expect((await deps.store.find(id))!.executionStartedAt).not.toBeNull();
    t += 3_000;
    await refreshDeployment(deps, id);
    expect(mock).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 1);
    expect(await auditActions(id)).toEqual(['deployment.planned', 'deployment.executed']);
    const executed = (await listAuditEvents({ q: id, limit: 10 }, db.prisma)).events.find((e) => e.action === 'deployment.executed')!;
    expect(executed.after).toMatchObject({ recovered: true });

    // Finish it so that the stack is free for the next test.
    world.stackStatus = 'UPDATE_COMPLETE';
    world.events = [
      ev('t-done', stack, 'UPDATE_COMPLETE', `gatehouse-${id}`, 20),
      ev('t-start', stack, 'UPDATE_IN_PROGRESS', `gatehouse-${id}`, 1),
      ...world.events,
    ];
    t += 3_000;
    await refreshDeployment(deps, id);
    expect(await deps.store.find(id)).toMatchObject({ status: 'SUCCEEDED', progressDone: 0, activeStack: null });
  });

  it('500 twice and the change set still AVAILABLE: nothing ran, the plan is handed back and nothing is recorded', async () => {
    const { id } = await planned('prod');
    world.execute = [
      () => {
        throw serverError();
      },
      () => {
        throw serverError();
      },
    ];

    await expect(executeDeployment(deps, ops, id, null)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('CloudFormation did not start the execution'),
    });
    expect(mock).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 2);
    expect(await deps.store.find(id)).toMatchObject({ status: 'PLANNED', activeStack: null, executedAt: null, executionStartedAt: null });
    expect(await auditActions(id)).toEqual(['deployment.planned']);
  });

  it('InvalidChangeSetStatus on a change set that can no longer run (OBSOLETE): the plan expires, nothing is executed', async () => {
    const { id } = await planned('prod');
    world.execution = 'OBSOLETE';
    world.execute = [
      () => {
        throw invalidStatus('OBSOLETE');
      },
    ];
    await expect(executeDeployment(deps, ops, id, null)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('plan again') });
    expect(await deps.store.find(id)).toMatchObject({ status: 'EXPIRED', activeStack: null, executionStartedAt: null });
    expect(await auditActions(id)).toEqual(['deployment.planned', 'deployment.expired']);
    expect(mock).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 1);
  });
});
