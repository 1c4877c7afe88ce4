import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers (toHaveReceivedCommandWith, …) and their types.
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { createAwsAccountIdentity } from '@/lib/server/aws/sts';

const client = new STSClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const sts = mockClient(client);

beforeEach(() => {
  sts.reset();
});

/** The error describeAccount rejects with. */
async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('describeAccount resolved');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('createAwsAccountIdentity', () => {
  it('sends GetCallerIdentity with no input and maps the answer', async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: '123456789012',
      Arn: 'arn:aws:sts::123456789012:assumed-role/gatehouse-portal/i-0abc',
      UserId: 'AROAEXAMPLE:i-0abc',
    });

    const account = await createAwsAccountIdentity(client, 'eu-central-1').describeAccount();

    expect(account).toEqual({
      mode: 'aws',
      accountId: '123456789012',
      principalArn: 'arn:aws:sts::123456789012:assumed-role/gatehouse-portal/i-0abc',
      region: 'eu-central-1',
    });
    expect(sts.calls()).toHaveLength(1);
    const calls = sts.commandCalls(GetCallerIdentityCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0]).toBeInstanceOf(GetCallerIdentityCommand);
    expect(calls[0]!.args[0].input).toEqual({});
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(sts).toHaveReceivedCommandWith(GetCallerIdentityCommand, {});
  });

  it('reports the region it was given, not the client region', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/ci' });
    expect(await createAwsAccountIdentity(client, 'us-west-2').describeAccount()).toEqual({
      mode: 'aws',
      accountId: '210987654321',
      principalArn: 'arn:aws:iam::210987654321:user/ci',
      region: 'us-west-2',
    });
  });

  it('turns a ThrottlingException into RATE_LIMITED', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { requestId: 'req-throttled', httpStatusCode: 400 } }));

    const e = await rejectionOf(createAwsAccountIdentity(client, 'eu-central-1').describeAccount());

    expect(e.code).toBe('RATE_LIMITED');
    expect(e.message).toBe('STS GetCallerIdentity was throttled by AWS; it will be retried');
    expect(e.details).toEqual({ awsError: 'ThrottlingException', requestId: 'req-throttled', operation: 'STS GetCallerIdentity' });
    expect(sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  it('turns expired credentials into FORBIDDEN', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(
        Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken', $metadata: { requestId: 'req-exp' } }),
      );
    const e = await rejectionOf(createAwsAccountIdentity(client, 'eu-central-1').describeAccount());
    expect(e.code).toBe('FORBIDDEN');
    expect(e.details).toEqual({ awsError: 'ExpiredToken', requestId: 'req-exp', operation: 'STS GetCallerIdentity' });
  });

  it.each([{ Arn: 'arn:aws:iam::123456789012:user/ci' }, { Account: '123456789012' }, {}])(
    'is UNAVAILABLE when the answer lacks the account or ARN (%j)',
    async (output) => {
      sts.on(GetCallerIdentityCommand).resolves(output);
      const e = await rejectionOf(createAwsAccountIdentity(client, 'eu-central-1').describeAccount());
      expect(e.code).toBe('UNAVAILABLE');
      expect(e.message).toBe('STS GetCallerIdentity: GetCallerIdentity returned no account');
    },
  );
});
