import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { assertRecentSignIn, DEFAULT_STEP_UP_MAX_AGE_MINUTES } from '@/lib/identity/step-up';
import { auditEntry, SYSTEM_ACTOR, type RequestOrigin } from '@/lib/audit/model';
import { evaluateDecision } from '@/lib/access/decide';
import { secretName } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';
import type { AccessStore, AccessTx, GrantAccount, RequestRecord } from '@/lib/access/ports';
import { breakGlassMaxMinutes as breakGlassLimit, resolveRule } from '@/lib/access/rules';
import type { CreateRequestInput, DecideRequestInput } from '@/lib/access/schemas';
import { clampRuleToFloors, DEFAULT_RULE_FLOORS, type RuleFloors } from '@/lib/control-plane/floors';
import { assertTransition } from '@/lib/access/state-machine';
import { canViewRequest } from '@/lib/access/visibility';
import { buildGrant } from '@/lib/grants/build-grant';
import { recordGrantEnd } from '@/lib/grants/service';
import type { RequestNotificationKind, RequestSummary } from '@/lib/notifications/model';
import { renderSlackDecisionUpdate, renderSlackMessage, requestUrl } from '@/lib/notifications/slack-message';
import { plural } from '@/lib/i18n/plural';

export interface AccessDeps {
  store: AccessStore;
  now: () => Date;
  /** The portal's public URL, for links in notifications (default http://localhost:3000). */
  portalUrl?: string;
  /** Floors from configuration the rule of a request is held to (docs/decisions/032; default DEFAULT_RULE_FLOORS). */
  floors?: RuleFloors;
  /** Break-glass requests one user may make in any rolling 24 h (GATEHOUSE_BREAK_GLASS_PER_DAY, default 2). */
  breakGlassPerDay?: number;
  /** The AWS account an environment's grants are applied in (docs/decisions/039): grants attach to the requester's principal there. */
  accountFor: (environment: Environment) => Promise<GrantAccount>;
  /** How recent a sign-in a prod decision needs (STEP_UP_MAX_AGE_MINUTES, default 15; docs/decisions/046-step-up.md). */
  stepUpMaxAgeMinutes?: number;
}

const DEFAULT_BREAK_GLASS_PER_DAY = 2;
const DAY_MS = 24 * 3600_000;

/** Thrown inside a transaction when another writer changed the request first; the use case retries. */
class ConcurrentChange extends Error {}

const MAX_ATTEMPTS = 4;

async function withRetry<T>(store: AccessStore, work: (tx: AccessTx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.transaction(work);
    } catch (e) {
      if (!(e instanceof ConcurrentChange) || attempt >= MAX_ATTEMPTS) {
        if (e instanceof ConcurrentChange) throw new AppError('CONFLICT', 'The request changed while you were deciding; reload it.');
        throw e;
      }
    }
  }
}

/** The request's public summary for the audit history (no free text beyond what the requester wrote). */
function auditView(r: RequestRecord) {
  return {
    type: r.type,
    status: r.status,
    environment: r.environment,
    teamId: r.teamId,
    secretId: r.secretId,
    roleId: r.roleId,
    proposedSecret: r.proposedSecret,
    durationMinutes: r.durationMinutes,
    startsAt: r.startsAt,
    approvalsRequired: r.approvalsRequired,
    breakGlass: r.breakGlass,
  };
}

/**
 * Queues the Slack message about `request` in the caller's transaction (the outbox,
 * docs/decisions/006-notifications.md): it is sent only if the change commits, and sent later
 * even if Slack is down now.
 */
async function enqueueRequestNotification(
  deps: AccessDeps,
  tx: AccessTx,
  kind: RequestNotificationKind,
  request: RequestRecord,
  facts: { approvals: number; decidedBy?: string; now: Date },
): Promise<void> {
  const names = await tx.describeRequest(request.id);
  if (!names) return;
  const payload = renderSlackMessage(kind, { ...summaryOf(deps, request, names), approvals: facts.approvals, decidedBy: facts.decidedBy ?? null });
  await tx.enqueueNotification({ kind, requestId: request.id, payload, createdAt: facts.now });
}

