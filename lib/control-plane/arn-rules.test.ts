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
    expect(errorOf(() => assertSecretArnMatches(arn, _what === 'a dot that is not a dot' ? 'dev/payments/a.b' : 'dev/payments/token', ACCOUNT)).code).toBe('UNPROCESSABLE');
  });
});

describe('assertKmsKeyArnMatches', () => {
  it('accepts a key of the account and region, refuses one elsewhere', () => {
    expect(() => assertKmsKeyArnMatches('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab', ACCOUNT)).not.toThrow();
    expect(errorOf(() => assertKmsKeyArnMatches('arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab', ACCOUNT)).message).toContain('arn:aws:kms:us-east-1:111122223333:key/<key id>');
  });
});

describe('assertRolePolicyMatches', () => {
  const policy = (...resources: string[]) => [{ actions: ['lambda:GetFunction'], resources }];

  it('accepts the seed’s convention and resources of the team in the environment', () => {
    expect(() => assertRolePolicyMatches(policy('arn:aws:*:*:*:*dev-payments-*'), 'payments', 'DEV', ACCOUNT)).not.toThrow();
    expect(() => assertRolePolicyMatches(policy('arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/*', 'arn:aws:s3:::dev-payments-exports/*'), 'payments', 'DEV', ACCOUNT)).not.toThrow();
  });

  it('refuses a DEV role on prod resources, another team’s, another account’s, or everything', () => {
    for (const r of [
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/*',
      'arn:aws:lambda:us-east-1:111122223333:function:dev-data-etl',
      'arn:aws:lambda:us-east-1:999999999999:function:dev-payments-api',
      'arn:aws:lambda:eu-west-1:111122223333:function:dev-payments-api',
      'arn:aws:*:*:*:*',
      'arn:aws-cn:lambda:*:*:function:dev-payments-api',
    ]) {
      const e = errorOf(() => assertRolePolicyMatches(policy(r), 'payments', 'DEV', ACCOUNT));
      expect(e.code, r).toBe('UNPROCESSABLE');
      expect(e.message, r).toContain('dev-payments-… or dev/payments/…');
    }
  });

  it('names the ARN the grant engine gives the role', () => {
    expect(expectedRoleArn('payments', 'PROD', 'on-call', ACCOUNT)).toBe('arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-payments-prod-on-call');
  });
});
