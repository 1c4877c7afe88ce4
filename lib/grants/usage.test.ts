import { describe, expect, it } from 'vitest';
import { grantUsage } from '@/lib/grants/usage';

const now = new Date('2026-12-07T10:00:00Z');
const endsAt = new Date('2026-12-07T10:30:00Z');

describe('grantUsage', () => {
  it('reads a secret: the exact get-secret-value command and the console page in its own region', () => {
    const u = grantUsage({
      kind: 'SECRET_READ',
      grantId: 'g1',
      resourceArn: 'arn:aws:secretsmanager:eu-west-1:444455556666:secret:prod/payments/stripe-key-AbC123',
      region: 'us-east-1',
      endsAt,
      now,
      maxSessionSeconds: 3600,
    });
    expect(u).toEqual({
      kind: 'SECRET_READ',
      name: 'prod/payments/stripe-key',
      accountId: '444455556666',
      region: 'eu-west-1',
      command:
        "aws secretsmanager get-secret-value --secret-id 'arn:aws:secretsmanager:eu-west-1:444455556666:secret:prod/payments/stripe-key-AbC123' --region eu-west-1 --query SecretString --output text",
      consoleUrl: 'https://eu-west-1.console.aws.amazon.com/secretsmanager/secret?name=prod%2Fpayments%2Fstripe-key&region=eu-west-1',
    });
  });

  it('registers a secret: put-secret-value from a file, never the value on the command line', () => {
    const u = grantUsage({
      kind: 'SECRET_REGISTER',
      grantId: 'g1',
      resourceArn: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:dev/core/new-Zz9Zz9',
      region: 'x',
      endsAt,
      now,
      maxSessionSeconds: 3600,
    });
    expect(u?.command).toBe(
      "aws secretsmanager put-secret-value --secret-id 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:dev/core/new-Zz9Zz9' --region ap-northeast-2 --secret-string file://value.txt",
    );
  });

  it('a team role: a profile whose credential_process tags the session with the grant, for the time left (at least 15 min)', () => {
    const u = grantUsage({
      kind: 'ROLE',
      grantId: 'cgrant42',
      resourceArn: 'arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-payments-prod-debug',
      region: 'ap-northeast-2',
      endsAt,
      now,
      maxSessionSeconds: 3600,
    });
    if (u?.kind !== 'ROLE') throw new Error('expected a role usage');
    expect(u.profileName).toBe('gatehouse-payments-prod-debug');
    expect(u.accountId).toBe('111122223333');
    expect(u.consoleUrl).toBeNull();
    expect(u.profile.split('\n')).toEqual([
      '[profile gatehouse-payments-prod-debug]',
      '# role_arn = arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-payments-prod-debug',
      '# source_profile = default',
      expect.stringContaining('--tags Key=gatehouse-grant,Value=cgrant42 --duration-seconds 1800 '),
      'region = ap-northeast-2',
    ]);
    expect(u.command).toBe('aws sts get-caller-identity --profile gatehouse-payments-prod-debug');
    const short = grantUsage({
      kind: 'ROLE',
      grantId: 'g',
      resourceArn: u.roleArn,
      region: 'r',
      endsAt: new Date(now.getTime() + 60_000),
      now,
      maxSessionSeconds: 3600,
    });
    expect(short?.kind === 'ROLE' && short.profile).toContain('--duration-seconds 900 ');
  });

  it('guesses nothing: an ARN Gatehouse does not make, or an unsafe grant id, gives null', () => {
    expect(grantUsage({ kind: 'SECRET_READ', grantId: 'g', resourceArn: 'arn:aws:s3:::bucket', region: 'r', endsAt, now, maxSessionSeconds: 3600 })).toBeNull();
    expect(
      grantUsage({ kind: 'ROLE', grantId: "x'; rm -rf /", resourceArn: 'arn:aws:iam::111122223333:role/r', region: 'r', endsAt, now, maxSessionSeconds: 3600 }),
    ).toBeNull();
  });
});
