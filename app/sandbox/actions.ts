'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { GRANT_POLICY_PATH, type PolicyDocument } from '@/lib/grants/policy';
import { cloud } from '@/lib/server/cloud/adapters';
import { serverAction } from '@/lib/server/http/action';

const tamperSchema = z.object({
  policyName: z.string().regex(/^gatehouse-grant-[A-Za-z0-9_-]+$/, 'Not a Gatehouse grant policy.'),
  change: z.enum(['widen', 'detach'], { message: 'Pick widen or detach.' }),
});

/**
 * Sandbox only: acts as someone editing IAM outside Gatehouse (the console, a script), so that the
 * reconciler has drift to find. "widen" adds secretsmanager:* on * to the policy; "detach" removes
 * it from its principal. Nothing like it exists in aws mode.
 */
export const tamperSandboxPolicyAction = serverAction('sandbox.tamper', tamperSchema, async (input) => {
  const sandbox = cloud().sandbox;
  if (!sandbox) throw new AppError('NOT_FOUND', 'Only the local sandbox account can be tampered with.');
  const iam = sandbox.iam();
  const policy = (await iam.listPolicies(GRANT_POLICY_PATH)).find((p) => p.name === input.policyName);
  if (!policy) throw new AppError('NOT_FOUND', `No policy ${input.policyName} in the sandbox account.`);
  if (input.change === 'widen') {
    const widened: PolicyDocument = {
      ...policy.document,
      Statement: [...policy.document.Statement, { Sid: 'AddedOutsideGatehouse', Effect: 'Allow', Action: ['secretsmanager:*'], Resource: ['*'] }],
    };
    await iam.ensurePolicy(policy.name, widened, {});
  } else {
    for (const principal of policy.attachedTo) await iam.detachPolicy(principal, policy.arn);
  }
  revalidatePath('/sandbox');
  return { policyName: policy.name, change: input.change };
});
