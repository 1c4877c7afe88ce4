import type { RequestType } from '@/lib/access/model';
import { describeFailure } from '@/lib/deployments/result';
import type {
  DeploymentNotificationKind,
  DeploymentSummary,
  RequestNotificationKind,
  RequestSummary,
  SlackBlock,
  SlackButton,
  SlackPayload,
  SlackText,
} from '@/lib/notifications/model';
import { SLACK_ACTIONS, slackActionValue } from '@/lib/slack/interaction';

const TYPE_LABELS: Record<RequestType, string> = {
  SECRET_READ: 'Secret read',
  SECRET_REGISTER: 'Secret registration',
  ROLE: 'Role',
};

const ASKS_TO: Record<RequestType, string> = {
  SECRET_READ: 'read the secret',
  SECRET_REGISTER: 'register the new secret',
  ROLE: 'use the role',
};

/**
 * Escapes text for Slack mrkdwn: without it a name such as "<!channel>" would ping a whole
 * channel, and "&", "<", ">" would break links.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The request's page in the portal. */
export function requestUrl(portalUrl: string, requestId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/requests/${encodeURIComponent(requestId)}`;
}

/** The deployment's page in the portal. */
export function deploymentUrl(portalUrl: string, deploymentId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/deployments/${encodeURIComponent(deploymentId)}`;
}

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

/** "<headline> — <sentence>" for the kind of message, already escaped. */
function headline(kind: RequestNotificationKind, s: RequestSummary): { title: string; sentence: string } {
  const who = `*${escapeSlack(s.requesterName)}*`;
  const what = `${ASKS_TO[s.type]} \`${escapeSlack(s.targetName)}\` in *${s.environment}*`;
  if (kind === 'approval_needed') {
    return { title: '⏳ Approval needed', sentence: `${who} asks to ${what} (${s.approvals}/${s.approvalsRequired} approvals).` };
  }
  if (kind === 'break_glass_review') {
    return {
      title: '🚨 Break-glass access',
      sentence: `${who} used break-glass to ${what}. It was approved automatically and needs the security team's review.`,
    };
  }
  const by = s.decidedBy ? ` by ${escapeSlack(s.decidedBy)}` : '';
  return s.status === 'APPROVED'
    ? { title: '✅ Request approved', sentence: `${who}, your request to ${what} was approved${by} (${s.approvals}/${s.approvalsRequired} approvals).` }
    : { title: '❌ Request rejected', sentence: `${who}, your request to ${what} was ${s.status.toLowerCase()}${by}.` };
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/**
 * The buttons of an "approval needed" message (docs/decisions/047-slack-approvals.md): Approve and
 * Reject for dev and staging, decided in Slack; for prod a link to the request's page, because a
 * prod decision needs a fresh sign-in that Slack cannot give.
 */
function approvalButtons(s: RequestSummary): SlackBlock {
  if (s.environment === 'PROD') {
    return {
      type: 'actions',
      elements: [{ type: 'button', action_id: SLACK_ACTIONS.open, text: plain('Review in Gatehouse'), url: requestUrl(s.portalUrl, s.id) }],
    };
  }
  const button = (kind: 'APPROVE' | 'REJECT'): SlackButton => ({
    type: 'button',
    action_id: kind === 'APPROVE' ? SLACK_ACTIONS.approve : SLACK_ACTIONS.reject,
    text: plain(kind === 'APPROVE' ? 'Approve' : 'Reject'),
    value: slackActionValue({ requestId: s.id, kind }),
    style: kind === 'APPROVE' ? 'primary' : 'danger',
  });
  return {
    type: 'actions',
    elements: [
      button('APPROVE'),
      {
        ...button('REJECT'),
        confirm: {
          title: plain('Reject this request?'),
          text: plain('The requester is told who rejected it.'),
          confirm: plain('Reject'),
          deny: plain('Cancel'),
        },
      },
    ],
  };
}

function requestBlocks(s: RequestSummary, title: string, sentence: string, extra: SlackBlock[]): SlackBlock[] {
  const link = `<${requestUrl(s.portalUrl, s.id)}|Open in Gatehouse>`;
  return [
    { type: 'section', text: mrkdwn(`*${title}* — ${sentence}`) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Type*\n${TYPE_LABELS[s.type]}${s.breakGlass ? ' (break-glass)' : ''}`),
        mrkdwn(`*Target*\n\`${escapeSlack(s.targetName)}\``),
        mrkdwn(`*Environment*\n${s.environment}`),
        mrkdwn(`*Requester*\n${escapeSlack(s.requesterName)}`),
        mrkdwn(`*Approvals*\n${s.approvals}/${s.approvalsRequired}`),
        mrkdwn(`*Status*\n${statusLabel(s.status)}`),
      ],
    },
    { type: 'section', text: mrkdwn(link) },
    ...extra,
    { type: 'context', elements: [mrkdwn(`Request \`${escapeSlack(s.id)}\` · Gatehouse`)] },
  ];
}

/**
 * The Slack message for a request event: a headline, the request's facts and a link back to the
 * portal; "approval needed" also carries its buttons. Carries names, ids and the link only, never a
 * secret value or the requester's free text.
 */
export function renderSlackMessage(kind: RequestNotificationKind, s: RequestSummary): SlackPayload {
  const { title, sentence } = headline(kind, s);
  const link = `<${requestUrl(s.portalUrl, s.id)}|Open in Gatehouse>`;
  return { text: `${title}: ${sentence} ${link}`, blocks: requestBlocks(s, title, sentence, kind === 'approval_needed' ? [approvalButtons(s)] : []) };
}