const DEFAULT_PORTAL_URL = 'http://localhost:3000';

/** What a Slack message says about the request (names from `describeRequest`); approvals start at 0. */
function summaryOf(deps: AccessDeps, request: RequestRecord, names: { requesterName: string; targetName: string }): RequestSummary {
  return {
    id: request.id,
    type: request.type,
    targetName: names.targetName,
    environment: request.environment,
    requesterName: names.requesterName,
    approvals: 0,
    approvalsRequired: request.approvalsRequired,
    status: request.status,
    breakGlass: request.breakGlass,
    portalUrl: deps.portalUrl ?? DEFAULT_PORTAL_URL,
  };
}

const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3600_000;

/**
 * Creates a request: resolves the rule for (type, environment) and freezes it on the request with
 * the eligible approvers. A break-glass request (where the rule allows it) is approved at once for
 * at most an hour and flagged for review. Refuses (422) what the rule does not allow.
 */
export async function createRequest(deps: AccessDeps, actor: Actor, input: CreateRequestInput, origin: RequestOrigin | null): Promise<RequestRecord> {
  const { store } = deps;
  const now = deps.now();
  let environment: Environment;
  let teamId: string;
  let secretId: string | null = null;
  let roleId: string | null = null;
  let proposedSecret: RequestRecord['proposedSecret'] = null;

  if (input.type === 'SECRET_READ') {
    const secret = await store.findSecret(input.secretId);
    if (!secret || !secret.active) throw new AppError('UNPROCESSABLE', 'That secret is not in the catalog.');
    if (!secret.arn) throw new AppError('UNPROCESSABLE', 'That secret has no AWS ARN in the catalog yet; ask the security team to add it.');
    ({ environment, teamId } = secret);
    secretId = secret.id;
  } else if (input.type === 'ROLE') {
    const role = await store.findRole(input.roleId);
    if (!role || !role.active) throw new AppError('UNPROCESSABLE', 'That role is not in the catalog.');
    ({ environment, teamId } = role);
    roleId = role.id;
  } else {
    const team = await store.findTeam(input.teamId);
    if (!team) throw new AppError('UNPROCESSABLE', 'That team does not exist.');
    environment = input.environment;
    teamId = team.id;
    const name = secretName(environment, team.slug, input.secretName);
    if (await store.secretNameTaken(name)) throw new AppError('CONFLICT', `A secret named ${name} already exists.`);
    proposedSecret = { name, description: input.description, rotationDays: input.rotationDays ?? null };
  }

  const account = await deps.accountFor(environment);
  if (!(await store.hasPrincipal(actor.id, account.accountId))) {
    throw new AppError(
      'UNPROCESSABLE',
      `You have no AWS identity mapped in Gatehouse for ${environment.toLowerCase()}'s account (${account.accountId}), so access could not be granted to you there. Ask an admin to map your IAM user or role in that account.`,
    );
  }
  // Held to the configured floors even if the stored rule was written around the portal (decision 032).
  const floors = deps.floors ?? DEFAULT_RULE_FLOORS;
  const rule = clampRuleToFloors(resolveRule(await store.findRule(input.type, environment), input.type, environment), environment, floors);
  const breakGlassMaxMinutes = breakGlassLimit(floors.breakGlassMaxMinutes);
  const hours = (m: number) => (m % 60 === 0 ? `${m / 60} h` : `${m} min`);
  if (input.breakGlass) {
    if (!rule.breakGlassAllowed) throw new AppError('UNPROCESSABLE', `Break-glass is not allowed for this request type in ${environment.toLowerCase()}.`);
    if (input.durationMinutes > breakGlassMaxMinutes) throw new AppError('UNPROCESSABLE', `Break-glass access lasts at most ${hours(breakGlassMaxMinutes)}.`);
    if (input.startsAt) throw new AppError('UNPROCESSABLE', 'Break-glass access starts now; it cannot be scheduled.');
    // Chaining break-glass by extending it is what this refuses: longer access is a normal request.
    if (input.extendsRequestId)
      throw new AppError('UNPROCESSABLE', 'Break-glass access cannot be extended; ask for an extension without break-glass, through normal approval.');
  }
  if (input.durationMinutes > rule.maxDurationMinutes) {
    throw new AppError('UNPROCESSABLE', `The rule for ${environment.toLowerCase()} allows at most ${hours(rule.maxDurationMinutes)}.`);
  }
  if (input.startsAt && (input.startsAt.getTime() < now.getTime() - 60_000 || input.startsAt.getTime() > now.getTime() + MAX_SCHEDULE_AHEAD_MS)) {
    throw new AppError('UNPROCESSABLE', 'A scheduled start must be in the next 30 days.');
  }

  const eligibleSecurityIds = (await store.listSecurityUserIds()).filter((id) => id !== actor.id).sort();
  const eligibleLeadIds =
    rule.approverGroup === 'SECURITY_AND_TEAM_LEAD'
      ? (await store.listTeamLeadIds(teamId)).filter((id) => id !== actor.id && !eligibleSecurityIds.includes(id)).sort()
      : [];
  // A lead counts once, and at least one approval must come from security.
  const reachable = eligibleSecurityIds.length + Math.min(eligibleLeadIds.length, 1);
  if (!input.breakGlass && (eligibleSecurityIds.length === 0 || reachable < rule.approvalsRequired)) {
    throw new AppError(
      'UNPROCESSABLE',
      `This request needs ${plural('en', rule.approvalsRequired, { one: '# approval', other: '# approvals' })} but only ${plural('en', reachable, { one: '# approver', other: '# approvers' })} other than you ${reachable === 1 ? 'is' : 'are'} eligible. Ask the security team.`,
    );
  }

  return withRetry(store, async (tx) => {
    if (input.breakGlass) await assertBreakGlassAllowed(deps, tx, actor, teamId, now);
    if (input.extendsRequestId) {
      const original = await tx.loadRequest(input.extendsRequestId);
      if (!original || original.request.requesterId !== actor.id) throw new AppError('UNPROCESSABLE', 'You can only extend your own request.');
      const o = original.request;
      if (o.status !== 'APPROVED' && o.status !== 'ACTIVE') throw new AppError('UNPROCESSABLE', 'Only approved or active access can be extended.');
      if (o.type !== input.type || o.secretId !== secretId || o.roleId !== roleId)
        throw new AppError('UNPROCESSABLE', 'An extension must ask for the same access.');
    }
    const request = await tx.insertRequest({
      type: input.type,
      status: input.breakGlass ? 'APPROVED' : 'PENDING',
      environment,
      requesterId: actor.id,
      teamId,
      secretId,
      roleId,
      proposedSecret,
      justification: input.justification,
      ticketRef: input.ticketRef ?? null,
      durationMinutes: input.durationMinutes,
      startsAt: input.startsAt ?? null,
      approvalsRequired: rule.approvalsRequired,
      approverGroup: rule.approverGroup,
      maxDurationMinutes: rule.maxDurationMinutes,
      eligibleSecurityIds,
      eligibleLeadIds,
      pendingExpiresAt: new Date(now.getTime() + rule.pendingTtlMinutes * 60_000),
      breakGlass: input.breakGlass,
      breakGlassReason: input.breakGlass ? (input.breakGlassReason ?? null) : null,
      extendsRequestId: input.extendsRequestId ?? null,
      decidedAt: input.breakGlass ? now : null,
    });
    const target = { type: 'request', id: request.id };
    const scope = { environment, teamId, requestId: request.id };
    await tx.appendAudit(
      auditEntry(
        actor,
        'request.created',
        target,
        { ...scope, after: { ...auditView(request), justification: request.justification, ticketRef: request.ticketRef } },
        now,
      ),
      origin,
    );
    if (request.breakGlass) {
      await tx.appendAudit(
        auditEntry(actor, 'request.break_glass', target, { ...scope, after: { status: 'APPROVED', reason: request.breakGlassReason } }, now),
        origin,
      );
      await recordGrant(tx, request, account, now, origin);
    }
    await enqueueRequestNotification(deps, tx, request.breakGlass ? 'break_glass_review' : 'approval_needed', request, { approvals: 0, now });
    return request;
  });
}

