import { describe, expect, it } from 'vitest';
import { assertKmsKeyArnMatches, assertRolePolicyMatches, assertSecretArnMatches, expectedRoleArn, type ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { AppError } from '@/lib/errors';

const ACCOUNT: ExpectedAccount = { partition: 'aws', accountId: '111122223333', region: 'us-east-1' };

function errorOf(fn: () => void): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('did not throw');
}

describe('assertSecretArnMatches', () => {
  const PROD = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/stripe-api-key-AbC123';

  it('accepts the entry’s own secret with AWS’s 6-character suffix', () => {
    expect(() => assertSecretArnMatches(PROD, 'prod/payments/stripe-api-key', ACCOUNT)).not.toThrow();
  });

  it('refuses a DEV entry carrying the prod secret’s ARN, with the expected shape', () => {
    const e = errorOf(() => assertSecretArnMatches(PROD, 'dev/payments/stripe-api-key', ACCOUNT));
    expect(e.code).toBe('UNPROCESSABLE');
    expect(e.message).toContain('arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/stripe-api-key-XXXXXX');
  });

  it.each([
    ['another account', 'arn:aws:secretsmanager:us-east-1:999999999999:secret:dev/payments/token-AbC123'],
    ['another region', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:dev/payments/token-AbC123'],
    ['no suffix', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/token'],
    ['a longer name', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/token-extra-AbC123'],
    ['a wildcard', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/*'],
    ['a dot that is not a dot', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/aXb-AbC123'],
  ])('refuses %s', (_what, arn) => {
    expect(errorOf(() => assertSecretArnMatches(arn, _what === 'a dot that is not a dot' ? 'dev/payments/a.b' : 'dev/payments/token', ACCOUNT)).code).toBe(
      'UNPROCESSABLE',
    );
  });
});

describe('assertKmsKeyArnMatches', () => {
  it('accepts a key of the account and region, refuses one elsewhere', () => {
    expect(() => assertKmsKeyArnMatches('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab', ACCOUNT)).not.toThrow();
    expect(errorOf(() => assertKmsKeyArnMatches('arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab', ACCOUNT)).message).toContain(
      'arn:aws:kms:us-east-1:111122223333:key/<key id>',
    );
  });
});

describe('assertRolePolicyMatches', () => {
  const policy = (...resources: string[]) => [{ actions: ['lambda:GetFunction'], resources }];

  it.each([
    ['a lambda function', 'arn:aws:lambda:us-east-1:111122223333:function:dev-payments-api'],
    ['lambda functions by prefix, any region', 'arn:aws:lambda:*:111122223333:function:dev-payments-*'],
    ['a Lambda log group', 'arn:aws:logs:*:111122223333:log-group:/aws/lambda/dev-payments-*'],
    ['a log group named /<env>/<team>/…', 'arn:aws:logs:us-east-1:111122223333:log-group:/dev/payments/batch:*'],
    ['an SQS queue', 'arn:aws:sqs:us-east-1:111122223333:dev-payments-dlq'],
    ['a DynamoDB table and its indexes', 'arn:aws:dynamodb:us-east-1:111122223333:table/dev-payments-orders/index/*'],
    ['an S3 bucket’s objects', 'arn:aws:s3:::dev-payments-exports/*'],
    ['an S3 bucket named exactly <env>-<team>', 'arn:aws:s3:::dev-payments'],
    ['secrets by name', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/*'],
    ['CloudWatch alarms', 'arn:aws:cloudwatch:*:111122223333:alarm:dev-payments-*'],
    ['a Redshift cluster', 'arn:aws:redshift:us-east-1:111122223333:cluster:dev-payments-warehouse'],
    ['an unknown service, with no type prefix', 'arn:aws:sns:us-east-1:111122223333:dev-payments-alerts'],
  ])('accepts %s of the team in the environment', (_what, r) => {
    expect(() => assertRolePolicyMatches(policy(r), 'payments', 'DEV', ACCOUNT)).not.toThrow();
  });

  it.each([
    ['a prod resource', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/*'],
    ['another team’s', 'arn:aws:lambda:us-east-1:111122223333:function:dev-data-etl'],
    ['another account’s', 'arn:aws:lambda:us-east-1:999999999999:function:dev-payments-api'],
    ['another region’s', 'arn:aws:lambda:eu-west-1:111122223333:function:dev-payments-api'],
    ['everything', 'arn:aws:*:*:*:*'],
    ['another partition’s', 'arn:aws-cn:lambda:*:111122223333:function:dev-payments-api'],
    // Security review of issue 13, finding 3: the token must START the name, not appear in it.
    ['an object prefix inside the prod bucket', 'arn:aws:s3:::prod-payments-ledger/dev-payments-*'],
    ['any bucket or key containing the token', 'arn:aws:s3:::*dev-payments-*'],
    ['the old seed’s wildcard shape', 'arn:aws:*:*:*:*dev-payments-*'],
    ['a wildcard before the token after the type prefix', 'arn:aws:lambda:*:111122223333:function:*dev-payments-*'],
    ['a ? before the token', 'arn:aws:sqs:*:111122223333:?dev-payments-dlq'],
    ['a log group with the token deeper in its name', 'arn:aws:logs:*:111122223333:log-group:/prod/dev-payments-x'],
    ['a token that only begins the team’s name', 'arn:aws:lambda:*:111122223333:function:dev-paymentsx-api'],
    ['a * account', 'arn:aws:lambda:us-east-1:*:function:dev-payments-api'],
    ['a * service', 'arn:aws:*:us-east-1:111122223333:function:dev-payments-api'],
    ['a wildcarded service', 'arn:aws:s3*:::dev-payments-exports/*'],
  ])('refuses %s, with the expected shape', (_what, r) => {
    const e = errorOf(() => assertRolePolicyMatches(policy(r), 'payments', 'DEV', ACCOUNT));
    expect(e.code, r).toBe('UNPROCESSABLE');
    expect(e.message, r).toContain(`The resource ${r} is outside payments in dev`);
    expect(e.message, r).toContain('arn:aws:<service>:us-east-1|*|(empty):111122223333|(empty):');
    expect(e.message, r).toContain('dev-payments-… or dev/payments/…');
  });

  it('checks every resource of every statement', () => {
    const policy = [
      { actions: ['lambda:GetFunction'], resources: ['arn:aws:lambda:*:111122223333:function:dev-payments-*'] },
      { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::dev-payments-exports/*', 'arn:aws:s3:::prod-payments-ledger/dev-payments-*'] },
    ];
    expect(errorOf(() => assertRolePolicyMatches(policy, 'payments', 'DEV', ACCOUNT)).message).toContain('prod-payments-ledger/dev-payments-*');
  });

  it('names the ARN the grant engine gives the role', () => {
    expect(expectedRoleArn('payments', 'PROD', 'on-call', ACCOUNT)).toBe('arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-payments-prod-on-call');
  });
});
