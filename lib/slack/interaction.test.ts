import { describe, expect, it } from 'vitest';
import { blockActionsSchema, readSlackIntent, slackActionValue } from '@/lib/slack/interaction';

const click = (action_id: string, value?: string) =>
  blockActionsSchema.parse({
    type: 'block_actions',
    user: { id: 'U0123ABCD', username: 'seoyeon' },
    response_url: 'https://hooks.slack.com/actions/T0/1/abc',
    actions: [{ action_id, value, type: 'button', action_ts: '1733572800.000100' }],
  });

describe('readSlackIntent', () => {
  it('reads a decision button: the request and the kind its value carries', () => {
    expect(readSlackIntent(click('gatehouse_approve', slackActionValue({ requestId: 'req_1', kind: 'APPROVE' })))).toEqual({
      kind: 'decide',
      requestId: 'req_1',
      decision: 'APPROVE',
    });
    expect(readSlackIntent(click('gatehouse_reject', slackActionValue({ requestId: 'req_1', kind: 'REJECT' })))).toMatchObject({ decision: 'REJECT' });
  });

  it('only acknowledges the prod link button and actions it did not send', () => {
    expect(readSlackIntent(click('gatehouse_open'))).toEqual({ kind: 'acknowledge' });
    expect(readSlackIntent(click('someone_elses_button', 'x'))).toEqual({ kind: 'acknowledge' });
  });

  it('refuses a value that does not parse, lacks the request, or disagrees with its button', () => {
    for (const [id, value] of [
      ['gatehouse_approve', undefined],
      ['gatehouse_approve', 'req_1'],
      ['gatehouse_approve', '{"requestId":"","kind":"APPROVE"}'],
      ['gatehouse_approve', '{"requestId":"req_1","kind":"APPROVE","extra":1}'],
      ['gatehouse_approve', slackActionValue({ requestId: 'req_1', kind: 'REJECT' })],
      ['gatehouse_reject', slackActionValue({ requestId: 'req_1', kind: 'APPROVE' })],
    ] as const) {
      expect(readSlackIntent(click(id, value))).toEqual({ kind: 'invalid', message: 'The button carries no request.' });
    }
  });

  it('takes only block_actions from a Slack user id', () => {
    expect(blockActionsSchema.safeParse({ type: 'view_submission', user: { id: 'U0123ABCD' }, actions: [] }).success).toBe(false);
    expect(blockActionsSchema.safeParse({ type: 'block_actions', user: { id: 'minji' }, actions: [{ action_id: 'a' }] }).success).toBe(false);
  });
});