/**
 * The limits of break-glass (docs/decisions/028): only on a resource of one of the requester's
 * teams, one approved or active at a time, and at most `breakGlassPerDay` in any rolling 24 h.
 * Counted under a per-user lock in the creating transaction, so parallel requests cannot all pass.
 */
async function assertBreakGlassAllowed(deps: AccessDeps, tx: AccessTx, actor: Actor, teamId: string, now: Date): Promise<void> {
  const limit = deps.breakGlassPerDay ?? DEFAULT_BREAK_GLASS_PER_DAY;
  const usage = await tx.breakGlassUsage(actor.id, teamId, new Date(now.getTime() - DAY_MS));
  if (!usage.member)
    throw new AppError(
      'UNPROCESSABLE',
      'Break-glass is only for resources of your own teams; this one belongs to another team. Ask for access through normal approval.',
    );
  if (usage.active > 0) throw new AppError('CONFLICT', 'You already hold break-glass access; give it back or let it end before breaking glass again.');
  if (usage.recent >= limit) {
    throw new AppError(
      'CONFLICT',
      `You have used break-glass ${plural('en', usage.recent, { one: 'once', other: '# times' })} in the last 24 hours, the most allowed (${limit}); ask for access through normal approval.`,
    );
  }
}

/**
 * Where a decision is made. The portal's pages and API are the default. A decision from a Slack
 * button (docs/decisions/047-slack-approvals.md) is recorded as such in the audit, is refused for
 * prod (a prod decision needs a fresh sign-in, which Slack cannot give), and queues the update of
 * the Slack message it came from (its `responseUrl`) in the decision's transaction.
 */
