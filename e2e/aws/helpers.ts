import type { APIRequestContext, Browser } from '@playwright/test';
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { expect, sessionCookie } from '../fixtures/test';
import { ACCOUNT_ID, motoClientConfig } from './emulator';

/** An API context signed in as the user (its own browser context; close it when done). */
export async function contextAs(browser: Browser, userId: string) {
  const context = await browser.newContext();
  await context.addCookies([await sessionCookie(userId)]);
  return context;
}

export async function approve(request: APIRequestContext, requestId: string) {
  const res = await request.post(`/api/v1/requests/${requestId}/approve`, { data: {} });
  expect(res.status(), await res.text()).toBe(200);
}

export interface GrantView {
  id: string;
  status: string;
  policyName: string;
  policyArn: string | null;
  endsAt: string;
  setup: unknown;
}

/** Waits until the request's grant has the status; returns the grant. */
export async function grantWhen(request: APIRequestContext, requestId: string, status: string, timeout = 20_000): Promise<GrantView> {
  let grant: GrantView | null = null;
  await expect
    .poll(
      async () => {
        grant = (await (await request.get(`/api/v1/requests/${requestId}`)).json()).grant as GrantView | null;
        return grant?.status;
      },
      { timeout },
    )
    .toBe(status);
  return grant!;
}

/** An IAM client on moto itself (what AWS holds, not what the portal says), in one account (default: the portal's own). */
export function motoIam(accountId: string = ACCOUNT_ID) {
  return new IAMClient(motoClientConfig(accountId));
}

/**
 * The default version's document of a managed policy, read from the emulator; null when the policy
 * is gone. Read in `accountId` (default: the account the ARN names): asking another account for an
 * ARN shows whether the policy exists there.
 */
export async function policyDocumentInAws(policyArn: string, accountId = policyArn.split(':')[4] ?? ACCOUNT_ID): Promise<{ Statement: unknown[] } | null> {
  const iam = motoIam(accountId);
  try {
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }));
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: policy.Policy!.DefaultVersionId }));
    return JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)) as { Statement: unknown[] };
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchEntityException') return null;
    throw e;
  }
}

/** The ARNs of the managed policies attached to an IAM user of an account, read from the emulator. */
export async function userPolicyArns(userName: string, accountId: string = ACCOUNT_ID): Promise<string[]> {
  const out = await motoIam(accountId).send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyArn!);
}
