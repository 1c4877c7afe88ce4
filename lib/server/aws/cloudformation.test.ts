import {
  ChangeSetNotFoundException,
  CloudFormationClient,
  CloudFormationServiceException,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceDriftsCommand,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  InvalidChangeSetStatusException,
  type ResourceStatus,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { createAwsCloudFormation, TEMPLATE_BODY_LIMIT } from '@/lib/server/aws/cloudformation';

const client = new CloudFormationClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const cfnMock = mockClient(client);
const sleep = vi.fn(async (_ms: number) => {});
const cfn = createAwsCloudFormation(client, { sleep, random: () => 0.5 });

const STACK = 'serverless-dev';
const CS_ARN = 'arn:aws:cloudformation:eu-central-1:123456789012:changeSet/gatehouse-d1/abc';
const meta = { $metadata: { requestId: 'req-1', httpStatusCode: 400 } };
const throttled = () => new CloudFormationServiceException({ name: 'Throttling', $fault: 'client', message: 'Rate exceeded', ...meta });
const validation = (message: string) => new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', message, ...meta });

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => new Error('resolved'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Records a copy of each input: paginating code may reuse one input object between pages. */
function recording<I extends object, O>(answer: (input: I) => O) {
  const inputs: I[] = [];
  return { inputs, fake: (input: I): O => (inputs.push({ ...input }), answer(input)) };
}

beforeEach(() => {
  cfnMock.reset();
  sleep.mockClear();
});

describe('describeStack', () => {
  it('maps the stack and says null when CloudFormation has none by that name', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolvesOnce({
        Stacks: [
          {
            StackName: STACK,
            StackId: 'arn:stack',
            StackStatus: 'UPDATE_COMPLETE',
            CreationTime: new Date('2026-10-01T00:00:00Z'),
            LastUpdatedTime: new Date('2026-11-01T00:00:00Z'),
            Outputs: [{ OutputKey: 'ApiUrl', OutputValue: 'https://x', Description: 'Base URL' }],
            Parameters: [{ ParameterKey: 'Environment', ParameterValue: 'dev' }],
            DriftInformation: { StackDriftStatus: 'IN_SYNC', LastCheckTimestamp: new Date('2026-11-02T00:00:00Z') },
          },
        ],
      })
      .rejectsOnce(validation(`Stack with id ${STACK} does not exist`));
    expect(await cfn.describeStack(STACK)).toMatchObject({
      stackName: STACK,
      status: 'UPDATE_COMPLETE',
      outputs: [{ key: 'ApiUrl', value: 'https://x', description: 'Base URL' }],
      parameters: { Environment: 'dev' },
      driftStatus: 'IN_SYNC',
    });
    expect(await cfn.describeStack(STACK)).toBeNull();
    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: STACK });
  });
});

describe('createChangeSet', () => {
  const input = {
    stackName: STACK,
    changeSetName: 'gatehouse-d1',
    changeSetType: 'UPDATE' as const,
    templateBody: 'Resources: {}',
    parameters: { Environment: 'dev', ReleaseLabel: 'r1' },
    description: 'Gatehouse deployment d1',
  };

  it('sends a small template inline with the parameters, IAM capabilities and an idempotency token', async () => {
    cfnMock.on(CreateChangeSetCommand).resolves({ Id: CS_ARN, StackId: 'arn:stack' });
    expect(await cfn.createChangeSet(input)).toEqual({ changeSetId: CS_ARN, stackId: 'arn:stack' });
    expect(cfnMock.commandCalls(CreateChangeSetCommand)[0]!.args[0].input).toEqual({
      StackName: STACK,
      ChangeSetName: 'gatehouse-d1',
      ChangeSetType: 'UPDATE',
      TemplateBody: 'Resources: {}',
      Parameters: [
        { ParameterKey: 'Environment', ParameterValue: 'dev' },
        { ParameterKey: 'ReleaseLabel', ParameterValue: 'r1' },
      ],
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      Description: 'Gatehouse deployment d1',
      ClientToken: 'gatehouse-d1',
    });
  });

  it('uploads a template over 51,200 bytes and passes its URL instead', async () => {
    const big = `# ${'x'.repeat(TEMPLATE_BODY_LIMIT)}\nResources: {}`;
    const upload = vi.fn(async () => 'https://tpl.s3.eu-central-1.amazonaws.com/gatehouse/templates/abc.yaml');
    cfnMock.on(CreateChangeSetCommand).resolves({ Id: CS_ARN });
    await createAwsCloudFormation(client, { uploadTemplate: upload }).createChangeSet({ ...input, templateBody: big });
    expect(upload).toHaveBeenCalledWith(big);
    const sent = cfnMock.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(sent.TemplateURL).toBe('https://tpl.s3.eu-central-1.amazonaws.com/gatehouse/templates/abc.yaml');
    expect(sent.TemplateBody).toBeUndefined();
  });

  it('refuses a template over the limit without a bucket, naming the setting, and calls nothing', async () => {
    const e = await rejectionOf(cfn.createChangeSet({ ...input, templateBody: 'x'.repeat(TEMPLATE_BODY_LIMIT + 1) }));
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toContain('GATEHOUSE_DEPLOY_TEMPLATE_BUCKET');
    expect(e.message).toContain('51,201 bytes');
    expect(cfnMock.calls()).toHaveLength(0);
  });

  it('refuses the sandbox-only failure option', async () => {
    expect((await rejectionOf(cfn.createChangeSet({ ...input, sandboxFailResource: 'ApiFunction' }))).code).toBe('UNPROCESSABLE');
  });

  it('turns a parameter CloudFormation refuses into a 422 and keeps retrying throttling with backoff', async () => {
    cfnMock.on(CreateChangeSetCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ Id: CS_ARN });
    await cfn.createChangeSet(input);
    expect(cfnMock.commandCalls(CreateChangeSetCommand)).toHaveLength(3);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([375, 750]);
    cfnMock.reset();
    cfnMock.on(CreateChangeSetCommand).rejects(validation('Parameter EgressMode failed to satisfy constraint'));
    const e = await rejectionOf(cfn.createChangeSet(input));
    expect(e).toMatchObject({ code: 'UNPROCESSABLE', details: { awsError: 'ValidationError' } });
  });
});