export type DecisionChannel = { channel: 'portal' } | { channel: 'slack'; slackUserId: string; responseUrl: string | null };

/**
 * Records one approver's decision. The decision and the status change commit together; when two
 * approvers act at once, the version check makes one retry on top of the other, so exactly one
 * outcome results and each approver counts once.
 */
export async function decideRequest(
  deps: AccessDeps,
  actor: Actor,
  input: DecideRequestInput,
  origin: RequestOrigin | null,
  via: DecisionChannel = { channel: 'portal' },
) {
  return withRetry(deps.store, async (tx) => {
    const now = deps.now();
    const loaded = await tx.loadRequest(input.requestId);
    if (!loaded) throw new AppError('NOT_FOUND', 'No such request.');
    const { request, decisions } = loaded;
    // A request the caller may not see does not exist for them (decision 005): 404, not 403.
    if (!canViewRequest(actor, request)) throw new AppError('NOT_FOUND', 'No such request.');
    if (via.channel === 'slack' && request.environment === 'PROD') {
      throw new AppError('FORBIDDEN', 'A prod decision needs a fresh sign-in, which Slack cannot give: decide in Gatehouse.', {
        url: requestUrl(deps.portalUrl ?? DEFAULT_PORTAL_URL, request.id),
      });
    }
    // Eligibility at the time of the decision (decision 028): the frozen list and what the approver holds now.
    const standing = await tx.approverStanding(actor.id, request.teamId);
    const outcome = evaluateDecision(request, decisions, { approverId: actor.id, kind: input.kind }, now, standing);
    // Prod needs a recent sign-in, whatever the transport (page, API, Slack, token): checked here,
    // before anything is written (docs/decisions/046-step-up.md).
    assertRecentSignIn(actor, request.environment, now, deps.stepUpMaxAgeMinutes ?? DEFAULT_STEP_UP_MAX_AGE_MINUTES);
    if (outcome.status !== request.status) assertTransition(request.status, outcome.status);
    const updated = await tx.updateRequest(request.id, request.version, {
      status: outcome.status,
      decidedAt: outcome.status === 'PENDING' ? null : now,
    });
    if (!updated) throw new ConcurrentChange();
    const decision = await tx.insertDecision({
      requestId: request.id,
      approverId: actor.id,
      kind: input.kind,
      capacity: outcome.capacity,
      comment: input.comment,
      createdAt: now,
    });
    const target = { type: 'request', id: request.id };
    const scope = { environment: request.environment, teamId: request.teamId, requestId: request.id };
    await tx.appendAudit(
      auditEntry(
        actor,
        input.kind === 'APPROVE' ? 'request.approval' : 'request.rejection',
        target,
        {
          ...scope,
          after: {
            capacity: outcome.capacity,
            comment: input.comment,
            approvals: outcome.approvals,
            required: request.approvalsRequired,
            // A portal decision names no channel (as before); one from Slack says so.
            ...(via.channel === 'slack' ? { channel: 'slack', slackUserId: via.slackUserId } : {}),
          },
        },
        now,
      ),
      origin,
    );
    if (outcome.status !== 'PENDING') {
      await tx.appendAudit(
        auditEntry(
          actor,
          outcome.status === 'APPROVED' ? 'request.approved' : 'request.rejected',
          target,
          { ...scope, before: { status: request.status }, after: { status: outcome.status } },
          now,
        ),
        origin,
      );
      if (outcome.status === 'APPROVED') await recordGrant(tx, request, await deps.accountFor(request.environment), now, origin);
    }
    if (outcome.status === 'APPROVED' || outcome.status === 'REJECTED') {
      await enqueueRequestNotification(
        deps,
        tx,
        'request_decided',
        { ...request, status: outcome.status },
        { approvals: outcome.approvals, decidedBy: actor.name, now },
      );
    }
    if (via.channel === 'slack' && via.responseUrl) {
      // The clicked message shows the outcome and who decided; queued here (the outbox), so that a
      // Slack that is slow or down delays the update but never the decision (decision 047).
      const names = await tx.describeRequest(request.id);
      if (names) {
        const payload = renderSlackDecisionUpdate(
          {
            ...summaryOf(deps, { ...request, status: outcome.status }, names),
            approvals: outcome.approvals,
            decidedBy: actor.name,
          },
          input.kind,
        );
        await tx.enqueueNotification({ kind: 'slack_decision_update', requestId: request.id, payload, createdAt: now, targetUrl: via.responseUrl });
      }
    }
    return { decision, status: outcome.status, approvals: outcome.approvals };
  });
}

