'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { cancelRequestSchema, createRequestSchema, decideRequestSchema, requestIdSchema, reviewBreakGlassSchema } from '@/lib/access/schemas';
import { cancelRequest, createRequest, decideRequest, reviewBreakGlass } from '@/lib/access/service';
import { accessDeps, afterRequestCreated } from '@/lib/server/access';
import { findVisibleRequestOrThrow } from '@/lib/server/access-queries';
import { confirmLocalSignIn } from '@/lib/server/auth/step-up';
import { applyGrantNow, grantDeps, kickGrants } from '@/lib/server/grants';
import { endGrant, shortenGrant } from '@/lib/grants/service';
import { giveBackSchema, revokeSchema, shortenSchema } from '@/lib/grants/schemas';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';

/** Files a request; returns its id (the form then opens its page). */
export const createRequestAction = serverAction('request.create', createRequestSchema, async (input, actor) => {
  const request = await createRequest(accessDeps(), actor, input, await requestOrigin());
  afterRequestCreated(request);
  revalidatePath('/requests');
  return { id: request.id, status: request.status };
});

/** Approves or rejects as one of the request's approvers. */
export const decideRequestAction = serverAction('request.decide', decideRequestSchema, async (input, actor) => {
  const result = await decideRequest(accessDeps(), actor, input, await requestOrigin());
  if (result.status === 'APPROVED') applyGrantNow(input.requestId);
  revalidatePath(`/requests/${input.requestId}`);
  return { status: result.status, approvals: result.approvals };
});

/**
 * Local sign-in: "Confirm it's you" before deciding on prod. The session is issued again with a new
 * sign-in time; audited on the request's history (docs/decisions/046-step-up.md).
 */
export const confirmSignInAction = serverAction('request.decide', z.object({ requestId: requestIdSchema }), async (input, actor) => {
  await findVisibleRequestOrThrow(actor, input.requestId);
  await confirmLocalSignIn(actor, input.requestId, await requestOrigin());
  revalidatePath(`/requests/${input.requestId}`);
  return { confirmed: true };
});

/** The requester withdraws a pending request. */
export const cancelRequestAction = serverAction('request.cancel', cancelRequestSchema, async (input, actor) => {
  const result = await cancelRequest(accessDeps(), actor, input, await requestOrigin());
  revalidatePath(`/requests/${input.requestId}`);
  return result;
});

/** The security team's review of a break-glass use; escalating revokes the grant, removed from AWS at once. */
export const reviewBreakGlassAction = serverAction('break_glass.review', reviewBreakGlassSchema, async (input, actor) => {
  const result = await reviewBreakGlass(accessDeps(), actor, input, await requestOrigin());
  if (result.revokedGrantId) kickGrants();
  revalidatePath('/break-glass');
  return result;
});

/** The holder gives their access back early: the policy is removed at once. */
export const giveBackGrantAction = serverAction('grant.give_back', giveBackSchema, async (input, actor) => {
  const result = await endGrant(grantDeps(), input.grantId, 'GIVEN_BACK', { actor: actor, comment: input.comment, origin: await requestOrigin() });
  revalidatePath('/requests');
  return result;
});

/** The holder or security moves a grant's end earlier. */
export const shortenGrantAction = serverAction('grant.shorten', shortenSchema, async (input, actor) => {
  const result = await shortenGrant(grantDeps(), input.grantId, input.endsAt, { actor: actor, comment: input.comment, origin: await requestOrigin() });
  revalidatePath('/requests');
  return result;
});

/** Security ends any grant, with a reason. */
export const revokeGrantAction = serverAction('grant.revoke', revokeSchema, async (input, actor) => {
  const result = await endGrant(grantDeps(), input.grantId, 'REVOKED', { actor: actor, comment: input.comment, origin: await requestOrigin() });
  revalidatePath('/requests');
  return result;
});
