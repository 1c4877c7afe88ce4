import 'server-only';
import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { TrafficShiftPort } from '@/lib/deployments/ports';
import { LIVE_ALIAS, newVersionOf, percentOn, SHIFTED_FUNCTIONS, type FunctionTraffic, type ShiftDeployment } from '@/lib/deployments/traffic';
import { isAppError } from '@/lib/errors';
import { toAppError } from '@/lib/server/aws/errors';

export interface AwsTrafficShiftClients {
  codeDeploy: CodeDeployClient;
  lambda: LambdaClient;
  cloudWatch: CloudWatchClient;
}

/** Null for a resource that does not exist (a stack not deployed yet, a function without its alias). */
async function orNull<T>(operation: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (e) {
    const mapped = toAppError(e, operation);
    // CodeDeploy names a missing application or group ApplicationDoesNotExistException, DeploymentGroupDoesNotExistException.
    const name = (e as { name?: string } | null)?.name ?? '';
    if ((isAppError(mapped) && mapped.code === 'NOT_FOUND') || /DoesNotExistException$/.test(name)) return null;
    throw mapped;
  }
}

/** CurrentVersion and TargetVersion from a Lambda deployment's AppSpec (JSON, or YAML as CloudFormation writes it). */
export function appSpecVersions(content: string | undefined): { from: string | null; to: string | null } {
  if (!content) return { from: null, to: null };
  const field = (name: string) => new RegExp(`"?${name}"?\\s*:\\s*"?([0-9A-Za-z$_-]+)"?`).exec(content)?.[1] ?? null;
  return { from: field('CurrentVersion'), to: field('TargetVersion') };
}

function toShiftDeployment(d: DeploymentInfo, alarms: { name: string; state: string | null }[]): ShiftDeployment {
  const versions = appSpecVersions(d.revision?.appSpecContent?.content ?? d.revision?.string?.content);
  const rolledBack = Boolean(d.rollbackInfo?.rollbackDeploymentId) || /roll(ed)?\s*back/i.test(d.rollbackInfo?.rollbackMessage ?? '');
  return {
    id: d.deploymentId ?? '',
    status: d.status ?? 'Unknown',
    config: d.deploymentConfigName ?? '',
    createdAt: d.createTime?.toISOString() ?? null,
    completedAt: d.completeTime?.toISOString() ?? null,
    fromVersion: versions.from,
    toVersion: versions.to,
    alarms,
    rolledBack,
    reason: d.errorInformation?.message ?? d.rollbackInfo?.rollbackMessage ?? null,
  };
}

/**
 * The AWS adapter (docs/decisions/044-traffic-shift.md). Per function of the stack: Lambda GetAlias
 * (`<stack>-<fn>:live`, its version and RoutingConfig weights); CodeDeploy ListDeployments of the
 * application `<stack>` and group `<stack>-<fn>` created since `since`, BatchGetDeployments for the
 * newest, GetDeploymentGroup for the alarms it watches; CloudWatch DescribeAlarms for their states.
 */
export function createAwsTrafficShift(clients: AwsTrafficShiftClients): TrafficShiftPort {
  return {
    async readTrafficShifts(stackName, since) {
      const out: FunctionTraffic[] = [];
      for (const fn of SHIFTED_FUNCTIONS) {
        const functionName = `${stackName}-${fn}`;
        const alias = await orNull('Lambda GetAlias', () => clients.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: LIVE_ALIAS })));
        const weights = alias?.RoutingConfig?.AdditionalVersionWeights ?? {};
        const listed = await orNull('CodeDeploy ListDeployments', () =>
          clients.codeDeploy.send(
            new ListDeploymentsCommand({ applicationName: stackName, deploymentGroupName: functionName, createTimeRange: { start: since } }),
          ),
        );
        const ids = (listed?.deployments ?? []).slice(0, 25);
        let deployment: ShiftDeployment | null = null;
        if (ids.length) {
          const batch = await clients.codeDeploy.send(new BatchGetDeploymentsCommand({ deploymentIds: ids })).catch((e: unknown) => {
            throw toAppError(e, 'CodeDeploy BatchGetDeployments');
          });
          const newest = [...(batch.deploymentsInfo ?? [])].sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0))[0];
          if (newest) {
            const group = await orNull('CodeDeploy GetDeploymentGroup', () =>
              clients.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: stackName, deploymentGroupName: functionName })),
            );
            const names = (group?.deploymentGroupInfo?.alarmConfiguration?.alarms ?? []).map((a) => a.name ?? '').filter(Boolean);
            const states = new Map<string, string>();
            if (names.length) {
              const described = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names })).catch((e: unknown) => {
                throw toAppError(e, 'CloudWatch DescribeAlarms');
              });
              for (const a of described.MetricAlarms ?? []) if (a.AlarmName && a.StateValue) states.set(a.AlarmName, a.StateValue);
              for (const a of described.CompositeAlarms ?? []) if (a.AlarmName && a.StateValue) states.set(a.AlarmName, a.StateValue);
            }
            deployment = toShiftDeployment(
              newest,
              names.map((name) => ({ name, state: states.get(name) ?? null })),
            );
          }
        }
        const newVersion = newVersionOf(deployment?.toVersion ?? null, weights);
        out.push({
          function: fn,
          functionName,
          aliasVersion: alias?.FunctionVersion ?? null,
          newVersion,
          newVersionPercent: percentOn(newVersion, { version: alias?.FunctionVersion ?? null, weights }),
          deployment,
        });
      }
      return out;
    },
  };
}
