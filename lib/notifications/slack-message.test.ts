import { describe, expect, it } from 'vitest';
import type { DeploymentSummary, RequestSummary } from '@/lib/notifications/model';
import {
  deploymentUrl,
  escapeSlack,
  renderDeploymentMessage,
  renderSlackDecisionUpdate,
  renderSlackMessage,
  requestUrl,
} from '@/lib/notifications/slack-message';

const summary: RequestSummary = {
  id: 'req_123',
  type: 'SECRET_READ',
  targetName: 'prod/payments/stripe-api-key',
  environment: 'PROD',
  requesterName: 'Minji Kim',
  approvals: 0,
  approvalsRequired: 2,
  status: 'PENDING',
  breakGlass: false,
  portalUrl: 'https://gatehouse.example.com',
};

const LINK = '<https://gatehouse.example.com/requests/req_123|Open in Gatehouse>';

/** Every text of the message, fallback and blocks, in order. */
function texts(payload: ReturnType<typeof renderSlackMessage | typeof renderDeploymentMessage>): string[] {
  return [
    payload.text,
    ...payload.blocks.flatMap((b) =>
      b.type === 'context'
        ? b.elements.map((e) => e.text)
        : b.type === 'actions'
          ? b.elements.map((e) => e.text.text)
          : 'fields' in b
            ? b.fields.map((f) => f.text)
            : [b.text.text],
    ),
  ];
}

describe('renderSlackMessage', () => {
  it('asks the approvers, with the facts and a link back to the portal', () => {
    const message = renderSlackMessage('approval_needed', summary);
    expect(message.text).toBe('⏳ Approval needed: *Minji Kim* asks to read the secret `prod/payments/stripe-api-key` in *PROD* (0/2 approvals). ' + LINK);
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*⏳ Approval needed* — *Minji Kim* asks to read the secret `prod/payments/stripe-api-key` in *PROD* (0/2 approvals).' },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Type*\nSecret read' },
          { type: 'mrkdwn', text: '*Target*\n`prod/payments/stripe-api-key`' },
          { type: 'mrkdwn', text: '*Environment*\nPROD' },
          { type: 'mrkdwn', text: '*Requester*\nMinji Kim' },
          { type: 'mrkdwn', text: '*Approvals*\n0/2' },
          { type: 'mrkdwn', text: '*Status*\nPending' },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: LINK } },
      // Prod: no decision in Slack (step-up), a link button to the request's page instead.
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'gatehouse_open',
            text: { type: 'plain_text', text: 'Review in Gatehouse' },
            url: 'https://gatehouse.example.com/requests/req_123',
          },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Request `req_123` · Gatehouse' }] },
    ]);
  });

  it('gives dev and staging approvers Approve and Reject buttons carrying the request id and the kind only', () => {
    for (const environment of ['DEV', 'STAGING'] as const) {
      const message = renderSlackMessage('approval_needed', { ...summary, environment, approvalsRequired: 1 });
      const actions = message.blocks.filter((b) => b.type === 'actions');
      expect(actions).toEqual([
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'gatehouse_approve',
              text: { type: 'plain_text', text: 'Approve' },
              value: '{"requestId":"req_123","kind":"APPROVE"}',
              style: 'primary',
            },
            {
              type: 'button',
              action_id: 'gatehouse_reject',
              text: { type: 'plain_text', text: 'Reject' },
              value: '{"requestId":"req_123","kind":"REJECT"}',
              style: 'danger',
              confirm: {
                title: { type: 'plain_text', text: 'Reject this request?' },
                text: { type: 'plain_text', text: 'The requester is told who rejected it.' },
                confirm: { type: 'plain_text', text: 'Reject' },
                deny: { type: 'plain_text', text: 'Cancel' },
              },
            },
          ],
        },
      ]);
      expect(JSON.stringify(message)).not.toContain('gatehouse_open');
    }
  });

  it('puts buttons on "approval needed" only', () => {
    for (const kind of ['break_glass_review', 'request_decided'] as const) {
      expect(renderSlackMessage(kind, { ...summary, environment: 'DEV', status: 'APPROVED' }).blocks.some((b) => b.type === 'actions')).toBe(false);
    }
  });

  it('flags break-glass use as auto-approved and needing review', () => {
    const message = renderSlackMessage('break_glass_review', {
      ...summary,
      type: 'ROLE',
      targetName: 'payments/prod/on-call',
      status: 'APPROVED',
      breakGlass: true,
    });
    expect(message.text).toMatch(
      /^🚨 Break-glass access: \*Minji Kim\* used break-glass to use the role `payments\/prod\/on-call` in \*PROD\*\. It was approved automatically and needs the security team's review\. /,
    );
    expect(message.text).toContain(LINK);
    expect(texts(message)).toContain('*Type*\nRole (break-glass)');
    expect(texts(message)).toContain('*Status*\nApproved');
  });

  it('tells the requester, by name, who approved and with how many approvals', () => {
    const message = renderSlackMessage('request_decided', { ...summary, approvals: 2, status: 'APPROVED', decidedBy: 'Lucas Meyer' });
    expect(message.text).toBe(
      '✅ Request approved: *Minji Kim*, your request to read the secret `prod/payments/stripe-api-key` in *PROD* was approved by Lucas Meyer (2/2 approvals). ' +
        LINK,
    );
  });

  it('tells the requester who rejected', () => {
    const message = renderSlackMessage('request_decided', {
      ...summary,
      type: 'SECRET_REGISTER',
      targetName: 'dev/data/new-key',
      environment: 'DEV',
      approvalsRequired: 1,
      status: 'REJECTED',
      decidedBy: 'Seo-yeon Park',
    });
    expect(message.text).toBe(
      '❌ Request rejected: *Minji Kim*, your request to register the new secret `dev/data/new-key` in *DEV* was rejected by Seo-yeon Park. ' + LINK,
    );
    expect(texts(message)).toContain('*Type*\nSecret registration');
  });

  it('escapes names so that they cannot ping a channel or forge a link', () => {
    const message = renderSlackMessage('request_decided', {
      ...summary,
      requesterName: '<!channel> & <https://evil.example|click>',
      status: 'REJECTED',
      decidedBy: '<@U123>',
    });
    for (const text of texts(message)) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<@U123>');
      expect(text).not.toContain('<https://evil');
    }
    expect(message.text).toContain('*&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;*');
    // The portal link stays a link.
    expect(message.text).toContain(LINK);
  });

  it('builds the link from a base URL with or without a trailing slash or a path', () => {
    expect(requestUrl('https://gatehouse.example.com/', 'req_1')).toBe('https://gatehouse.example.com/requests/req_1');
    expect(requestUrl('http://localhost:3000', 'req_1')).toBe('http://localhost:3000/requests/req_1');
    expect(requestUrl('https://tools.example.com/gatehouse//', 'req_1')).toBe('https://tools.example.com/gatehouse/requests/req_1');
    expect(renderSlackMessage('approval_needed', { ...summary, portalUrl: 'https://gatehouse.example.com/' }).text).toContain(LINK);
  });

  it('escapes only &, < and >', () => {
    expect(escapeSlack('a & b <c> "d" *e*')).toBe('a &amp; b &lt;c&gt; "d" *e*');
  });
});