/**
 * Turns an approved request into a grant row in the same transaction as the approval, so that no
 * approval is ever without its grant; the lifecycle job (or the immediate kick after commit) applies it.
 */
async function recordGrant(tx: AccessTx, request: RequestRecord, account: GrantAccount, now: Date, origin: RequestOrigin | null) {
  const id = tx.newGrantId();
  const grant = buildGrant(request, await tx.grantInputs(request.id, account), now, id);
  await tx.insertGrant(request.id, id, grant, now);
  await tx.appendAudit(
    auditEntry(
      SYSTEM_ACTOR,
      'grant.created',
      { type: 'grant', id },
      {
        environment: request.environment,
        teamId: request.teamId,
        requestId: request.id,
        after: {
          kind: grant.kind,
          principal: grant.principal.arn,
          resource: grant.resourceArn,
          startsAt: grant.startsAt,
          endsAt: grant.endsAt,
          policy: grant.policy,
          setup: grant.setup,
        },
      },
      now,
    ),
    origin,
  );
}

/** The requester withdraws a pending request. */
export async function cancelRequest(deps: AccessDeps, actor: Actor, input: { requestId: string; comment: string }, origin: RequestOrigin | null) {
  return withRetry(deps.store, async (tx) => {
    const now = deps.now();
    const loaded = await tx.loadRequest(input.requestId);
    if (!loaded || loaded.request.requesterId !== actor.id) throw new AppError('NOT_FOUND', 'No such request of yours.');
    const { request } = loaded;
    assertTransition(request.status, 'CANCELLED');
    if (!(await tx.updateRequest(request.id, request.version, { status: 'CANCELLED', decidedAt: now }))) throw new ConcurrentChange();
    await tx.appendAudit(
      auditEntry(
        actor,
        'request.cancelled',
        { type: 'request', id: request.id },
        {
          environment: request.environment,
          teamId: request.teamId,
          requestId: request.id,
          before: { status: request.status },
          after: { status: 'CANCELLED', comment: input.comment },
        },
        now,
      ),
      origin,
    );
    return { status: 'CANCELLED' as const };
  });
}

