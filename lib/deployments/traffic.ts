// The traffic shift of a deployment's functions (docs/decisions/044-traffic-shift.md): each function
// publishes a version behind the alias `live`, and CodeDeploy moves `live` to it following the
// environment's deployment configuration, watching the function's error alarm. These are plain JSON
// values: a snapshot is stored on the deployment when it ends.

/** The functions of the serverless stack, each `<stack>-<name>` behind `live`, each with its deployment group `<stack>-<name>`. */
export const SHIFTED_FUNCTIONS = ['api', 'worker', 'notifier'] as const;
export type ShiftedFunction = (typeof SHIFTED_FUNCTIONS)[number];

/** The alias CodeDeploy moves. */
export const LIVE_ALIAS = 'live';

/** An alarm a CodeDeploy deployment watches, and its state (null when CloudWatch does not know it). */
export interface WatchedAlarm {
  name: string;
  state: string | null;
}

/** One CodeDeploy deployment of a function (GetDeployment / BatchGetDeployments). */
export interface ShiftDeployment {
  id: string;
  /** Created | Queued | InProgress | Baking | Ready | Succeeded | Failed | Stopped */
  status: string;
  /** CodeDeployDefault.LambdaCanary10Percent5Minutes, … */
  config: string;
  createdAt: string | null;
  completedAt: string | null;
  /** The version traffic moves from and to (the AppSpec's CurrentVersion and TargetVersion), when known. */
  fromVersion: string | null;
  toVersion: string | null;
  /** The alarms its deployment group watches: one in ALARM stops and rolls back the deployment. */
  alarms: WatchedAlarm[];
  /** Traffic went back to the old version automatically. */
  rolledBack: boolean;
  /** Why it stopped or failed (CodeDeploy's error or rollback message). */
  reason: string | null;
}

/** A function's alias and its newest CodeDeploy deployment, as read now. */
export interface FunctionTraffic {
  function: ShiftedFunction;
  /** serverless-<env>-api */
  functionName: string;
  /** The alias's primary version (FunctionVersion); null when the alias does not exist. */
  aliasVersion: string | null;
  /** The version traffic is moving to (the deployment's target, else the alias's additional version). */
  newVersion: string | null;
  /** Share of the alias's traffic on `newVersion`, 0-100. */
  newVersionPercent: number;
  deployment: ShiftDeployment | null;
}

/**
 * The share of traffic on `target` given the alias (Lambda GetAlias): 100 when it is the primary
 * version, its weight (RoutingConfig.AdditionalVersionWeights) when it is the additional one, else 0.
 */
export function percentOn(target: string | null, alias: { version: string | null; weights: Record<string, number> }): number {
  if (!target) return 0;
  if (alias.version === target) {
    const others = Object.values(alias.weights).reduce((a, b) => a + b, 0);
    return Math.round((1 - others) * 1000) / 10;
  }
  return Math.round((alias.weights[target] ?? 0) * 1000) / 10;
}

/** The version the alias is moving to: the deployment's target, else the one it routes extra traffic to. */
export function newVersionOf(deploymentTarget: string | null, weights: Record<string, number>): string | null {
  return deploymentTarget ?? Object.keys(weights)[0] ?? null;
}

/**
 * The first shift an alarm rolled back, as a failure: the alias that failed and why, naming the
 * alarm (what the history and Slack report as the reason of a rolled-back deployment).
 */
export function shiftRollbackCause(shifts: readonly FunctionTraffic[] | null): { functionName: string; reason: string } | null {
  const stopped = (shifts ?? []).filter(
    (s) => s.deployment && (s.deployment.rolledBack || s.deployment.status === 'Stopped' || s.deployment.status === 'Failed'),
  );
  const firingOf = (s: FunctionTraffic) => (s.deployment?.alarms ?? []).filter((a) => a.state === 'ALARM').map((a) => a.name);
  // The shift an alarm stopped is the cause; the others were stopped because the stack update failed.
  const s = stopped.find((x) => firingOf(x).length) ?? stopped[0];
  if (!s?.deployment) return null;
  const d = s.deployment;
  const firing = firingOf(s);
  const why = d.reason ?? (firing.length ? `alarm ${firing.join(', ')} in ALARM` : `deployment ${d.status.toLowerCase()}`);
  return {
    functionName: s.functionName,
    // CodeDeploy's own message does not say which deployment of which function: then they come first.
    reason:
      d.id && why.includes(d.id)
        ? why
        : `Traffic shift of ${s.functionName} (CodeDeploy ${d.id}) ${d.rolledBack ? 'rolled back' : d.status.toLowerCase()}: ${why}`,
  };
}

/**
 * The traffic steps of a CodeDeploy Lambda configuration: [minutes after the start, share on the new
 * version]. Predefined configurations only (the template uses them); anything else shifts at once.
 */
export function shiftSteps(config: string): { afterMinutes: number; weight: number }[] {
  const canary = /^CodeDeployDefault\.LambdaCanary(\d+)Percent(\d+)Minutes?$/.exec(config);
  if (canary)
    return [
      { afterMinutes: 0, weight: Number(canary[1]) / 100 },
      { afterMinutes: Number(canary[2]), weight: 1 },
    ];
  const linear = /^CodeDeployDefault\.LambdaLinear(\d+)PercentEvery(\d+)Minutes?$/.exec(config);
  if (linear) {
    const step = Number(linear[1]) / 100;
    const every = Number(linear[2]);
    const steps: { afterMinutes: number; weight: number }[] = [];
    for (let i = 1; i * step < 1 - 1e-9; i++) steps.push({ afterMinutes: (i - 1) * every, weight: Math.round(i * step * 100) / 100 });
    steps.push({ afterMinutes: steps.length * every, weight: 1 });
    return steps;
  }
  return [{ afterMinutes: 0, weight: 1 }];
}