describe('renderSlackDecisionUpdate', () => {
  const dev: RequestSummary = { ...summary, environment: 'DEV', approvalsRequired: 1, targetName: 'dev/payments/stripe-api-key' };

  it('replaces the message with the outcome and who decided, without buttons', () => {
    const approved = renderSlackDecisionUpdate({ ...dev, status: 'APPROVED', approvals: 1, decidedBy: 'Seo-yeon Park' }, 'APPROVE');
    expect(approved.replace_original).toBe(true);
    expect(approved.text).toBe(
      "✅ Approved: *Minji Kim*'s request to read the secret `dev/payments/stripe-api-key` in *DEV* was approved by Seo-yeon Park (1/1 approvals). <https://gatehouse.example.com/requests/req_123|Open in Gatehouse>",
    );
    expect(approved.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(texts(approved)).toContain('*Status*\nApproved');

    const rejected = renderSlackDecisionUpdate({ ...dev, status: 'REJECTED', approvals: 0, decidedBy: '<!channel>' }, 'REJECT');
    expect(rejected.text).toMatch(/^❌ Rejected: .* was rejected by &lt;!channel&gt;\. </);
    expect(rejected.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('keeps the buttons while more approvals are needed, saying who approved', () => {
    const partial = renderSlackDecisionUpdate({ ...dev, approvalsRequired: 2, status: 'PENDING', approvals: 1, decidedBy: 'Seo-yeon Park' }, 'APPROVE');
    expect(partial.replace_original).toBe(true);
    expect(texts(partial)).toContain('👍 Approved by Seo-yeon Park (1/2 approvals)');
    expect(partial.blocks.filter((b) => b.type === 'actions')).toHaveLength(1);
  });
});

const plan: DeploymentSummary = {
  id: 'dep_42',
  environment: 'PROD',
  stackName: 'serverless-prod',
  authorName: 'Priya Raman',
  approvalsRequired: 1,
  changes: '0 to add, 4 to modify (3 replaced), 0 to remove',
  portalUrl: 'https://gatehouse.example.com/',
};

const PLAN_LINK = '<https://gatehouse.example.com/deployments/dep_42|Open in Gatehouse>';

describe('renderDeploymentMessage', () => {
  it('asks the approvers to look at a plan: environment, stack, author, approvals needed, changes and the link', () => {
    const message = renderDeploymentMessage('deployment_approval_needed', plan);
    expect(message.text).toBe(
      '⏳ Deployment awaiting approval: *Priya Raman* planned a deployment of `serverless-prod` to *PROD*: it needs 1 approval(s) from someone other than its author. ' +
        PLAN_LINK,
    );
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*⏳ Deployment awaiting approval* — *Priya Raman* planned a deployment of `serverless-prod` to *PROD*: it needs 1 approval(s) from someone other than its author.',
        },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Environment*\nPROD' },
          { type: 'mrkdwn', text: '*Stack*\n`serverless-prod`' },
          { type: 'mrkdwn', text: '*Author*\nPriya Raman' },
          { type: 'mrkdwn', text: '*Approvals*\n0/1' },
          { type: 'mrkdwn', text: '*Changes*\n0 to add, 4 to modify (3 replaced), 0 to remove' },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: PLAN_LINK } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Deployment `dep_42` · Gatehouse' }] },
    ]);
  });

  it('tells the author the execution succeeded', () => {
    const message = renderDeploymentMessage('deployment_finished', { ...plan, executedBy: 'Lucas Meyer', result: { kind: 'SUCCEEDED' } });
    expect(message.text).toBe('✅ Deployment succeeded: *Priya Raman*, your deployment of `serverless-prod` to *PROD* succeeded. ' + PLAN_LINK);
    expect(texts(message)).toEqual(expect.arrayContaining(['*Executed by*\nLucas Meyer', '*Result*\nSucceeded']));
    expect(texts(message).some((t) => t.startsWith('*Reason*'))).toBe(false);
  });

  it('tells the author it was rolled back, with the failed resource and CloudFormation’s reason, escaped and clipped', () => {
    const reason = `Resource handler returned message: "<!channel> MemorySize too large" ${'x'.repeat(600)}`;
    const message = renderDeploymentMessage('deployment_finished', {
      ...plan,
      result: { kind: 'ROLLED_BACK', resource: 'ApiFunction', reason, stackStatus: 'UPDATE_ROLLBACK_COMPLETE' },
    });
    expect(message.text).toBe(
      '↩️ Deployment rolled back: *Priya Raman*, your deployment of `serverless-prod` to *PROD* failed and was rolled back: the stack is as it was before. ' +
        PLAN_LINK,
    );
    const why = texts(message).find((t) => t.startsWith('*Reason*'))!;
    expect(why).toMatch(/^\*Reason\*\nApiFunction: Resource handler returned message: "&lt;!channel&gt; MemorySize too large" x+…$/);
    expect(why.length).toBeLessThanOrEqual('*Reason*\n'.length + 500 + 'lt;gt;'.length * 2);
    expect(texts(message)).toEqual(expect.arrayContaining(['*Result*\nRolled back', '*Stack status*\nUPDATE_ROLLBACK_COMPLETE']));
  });

  it('names the release and says the traffic shift was rolled back by the alarm, with the link', () => {
    const message = renderDeploymentMessage('deployment_finished', {
      ...plan,
      releaseId: 'r-0123456789ab',
      executedBy: 'Lucas Meyer',
      result: {
        kind: 'ROLLED_BACK',
        resource: 'ApiAlias',
        reason: 'Traffic shift of serverless-prod-api (CodeDeploy d-ABC) rolled back: alarm serverless-prod-api-errors in ALARM',
        stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
      },
    });
    expect(message.text).toBe(
      '↩️ Deployment rolled back: *Priya Raman*, your deployment of `serverless-prod` to *PROD* (release `r-0123456789ab`) failed and was rolled back: the stack is as it was before. ' +
        PLAN_LINK,
    );
    expect(texts(message)).toEqual(
      expect.arrayContaining([
        '*Release*\n`r-0123456789ab`',
        '*Result*\nRolled back',
        '*Reason*\nApiAlias: Traffic shift of serverless-prod-api (CodeDeploy d-ABC) rolled back: alarm serverless-prod-api-errors in ALARM',
        PLAN_LINK,
      ]),
    );
  });

  it('tells the author it failed, with the stack status reason when no resource is named', () => {
    const message = renderDeploymentMessage('deployment_finished', {
      ...plan,
      result: { kind: 'FAILED', resource: null, reason: 'Role arn:aws:iam::123456789012:role/x is invalid', stackStatus: 'UPDATE_ROLLBACK_FAILED' },
    });
    expect(message.text).toMatch(/^❌ Deployment failed: \*Priya Raman\*, your deployment of `serverless-prod` to \*PROD\* failed\. /);
    expect(texts(message)).toContain('*Reason*\nRole arn:aws:iam::123456789012:role/x is invalid');
  });

  it('escapes the author’s name and builds the link to the plan', () => {
    const message = renderDeploymentMessage('deployment_approval_needed', { ...plan, authorName: '<!here>' });
    for (const text of texts(message)) expect(text).not.toContain('<!here>');
    expect(deploymentUrl('https://tools.example.com/gatehouse//', 'd 1')).toBe('https://tools.example.com/gatehouse/deployments/d%201');
  });
});
