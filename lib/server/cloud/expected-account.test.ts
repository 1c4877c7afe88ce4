import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertSecretArnMatches } from '@/lib/control-plane/arn-rules';

// The configuration is read once from the validated environment: set it before the modules load.
let expectedAccountFor: typeof import('@/lib/server/cloud/account').expectedAccountFor;
const sts = mockClient(STSClient);

beforeAll(async () => {
  vi.stubEnv('GATEHOUSE_CLOUD', 'aws');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test-only');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-only');
  vi.stubEnv(
    'GATEHOUSE_ACCOUNTS',
    JSON.stringify({
      dev: { accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/gatehouse-dev', externalId: 'gh-dev' },
      staging: { accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/gatehouse-dev', externalId: 'gh-dev' },
      prod: { accountId: '444455556666', regions: ['eu-central-1'], roleArn: 'arn:aws:iam::444455556666:role/gatehouse-prod', externalId: 'gh-prod' },
    }),
  );
  sts.on(GetCallerIdentityCommand).resolves({ Account: '999988887777', Arn: 'arn:aws:sts::999988887777:assumed-role/gatehouse/gatehouse-test-1' });
  ({ expectedAccountFor } = await import('@/lib/server/cloud/account'));
});

afterAll(() => {
  sts.restore();
  vi.unstubAllEnvs();
});

describe('the catalog’s ARN check across accounts', () => {
  it('expects each environment’s resources in its own account and primary region', async () => {
    expect(await expectedAccountFor('PROD')).toEqual({ partition: 'aws', accountId: '444455556666', region: 'eu-central-1' });
    expect(await expectedAccountFor('DEV')).toEqual({ partition: 'aws', accountId: '111122223333', region: 'us-east-1' });
  });

  it('refuses a prod secret whose ARN is in dev’s account, and accepts it in prod’s', async () => {
    const prod = await expectedAccountFor('PROD');
    expect(() =>
      assertSecretArnMatches(
        'arn:aws:secretsmanager:eu-central-1:111122223333:secret:prod/payments/stripe-api-key-AbCdEf',
        'prod/payments/stripe-api-key',
        prod,
      ),
    ).toThrow(expect.objectContaining({ code: 'UNPROCESSABLE' }));
    expect(() =>
      assertSecretArnMatches(
        'arn:aws:secretsmanager:eu-central-1:444455556666:secret:prod/payments/stripe-api-key-AbCdEf',
        'prod/payments/stripe-api-key',
        prod,
      ),
    ).not.toThrow();
  });
});
