import type { RequestType } from '@/lib/access/model';
import type { NotificationKind, RequestSummary, SlackBlock, SlackPayload, SlackText } from '@/lib/notifications/model';

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

const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

function statusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

/** "<headline> — <sentence>" for the kind of message, already escaped. */
function headline(kind: NotificationKind, s: RequestSummary): { title: string; sentence: string } {
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

/**
 * The Slack message for a request event: a headline, the request's facts and a link back to the
 * portal. Carries names, ids and the link only, never a secret value or the requester's free text.
 */
export function renderSlackMessage(kind: NotificationKind, s: RequestSummary): SlackPayload {
  const { title, sentence } = headline(kind, s);
  const link = `<${requestUrl(s.portalUrl, s.id)}|Open in Gatehouse>`;
  const blocks: SlackBlock[] = [
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
    { type: 'context', elements: [mrkdwn(`Request \`${escapeSlack(s.id)}\` · Gatehouse`)] },
  ];
  return { text: `${title}: ${sentence} ${link}`, blocks };
}
