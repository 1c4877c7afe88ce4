'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { GRANT_POLICY_PATH, type PolicyDocument } from '@/lib/grants/policy';
import { sandboxAccounts } from '@/lib/server/cloud/adapters';
import { serverAction } from '@/lib/server/http/action';

const tamperSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/, 'Not an AWS account id.'),
  policyName: z.string().regex(/^gatehouse-grant-[A-Za-z0-9_-]+$/, 'Not a Gatehouse grant policy.'),
  change: z.enum(['widen', 'detach'], { message: 'Pick widen or detach.' }),
});

/**
 * Sandbox only: acts as someone editing IAM outside Gatehouse (the console, a script) in one of
 * the simulated accounts, so that the reconciler has drift to find. "widen" adds secretsmanager:*
 * on * to the policy; "detach" removes it from its principal. Nothing like it exists in aws mode.
 */
export const tamperSandboxPolicyAction = serverAction('sandbox.tamper', tamperSchema, async (input) => {
  const account = sandboxAccounts().find((a) => a.accountId === input.accountId);
  const sandbox = account?.adapters.sandbox;
  if (!sandbox) throw new AppError('NOT_FOUND', `No local sandbox account ${input.accountId} to tamper with.`);
  const iam = sandbox.iam();
  const policy = (await iam.listPolicies(GRANT_POLICY_PATH)).find((p) => p.name === input.policyName);
  if (!policy) throw new AppError('NOT_FOUND', `No policy ${input.policyName} in sandbox account ${input.accountId}.`);
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
  return { accountId: input.accountId, policyName: policy.name, change: input.change };
});
