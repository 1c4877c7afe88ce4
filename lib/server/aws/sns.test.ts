import { ListSubscriptionsByTopicCommand, NotFoundException, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsSns } from '@/lib/server/aws/sns';

const client = new SNSClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const sns = mockClient(client);
const port = createAwsSns(() => client);
const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:serverless-prod-alarms';
const NOTIFIER = 'arn:aws:lambda:eu-central-1:111122223333:function:serverless-prod-notifier';

beforeEach(() => sns.reset());

describe('listSubscriptions', () => {
  it('pages through the subscriptions of the topic', async () => {
    const inputs: unknown[] = [];
    const pages = [
      { Subscriptions: [{ SubscriptionArn: `${TOPIC}:1`, Protocol: 'lambda', Endpoint: NOTIFIER, TopicArn: TOPIC, Owner: '111122223333' }], NextToken: 'n2' },
      { Subscriptions: [{ SubscriptionArn: `${TOPIC}:2`, Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: TOPIC }] },
    ];
    sns.on(ListSubscriptionsByTopicCommand).callsFake((input: unknown) => {
      inputs.push(structuredClone(input));
      return pages[inputs.length - 1];
    });

    expect(await port.listSubscriptions('eu-central-1', TOPIC)).toEqual([
      { arn: `${TOPIC}:1`, protocol: 'lambda', endpoint: NOTIFIER },
      { arn: `${TOPIC}:2`, protocol: 'email', endpoint: 'oncall@example.com' },
    ]);
    expect(inputs).toEqual([{ TopicArn: TOPIC }, { TopicArn: TOPIC, NextToken: 'n2' }]);
  });

  it('maps a missing topic, a denial and throttling', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand)
      .rejectsOnce(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }))
      .rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AuthorizationErrorException', $metadata: {} }))
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException', $metadata: {} }));
    await expect(port.listSubscriptions('eu-central-1', TOPIC)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'SNS ListSubscriptionsByTopic: Topic does not exist',
    });
    await expect(port.listSubscriptions('eu-central-1', TOPIC)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(port.listSubscriptions('eu-central-1', TOPIC)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
