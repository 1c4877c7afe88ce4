import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsCloudTrail, LOOKUP_MAX_PAGES } from '@/lib/server/aws/cloudtrail';

const client = new CloudTrailClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const trail = mockClient(client);
const port = createAwsCloudTrail(client);

const USER = 'arn:aws:iam::111122223333:user/minji.kim';
const ROLE = 'arn:aws:iam::111122223333:role/gatehouse/minji-kim';
const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod/payments/stripe-api-key-AbCdEf';
const START = new Date('2026-11-02T09:05:00Z');
const END = new Date('2026-11-02T11:05:00Z');
const query = { principalArn: USER, resourceArn: SECRET, start: START, end: END };

const event = (name: string, at: string, identity: object) => ({
  EventName: name,
  EventTime: new Date(at),
  CloudTrailEvent: JSON.stringify({ eventName: name, userIdentity: identity }),
});

beforeEach(() => trail.reset());

describe('CloudTrail findActivity', () => {
  it("asks LookupEvents for the resource in the grant's window and keeps only the principal's events", async () => {
    trail.on(LookupEventsCommand).resolves({
      Events: [
        event('GetSecretValue', '2026-11-02T10:00:00Z', { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/someone-else' }),
        event('GetSecretValue', '2026-11-02T09:30:00Z', { type: 'IAMUser', arn: USER }),
      ],
    });
    expect(await port.findActivity(query)).toEqual({ at: new Date('2026-11-02T09:30:00Z'), eventName: 'GetSecretValue' });
    expect(trail).toHaveReceivedCommandTimes(LookupEventsCommand, 1);
    expect(trail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: SECRET }],
      StartTime: START,
      EndTime: END,
      MaxResults: 50,
    });
  });

  it("recognises a role's sessions by their issuer, and pages on until the principal's event", async () => {
    const inputs: unknown[] = [];
    const pages = [
      { Events: [event('GetSecretValue', '2026-11-02T10:00:00Z', { type: 'IAMUser', arn: USER })], NextToken: 'p2' },
      {
        Events: [
          event('GetSecretValue', '2026-11-02T09:20:00Z', {
            type: 'AssumedRole',
            arn: 'arn:aws:sts::111122223333:assumed-role/minji-kim/session',
            sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE } },
          }),
        ],
      },
    ];
    trail.on(LookupEventsCommand).callsFake((input: { NextToken?: string }) => {
      inputs.push(input.NextToken ?? null);
      return pages[inputs.length - 1];
    });
    expect(await port.findActivity({ ...query, principalArn: ROLE })).toEqual({ at: new Date('2026-11-02T09:20:00Z'), eventName: 'GetSecretValue' });
    expect(inputs).toEqual([null, 'p2']);
  });

  it('answers null when no event of the principal is in the window', async () => {
    trail.on(LookupEventsCommand).resolves({ Events: [{ EventName: 'GetSecretValue', CloudTrailEvent: 'not json' }] });
    expect(await port.findActivity(query)).toBeNull();
  });

  it('refuses to guess after LOOKUP_MAX_PAGES pages of other principals: too many events', async () => {
    trail
      .on(LookupEventsCommand)
      .resolves({ Events: [event('GetSecretValue', '2026-11-02T10:00:00Z', { arn: 'arn:aws:iam::111122223333:user/x' })], NextToken: 'more' });
    await expect(port.findActivity(query)).rejects.toMatchObject({ code: 'UNAVAILABLE', details: { tooManyEvents: true } });
    expect(trail).toHaveReceivedCommandTimes(LookupEventsCommand, LOOKUP_MAX_PAGES);
  });

  it('maps a denial and throttling to typed errors', async () => {
    trail
      .on(LookupEventsCommand)
      .rejectsOnce(Object.assign(new Error('not authorized to perform: cloudtrail:LookupEvents'), { name: 'AccessDeniedException', $metadata: {} }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));
    await expect(port.findActivity(query)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { awsError: 'AccessDeniedException', operation: 'CloudTrail LookupEvents' },
    });
    await expect(port.findActivity(query)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