/**
 * The "approval needed" message after a decision made from it in Slack, to replace it in place
 * through the interaction's response_url: the outcome and who decided. A request still pending
 * (more approvals needed) keeps its buttons for the other approvers.
 */
export function renderSlackDecisionUpdate(s: RequestSummary & { decidedBy: string }, kind: 'APPROVE' | 'REJECT'): SlackPayload {
  const by = escapeSlack(s.decidedBy);
  const what = `*${escapeSlack(s.requesterName)}*'s request to ${ASKS_TO[s.type]} \`${escapeSlack(s.targetName)}\` in *${s.environment}*`;
  const link = `<${requestUrl(s.portalUrl, s.id)}|Open in Gatehouse>`;
  if (s.status === 'PENDING') {
    const { title, sentence } = headline('approval_needed', s);
    const note = mrkdwn(`👍 Approved by ${by} (${s.approvals}/${s.approvalsRequired} approvals)`);
    return {
      text: `${title}: ${sentence} ${link}`,
      blocks: requestBlocks(s, title, sentence, [{ type: 'context', elements: [note] }, approvalButtons(s)]),
      replace_original: true,
    };
  }
  const title = kind === 'APPROVE' ? '✅ Approved' : '❌ Rejected';
  const sentence =
    kind === 'APPROVE' ? `${what} was approved by ${by} (${s.approvals}/${s.approvalsRequired} approvals).` : `${what} was ${s.status.toLowerCase()} by ${by}.`;
  return { text: `${title}: ${sentence} ${link}`, blocks: requestBlocks(s, title, sentence, []), replace_original: true };
}

/** CloudFormation's reasons can be long (a whole handler message); Slack shows the start, the portal the rest. */
const MAX_REASON = 500;

function clip(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

const RESULT_LABELS = { SUCCEEDED: 'Succeeded', FAILED: 'Failed', ROLLED_BACK: 'Rolled back' } as const;

function deploymentHeadline(kind: DeploymentNotificationKind, s: DeploymentSummary): { title: string; sentence: string } {
  const who = `*${escapeSlack(s.authorName)}*`;
  const what = `\`${escapeSlack(s.stackName)}\` to *${s.environment}*${s.releaseId ? ` (release \`${escapeSlack(s.releaseId)}\`)` : ''}`;
  if (kind === 'deployment_approval_needed') {
    return {
      title: '⏳ Deployment awaiting approval',
      sentence: `${who} planned a deployment of ${what}: it needs ${s.approvalsRequired} approval(s) from someone other than its author.`,
    };
  }
  const kindOf = s.result?.kind;
  if (kindOf === 'SUCCEEDED') return { title: '✅ Deployment succeeded', sentence: `${who}, your deployment of ${what} succeeded.` };
  if (kindOf === 'ROLLED_BACK')
    return { title: '↩️ Deployment rolled back', sentence: `${who}, your deployment of ${what} failed and was rolled back: the stack is as it was before.` };
  return { title: '❌ Deployment failed', sentence: `${who}, your deployment of ${what} failed.` };
}

/**
 * The Slack message for a deployment event: a plan waiting for approval (to the approvers), or an
 * execution that ended (to its author), with the facts and a link to the plan. Names, counts,
 * the result and CloudFormation's reason only: never a parameter value or an output.
 */
export function renderDeploymentMessage(kind: DeploymentNotificationKind, s: DeploymentSummary): SlackPayload {
  const { title, sentence } = deploymentHeadline(kind, s);
  const link = `<${deploymentUrl(s.portalUrl, s.id)}|Open in Gatehouse>`;
  const fields = [
    mrkdwn(`*Environment*\n${s.environment}`),
    mrkdwn(`*Stack*\n\`${escapeSlack(s.stackName)}\``),
    mrkdwn(`*Author*\n${escapeSlack(s.authorName)}`),
    ...(s.releaseId ? [mrkdwn(`*Release*\n\`${escapeSlack(s.releaseId)}\``)] : []),
  ];
  const blocks: SlackBlock[] = [{ type: 'section', text: mrkdwn(`*${title}* — ${sentence}`) }];
  if (kind === 'deployment_approval_needed') {
    fields.push(mrkdwn(`*Approvals*\n0/${s.approvalsRequired}`));
    if (s.changes) fields.push(mrkdwn(`*Changes*\n${escapeSlack(s.changes)}`));
    blocks.push({ type: 'section', fields });
  } else {
    if (s.executedBy) fields.push(mrkdwn(`*Executed by*\n${escapeSlack(s.executedBy)}`));
    const result = s.result;
    if (result && result.kind !== 'NOT_RUN') {
      fields.push(mrkdwn(`*Result*\n${RESULT_LABELS[result.kind]}`));
      if (result.kind !== 'SUCCEEDED' && result.stackStatus) fields.push(mrkdwn(`*Stack status*\n${escapeSlack(result.stackStatus)}`));
    }
    blocks.push({ type: 'section', fields });
    const why = result && result.kind !== 'SUCCEEDED' && result.kind !== 'NOT_RUN' ? describeFailure(result) : null;
    if (why) blocks.push({ type: 'section', text: mrkdwn(`*Reason*\n${escapeSlack(clip(why))}`) });
  }
  blocks.push({ type: 'section', text: mrkdwn(link) }, { type: 'context', elements: [mrkdwn(`Deployment \`${escapeSlack(s.id)}\` · Gatehouse`)] });
  return { text: `${title}: ${sentence} ${link}`, blocks };
}