/**
 * The security team's review of a break-glass use: acknowledged or escalated, once. Escalating
 * revokes the grant in the same transaction (the grant engine's recordGrantEnd, audited as
 * grant.revoked); the caller then has the engine remove it from AWS at once (`revokedGrantId`).
 */
export async function reviewBreakGlass(
  deps: AccessDeps,
  actor: Actor,
  input: { requestId: string; outcome: 'ACKNOWLEDGED' | 'ESCALATED'; comment: string },
  origin: RequestOrigin | null,
): Promise<{ outcome: 'ACKNOWLEDGED' | 'ESCALATED'; revokedGrantId: string | null }> {
  return withRetry(deps.store, async (tx) => {
    const now = deps.now();
    const loaded = await tx.loadRequest(input.requestId);
    if (!loaded || !loaded.request.breakGlass) throw new AppError('NOT_FOUND', 'No such break-glass request.');
    if (loaded.request.requesterId === actor.id) throw new AppError('FORBIDDEN', 'You cannot review your own break-glass use.');
    if (!(await tx.insertBreakGlassReview({ requestId: input.requestId, outcome: input.outcome, reviewerId: actor.id, comment: input.comment }))) {
      throw new AppError('CONFLICT', 'This break-glass use has already been reviewed.');
    }
    const r = loaded.request;
    await tx.appendAudit(
      auditEntry(
        actor,
        'break_glass.reviewed',
        { type: 'request', id: r.id },
        { environment: r.environment, teamId: r.teamId, requestId: r.id, after: { outcome: input.outcome, comment: input.comment } },
        now,
      ),
      origin,
    );
    let revokedGrantId: string | null = null;
    if (input.outcome === 'ESCALATED') {
      const found = await tx.grantOfRequest(r.id);
      if (found && found.grant.status !== 'ENDING' && found.grant.status !== 'ENDED') {
        const comment = `Escalated in the break-glass review${input.comment ? `: ${input.comment}` : '.'}`;
        if (!(await recordGrantEnd(found.tx, found.grant, 'REVOKED', { actor, comment, origin }, now))) throw new ConcurrentChange();
        revokedGrantId = found.grant.id;
      }
    }
    return { outcome: input.outcome, revokedGrantId };
  });
}

/** Marks requests nobody answered in time as EXPIRED (safe to run from several replicas at once). */
export async function expireOverdueRequests(deps: AccessDeps, batch = 100): Promise<number> {
  const now = deps.now();
  let expired = 0;
  for (const id of await deps.store.listOverduePending(now, batch)) {
    const done = await deps.store.transaction(async (tx) => {
      const loaded = await tx.loadRequest(id);
      if (!loaded || loaded.request.status !== 'PENDING' || loaded.request.pendingExpiresAt > now) return false;
      const r = loaded.request;
      if (!(await tx.updateRequest(r.id, r.version, { status: 'EXPIRED', decidedAt: now }))) return false;
      await tx.appendAudit(
        auditEntry(
          SYSTEM_ACTOR,
          'request.expired',
          { type: 'request', id: r.id },
          { environment: r.environment, teamId: r.teamId, requestId: r.id, before: { status: 'PENDING' }, after: { status: 'EXPIRED' } },
          now,
        ),
        null,
      );
      return true;
    });
    if (done) expired++;
  }
  return expired;
}