describe('describeChangeSet', () => {
  it('reads every page with property values and maps each resource change', async () => {
    const { inputs, fake } = recording((i: { NextToken?: string }) =>
      i.NextToken === 'p2'
        ? {
            Status: 'CREATE_COMPLETE',
            ExecutionStatus: 'AVAILABLE',
            Changes: [
              {
                Type: 'Resource',
                ResourceChange: { Action: 'Add', LogicalResourceId: 'NewQueue', ResourceType: 'AWS::SQS::Queue', AfterContext: '{"Properties":{}}' },
              },
            ],
          }
        : {
            ChangeSetId: CS_ARN,
            Status: 'CREATE_COMPLETE',
            ExecutionStatus: 'AVAILABLE',
            CreationTime: new Date('2026-11-29T10:00:00Z'),
            NextToken: 'p2',
            Changes: [
              {
                Type: 'Resource',
                ResourceChange: {
                  Action: 'Modify',
                  LogicalResourceId: 'ApiVersion',
                  PhysicalResourceId: 'arn:v1',
                  ResourceType: 'AWS::Lambda::Version',
                  Replacement: 'True',
                  Scope: ['Properties'],
                  Details: [
                    {
                      Target: {
                        Attribute: 'Properties',
                        Name: 'Description',
                        Path: '/Properties/Description',
                        RequiresRecreation: 'Always',
                        BeforeValue: 'a',
                        AfterValue: 'b',
                        AttributeChangeType: 'Modify',
                      },
                      Evaluation: 'Static',
                      ChangeSource: 'DirectModification',
                    },
                  ],
                  BeforeContext: '{"Properties":{"Description":"a"}}',
                  AfterContext: '{"Properties":{"Description":"b"}}',
                },
              },
            ],
          },
    );
    cfnMock.on(DescribeChangeSetCommand).callsFake(fake);
    const cs = await cfn.describeChangeSet(STACK, CS_ARN);
    expect(inputs).toEqual([
      { StackName: STACK, ChangeSetName: CS_ARN, IncludePropertyValues: true, NextToken: undefined },
      { StackName: STACK, ChangeSetName: CS_ARN, IncludePropertyValues: true, NextToken: 'p2' },
    ]);
    expect(cs).toMatchObject({ changeSetId: CS_ARN, status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE' });
    expect(cs.changes.map((c) => c.logicalId)).toEqual(['ApiVersion', 'NewQueue']);
    expect(cs.changes[0]).toMatchObject({
      replacement: 'True',
      details: [{ name: 'Description', requiresRecreation: 'Always', beforeValue: 'a', afterValue: 'b', evaluation: 'Static' }],
    });
  });
});

describe('executeChangeSet and deleteChangeSet', () => {
  it('executes with the idempotency token and maps an obsolete change set to a 409', async () => {
    cfnMock
      .on(ExecuteChangeSetCommand)
      .resolvesOnce({})
      .rejectsOnce(new InvalidChangeSetStatusException({ message: 'ChangeSet [x] cannot be executed in its current status of [OBSOLETE]', ...meta }));
    await cfn.executeChangeSet(STACK, CS_ARN, 'gatehouse-d1');
    expect(cfnMock).toHaveReceivedCommandWith(ExecuteChangeSetCommand, { StackName: STACK, ChangeSetName: CS_ARN, ClientRequestToken: 'gatehouse-d1' });
    expect(await rejectionOf(cfn.executeChangeSet(STACK, CS_ARN, 'gatehouse-d1'))).toMatchObject({
      code: 'CONFLICT',
      details: { awsError: 'InvalidChangeSetStatusException' },
    });
  });

  it('sends ExecuteChangeSet on its single-attempt client, retries only throttling, and leaves a 500 to the caller to reconcile', async () => {
    const executeClient = new CloudFormationClient({
      region: 'eu-central-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
    });
    const executeMock = mockClient(executeClient);
    const withExecuteClient = createAwsCloudFormation(client, { executeClient, sleep, random: () => 0.5 });
    const serverError = new CloudFormationServiceException({
      name: 'InternalFailure',
      $fault: 'server',
      message: 'internal error',
      $metadata: { httpStatusCode: 500 },
    });
    executeMock.on(ExecuteChangeSetCommand).rejectsOnce(throttled()).rejectsOnce(serverError).resolves({});
    expect(await rejectionOf(withExecuteClient.executeChangeSet(STACK, CS_ARN, 'gatehouse-d1'))).toMatchObject({
      code: 'UNAVAILABLE',
      details: { awsError: 'InternalFailure' },
    });
    expect(executeMock).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 2);
    expect(cfnMock).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 0);
    await withExecuteClient.executeChangeSet(STACK, CS_ARN, 'gatehouse-d1');
    expect(executeMock).toHaveReceivedCommandTimes(ExecuteChangeSetCommand, 3);
    executeMock.restore();
  });

  it('treats deleting a change set that is gone as done', async () => {
    cfnMock.on(DeleteChangeSetCommand).rejects(new ChangeSetNotFoundException({ message: 'gone', ...meta }));
    await expect(cfn.deleteChangeSet(STACK, CS_ARN)).resolves.toBeUndefined();
  });
});

