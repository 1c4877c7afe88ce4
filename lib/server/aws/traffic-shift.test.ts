import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  ApplicationDoesNotExistException,
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { appSpecVersions, createAwsTrafficShift } from '@/lib/server/aws/traffic-shift';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
const codeDeploy = new CodeDeployClient({ region: 'eu-central-1', credentials });
const lambda = new LambdaClient({ region: 'eu-central-1', credentials });
const cloudWatch = new CloudWatchClient({ region: 'eu-central-1', credentials });
const cd = mockClient(codeDeploy);
const fn = mockClient(lambda);
const cw = mockClient(cloudWatch);
const port = createAwsTrafficShift({ codeDeploy, lambda, cloudWatch });
const SINCE = new Date('2026-12-07T10:00:00Z');

// What CloudFormation writes as the AppSpec of a CodeDeployLambdaAliasUpdate.
const appSpec = (fnName: string, from: string, to: string) =>
  JSON.stringify({
    version: 0.0,
    Resources: [{ [fnName]: { Type: 'AWS::Lambda::Function', Properties: { Name: fnName, Alias: 'live', CurrentVersion: from, TargetVersion: to } } }],
  });

beforeEach(() => {
  cd.reset();
  fn.reset();
  cw.reset();
});

describe('readTrafficShifts', () => {
  it('asks, per function, for the alias, the group’s deployments since the execution, the newest one, the group’s alarms and their states', async () => {
    fn.on(GetAliasCommand, { FunctionName: 'serverless-staging-api' }).resolves({
      FunctionVersion: '7',
      RoutingConfig: { AdditionalVersionWeights: { '8': 0.1 } },
    });
    fn.on(GetAliasCommand, { FunctionName: 'serverless-staging-worker' }).resolves({ FunctionVersion: '4' });
    fn.on(GetAliasCommand, { FunctionName: 'serverless-staging-notifier' }).resolves({ FunctionVersion: '3' });
    cd.on(ListDeploymentsCommand, { deploymentGroupName: 'serverless-staging-api' }).resolves({ deployments: ['d-OLD', 'd-NEW'] });
    cd.on(ListDeploymentsCommand, { deploymentGroupName: 'serverless-staging-worker' }).resolves({ deployments: ['d-W'] });
    cd.on(ListDeploymentsCommand, { deploymentGroupName: 'serverless-staging-notifier' }).resolves({ deployments: [] });
    cd.on(BatchGetDeploymentsCommand, { deploymentIds: ['d-OLD', 'd-NEW'] }).resolves({
      deploymentsInfo: [
        { deploymentId: 'd-OLD', status: 'Succeeded', createTime: new Date('2026-12-07T10:01:00Z') },
        {
          deploymentId: 'd-NEW',
          status: 'InProgress',
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          createTime: new Date('2026-12-07T10:05:00Z'),
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec('serverless-staging-api', '7', '8') } },
        },
      ],
    });
    cd.on(BatchGetDeploymentsCommand, { deploymentIds: ['d-W'] }).resolves({
      deploymentsInfo: [
        {
          deploymentId: 'd-W',
          status: 'Stopped',
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          createTime: new Date('2026-12-07T10:05:00Z'),
          completeTime: new Date('2026-12-07T10:06:30Z'),
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec('serverless-staging-worker', '4', '5') } },
          errorInformation: { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated: serverless-staging-worker-errors' },
          rollbackInfo: { rollbackDeploymentId: 'd-RB', rollbackMessage: 'Automatic rollback triggered' },
        },
      ],
    });
    cd.on(GetDeploymentGroupCommand, { deploymentGroupName: 'serverless-staging-api' }).resolves({
      deploymentGroupInfo: { alarmConfiguration: { enabled: true, alarms: [{ name: 'serverless-staging-api-errors' }] } },
    });
    cd.on(GetDeploymentGroupCommand, { deploymentGroupName: 'serverless-staging-worker' }).resolves({
      deploymentGroupInfo: { alarmConfiguration: { enabled: true, alarms: [{ name: 'serverless-staging-worker-errors' }] } },
    });
    cw.on(DescribeAlarmsCommand, { AlarmNames: ['serverless-staging-api-errors'] }).resolves({
      MetricAlarms: [{ AlarmName: 'serverless-staging-api-errors', StateValue: 'OK' }],
    });
    cw.on(DescribeAlarmsCommand, { AlarmNames: ['serverless-staging-worker-errors'] }).resolves({
      MetricAlarms: [{ AlarmName: 'serverless-staging-worker-errors', StateValue: 'ALARM' }],
    });

    const shifts = await port.readTrafficShifts('serverless-staging', SINCE);

    expect(shifts).toEqual([
      {
        function: 'api',
        functionName: 'serverless-staging-api',
        aliasVersion: '7',
        newVersion: '8',
        newVersionPercent: 10,
        deployment: {
          id: 'd-NEW',
          status: 'InProgress',
          config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
          createdAt: '2026-12-07T10:05:00.000Z',
          completedAt: null,
          fromVersion: '7',
          toVersion: '8',
          alarms: [{ name: 'serverless-staging-api-errors', state: 'OK' }],
          rolledBack: false,
          reason: null,
        },
      },
      {
        function: 'worker',
        functionName: 'serverless-staging-worker',
        aliasVersion: '4',
        newVersion: '5',
        newVersionPercent: 0,
        deployment: expect.objectContaining({
          id: 'd-W',
          status: 'Stopped',
          alarms: [{ name: 'serverless-staging-worker-errors', state: 'ALARM' }],
          rolledBack: true,
          reason: 'One or more alarms have been activated: serverless-staging-worker-errors',
        }),
      },
      { function: 'notifier', functionName: 'serverless-staging-notifier', aliasVersion: '3', newVersion: null, newVersionPercent: 0, deployment: null },
    ]);
    expect(fn).toHaveReceivedCommandWith(GetAliasCommand, { FunctionName: 'serverless-staging-api', Name: 'live' });
    expect(cd).toHaveReceivedCommandWith(ListDeploymentsCommand, {
      applicationName: 'serverless-staging',
      deploymentGroupName: 'serverless-staging-api',
      createTimeRange: { start: SINCE },
    });
    expect(cd).toHaveReceivedCommandWith(GetDeploymentGroupCommand, {
      applicationName: 'serverless-staging',
      deploymentGroupName: 'serverless-staging-worker',
    });
    // No deployment of the notifier: its group's alarms are not asked for.
    expect(cd).toHaveReceivedCommandTimes(GetDeploymentGroupCommand, 2);
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 2);
  });

  it('a completed shift has all traffic on the target version', async () => {
    fn.on(GetAliasCommand).resolves({ FunctionVersion: '8' });
    cd.on(ListDeploymentsCommand).resolves({ deployments: [] });
    cd.on(ListDeploymentsCommand, { deploymentGroupName: 'serverless-prod-api' }).resolves({ deployments: ['d-1'] });
    cd.on(BatchGetDeploymentsCommand).resolves({
      deploymentsInfo: [{ deploymentId: 'd-1', status: 'Succeeded', revision: { appSpecContent: { content: appSpec('serverless-prod-api', '7', '8') } } }],
    });
    cd.on(GetDeploymentGroupCommand).resolves({ deploymentGroupInfo: {} });
    const [api] = await port.readTrafficShifts('serverless-prod', SINCE);
    expect(api).toMatchObject({ aliasVersion: '8', newVersion: '8', newVersionPercent: 100, deployment: { status: 'Succeeded', alarms: [] } });
    expect(cw).not.toHaveReceivedCommand(DescribeAlarmsCommand);
  });

  it('a stack not deployed yet has no alias and no application: nothing is shifting', async () => {
    fn.on(GetAliasCommand).rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
    cd.on(ListDeploymentsCommand).rejects(new ApplicationDoesNotExistException({ message: 'No application found for name: serverless-dev', $metadata: {} }));
    const shifts = await port.readTrafficShifts('serverless-dev', SINCE);
    expect(shifts.map((s) => [s.functionName, s.aliasVersion, s.newVersionPercent, s.deployment])).toEqual([
      ['serverless-dev-api', null, 0, null],
      ['serverless-dev-worker', null, 0, null],
      ['serverless-dev-notifier', null, 0, null],
    ]);
  });

  it('throttling is an error the poll job backs off from, not "no shift"', async () => {
    fn.on(GetAliasCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    await expect(port.readTrafficShifts('serverless-dev', SINCE)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('appSpecVersions', () => {
  it('reads JSON and YAML AppSpecs', () => {
    expect(appSpecVersions(appSpec('f', '1', '2'))).toEqual({ from: '1', to: '2' });
    expect(appSpecVersions('version: 0.0\nResources:\n  - f:\n      Properties:\n        CurrentVersion: 3\n        TargetVersion: 4\n')).toEqual({
      from: '3',
      to: '4',
    });
    expect(appSpecVersions(undefined)).toEqual({ from: null, to: null });
  });
});
