'use server';

import { revalidatePath } from 'next/cache';
import { AppError } from '@/lib/errors';
import { decideInputSchema, driftInputSchema, executeInputSchema, failShiftSchema, planFormSchema, simulateDriftSchema } from '@/lib/deployments/schemas';
import { decideDeployment, executeDeployment, planDeployment, startDriftDetection } from '@/lib/deployments/service';
import { stackNameFor } from '@/lib/deployments/model';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';
import { deploymentDeps, sandboxCloudFormation } from '@/lib/server/deployments/wiring';
import { setAlarmStateAs } from '@/lib/server/alarms/wiring';

/** Plans an environment from the form (`environment`, `param.<Name>` fields, sandbox failure); returns the plan's id. */
export const planDeploymentAction = serverAction('deploy.plan', planFormSchema, async (input, actor) => {
  const result = await planDeployment(deploymentDeps(), actor, input, await requestOrigin());
  revalidatePath('/deployments');
  return result;
});

/** Approves or rejects a plan that waits for approval. */
export const decideDeploymentAction = serverAction('deploy.approve', decideInputSchema, async (input, actor) => {
  const result = await decideDeployment(deploymentDeps(), actor, input, await requestOrigin());
  revalidatePath(`/deployments/${input.id}`);
  return result;
});

/** Executes a planned (and, where needed, approved) change set. */
export const executeDeploymentAction = serverAction('deploy.execute', executeInputSchema, async (input, actor) => {
  const result = await executeDeployment(deploymentDeps(), actor, input.id, await requestOrigin());
  revalidatePath(`/deployments/${input.id}`);
  return result;
});

/** Runs drift detection on an environment's stack. */
export const detectDriftAction = serverAction('deploy.drift', driftInputSchema, async (input, actor) => {
  const result = await startDriftDetection(deploymentDeps(), actor, input.environment, await requestOrigin());
  revalidatePath('/deployments');
  return result;
});

/**
 * Sandbox only: acts as someone changing a resource in the console, so that drift detection has
 * something to find. Nothing like it exists in aws mode.
 */
export const simulateDriftAction = serverAction('deploy.drift', simulateDriftSchema, async (input) => {
  // The drift is made in the account the environment's stack is in.
  const sandbox = sandboxCloudFormation(input.environment);
  if (!sandbox) throw new AppError('NOT_FOUND', 'Only the local sandbox account can be changed behind CloudFormation.');
  const result = await sandbox.simulateDrift(stackNameFor(input.environment), input.logicalId, input.change);
  revalidatePath('/deployments');
  return result;
});

/**
 * Sandbox only: fires a function's error alarm (SetAlarmState ALARM, audited like any alarm state
 * set, held ten minutes), so that its next traffic shift stops and rolls back
 * (docs/decisions/044-traffic-shift.md). Needs the right to set alarm states, as on the alarm's page.
 */
export const failNextShiftAction = serverAction('alarms.state.set', failShiftSchema, async (input, actor) => {
  if (!sandboxCloudFormation(input.environment)) throw new AppError('NOT_FOUND', 'Only the local sandbox account simulates a failing traffic shift.');
  const alarm = `${stackNameFor(input.environment)}-${input.function}-errors`;
  await setAlarmStateAs(
    actor,
    {
      name: alarm,
      state: 'ALARM',
      reason: `Sandbox: fired from the deployments page, so that the next traffic shift of ${stackNameFor(input.environment)}-${input.function} rolls back`,
    },
    await requestOrigin(),
  );
  revalidatePath('/deployments');
  return { alarm };
});