describe('stack events', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 10, 0, s));
  const e = (id: string, s: number, status: ResourceStatus = 'UPDATE_COMPLETE') => ({
    StackId: 'arn:stack',
    StackName: STACK,
    EventId: id,
    Timestamp: at(s),
    LogicalResourceId: id,
    ResourceType: 'AWS::Lambda::Function',
    ResourceStatus: status,
    PhysicalResourceId: '',
  });

  it('pages back to the last event seen and returns the new ones oldest first', async () => {
    const { inputs, fake } = recording((i: { NextToken?: string }) =>
      i.NextToken === 't2'
        ? { StackEvents: [e('e3', 3), e('seen', 2), e('e1', 1)], NextToken: 't3' }
        : { StackEvents: [e('e5', 5), e('e4', 4)], NextToken: 't2' },
    );
    cfnMock.on(DescribeStackEventsCommand).callsFake(fake);
    const events = await cfn.listStackEvents(STACK, { afterEventId: 'seen', notBefore: at(0) });
    expect(events.map((x) => x.eventId)).toEqual(['e3', 'e4', 'e5']);
    expect(events[0]).toMatchObject({ physicalId: null, status: 'UPDATE_COMPLETE', timestamp: at(3) });
    // It stopped at the event it had seen: no third page.
    expect(inputs.map((i) => i.NextToken)).toEqual([undefined, 't2']);
  });

  it("keeps each event's ClientRequestToken, and the stack's last change set", async () => {
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [{ ...e('mine', 3), ClientRequestToken: 'gatehouse-d1' }, e('seen', 1)] });
    expect(await cfn.listStackEvents(STACK, { afterEventId: 'seen', notBefore: at(0) })).toEqual([
      expect.objectContaining({ eventId: 'mine', clientRequestToken: 'gatehouse-d1' }),
    ]);
    cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: STACK, StackStatus: 'UPDATE_IN_PROGRESS', CreationTime: at(0), ChangeSetId: CS_ARN }] });
    expect(await cfn.describeStack(STACK)).toMatchObject({ changeSetId: CS_ARN });
  });

  it('stops at events older than the execution when no event was seen yet', async () => {
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [e('new', 10), e('old', 1)], NextToken: 'more' });
    expect((await cfn.listStackEvents(STACK, { afterEventId: null, notBefore: at(5) })).map((x) => x.eventId)).toEqual(['new']);
    expect(cfnMock.commandCalls(DescribeStackEventsCommand)).toHaveLength(1);
  });

  it('backs off on throttling, page by page, and gives up with RATE_LIMITED after three retries', async () => {
    cfnMock
      .on(DescribeStackEventsCommand)
      .rejectsOnce(throttled())
      .resolvesOnce({ StackEvents: [e('e2', 2)], NextToken: 't2' })
      .rejectsOnce(throttled())
      .resolvesOnce({ StackEvents: [e('seen', 1)] });
    expect((await cfn.listStackEvents(STACK, { afterEventId: 'seen', notBefore: at(0) })).map((x) => x.eventId)).toEqual(['e2']);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([375, 375]);
    sleep.mockClear();
    cfnMock.reset();
    cfnMock.on(DescribeStackEventsCommand).rejects(throttled());
    const err = await rejectionOf(cfn.listStackEvents(STACK, { afterEventId: 'seen', notBefore: at(0) }));
    expect(err.code).toBe('RATE_LIMITED');
    expect(cfnMock.commandCalls(DescribeStackEventsCommand)).toHaveLength(4);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([375, 750, 1500]);
  });

  it('gives the newest event id as the baseline of an execution', async () => {
    cfnMock.on(DescribeStackEventsCommand).resolves({ StackEvents: [e('newest', 9), e('older', 1)] });
    expect(await cfn.latestStackEventId(STACK)).toBe('newest');
  });
});

describe('drift', () => {
  it('starts a detection, reads its status and every page of drifted resources', async () => {
    cfnMock.on(DetectStackDriftCommand).resolves({ StackDriftDetectionId: 'det-1' });
    cfnMock.on(DescribeStackDriftDetectionStatusCommand).resolves({
      StackId: 'arn',
      StackDriftDetectionId: 'det-1',
      DetectionStatus: 'DETECTION_COMPLETE',
      StackDriftStatus: 'DRIFTED',
      DriftedStackResourceCount: 2,
      Timestamp: new Date(),
    });
    const { inputs, fake } = recording((i: { NextToken?: string }) =>
      i.NextToken
        ? {
            StackResourceDrifts: [
              { StackId: 'arn', LogicalResourceId: 'JobsQueue', ResourceType: 'AWS::SQS::Queue', StackResourceDriftStatus: 'DELETED', Timestamp: new Date() },
            ],
          }
        : {
            NextToken: 'n2',
            StackResourceDrifts: [
              {
                StackId: 'arn',
                LogicalResourceId: 'ApiFunction',
                PhysicalResourceId: 'serverless-dev-api',
                ResourceType: 'AWS::Lambda::Function',
                StackResourceDriftStatus: 'MODIFIED',
                Timestamp: new Date(),
                PropertyDifferences: [{ PropertyPath: '/MemorySize', ExpectedValue: '256', ActualValue: '512', DifferenceType: 'NOT_EQUAL' }],
              },
            ],
          },
    );
    cfnMock.on(DescribeStackResourceDriftsCommand).callsFake(fake);

    expect(await cfn.detectStackDrift(STACK)).toBe('det-1');
    expect(cfnMock).toHaveReceivedCommandWith(DetectStackDriftCommand, { StackName: STACK });
    expect(await cfn.describeDriftDetection('det-1')).toEqual({ state: 'DETECTION_COMPLETE', stackDriftStatus: 'DRIFTED', driftedCount: 2, reason: null });
    expect(cfnMock).toHaveReceivedCommandWith(DescribeStackDriftDetectionStatusCommand, { StackDriftDetectionId: 'det-1' });
    const drifts = await cfn.listResourceDrifts(STACK);
    expect(inputs).toEqual([
      { StackName: STACK, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: undefined },
      { StackName: STACK, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: 'n2' },
    ]);
    expect(drifts).toEqual([
      {
        logicalId: 'ApiFunction',
        physicalId: 'serverless-dev-api',
        resourceType: 'AWS::Lambda::Function',
        status: 'MODIFIED',
        differences: [{ path: '/MemorySize', expected: '256', actual: '512', type: 'NOT_EQUAL' }],
      },
      { logicalId: 'JobsQueue', physicalId: null, resourceType: 'AWS::SQS::Queue', status: 'DELETED', differences: [] },
    ]);
  });
});

describe('getTemplateBody', () => {
  it('reads the template as submitted, or null without a stack', async () => {
    cfnMock.on(GetTemplateCommand).resolvesOnce({ TemplateBody: 'Resources: {}' }).rejectsOnce(validation('Stack with id x does not exist'));
    expect(await cfn.getTemplateBody(STACK)).toBe('Resources: {}');
    expect(cfnMock).toHaveReceivedCommandWith(GetTemplateCommand, { StackName: STACK, TemplateStage: 'Original' });
    expect(await cfn.getTemplateBody(STACK)).toBeNull();
  });
});
