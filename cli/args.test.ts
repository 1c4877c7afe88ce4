import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForStatus, isSafePortalUrl, parseCommandLine, parseDuration, parseEnvironment, UsageError } from './args.mjs';
import { grantCommands, HELP } from './main.mjs';

describe('parseDuration', () => {
  it.each([
    ['45m', 45],
    ['2h', 120],
    ['1h30m', 90],
    ['1d', 1440],
    ['1d2h', 1560],
    [' 2H ', 120],
    ['90m', 90],
  ])('%s is %i minutes', (text, minutes) => expect(parseDuration(text)).toBe(minutes));

  it.each(['', '2', '30s', 'h', '2 h', '1.5h', '0m', '-1h', 'two hours', '2h1d', undefined])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });
});

describe('parseEnvironment', () => {
  it('takes dev, staging, prod in any case and gives the API spelling', () => {
    expect(parseEnvironment('prod')).toBe('PROD');
    expect(parseEnvironment('Staging')).toBe('STAGING');
    expect(() => parseEnvironment('qa')).toThrow(/--env must be one of dev, staging, prod/);
    expect(() => parseEnvironment(undefined)).toThrow(UsageError);
  });
});

describe('parseCommandLine', () => {
  it('parses each command with its positionals and options', () => {
    expect(parseCommandLine(['request', 'secret', 'payments/stripe-api-key', '--env', 'prod', '--for', '2h', '--reason', 'Refund incident'])).toEqual({
      command: 'request secret',
      args: { name: 'payments/stripe-api-key' },
      options: { env: 'prod', for: '2h', reason: 'Refund incident', json: false, help: false },
    });
    expect(parseCommandLine(['request', 'role', 'payments', '--env=dev', '--function', 'on-call', '--for', '1h', '--reason', 'x', '--json'])).toMatchObject({
      command: 'request role',
      args: { team: 'payments' },
      options: { env: 'dev', function: 'on-call', json: true },
    });
    expect(parseCommandLine(['approve', 'req_1'])).toMatchObject({ command: 'approve', args: { id: 'req_1' } });
    expect(parseCommandLine(['reject', 'req_1', '--comment', 'not now'])).toMatchObject({ command: 'reject', options: { comment: 'not now' } });
    expect(parseCommandLine(['credentials', 'g1', '--source-profile', 'work'])).toMatchObject({ args: { grant: 'g1' }, options: { 'source-profile': 'work' } });
    expect(parseCommandLine(['login', '--url', 'https://gatehouse.example', '--token', 't'])).toMatchObject({
      command: 'login',
      options: { url: 'https://gatehouse.example' },
    });
    expect(parseCommandLine(['status', '--json'])).toMatchObject({ command: 'status', options: { json: true } });
  });

  it('gives help and the version', () => {
    expect(parseCommandLine([]).command).toBe('help');
    expect(parseCommandLine(['--help']).command).toBe('help');
    expect(parseCommandLine(['status', '--help'])).toMatchObject({ command: 'help', args: { topic: 'status' } });
    expect(parseCommandLine(['--version']).command).toBe('version');
  });

  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['request'], /Say what to request/],
    [['request', 'bucket', 'x'], /Say what to request/],
    [['request', 'secret', '--env', 'prod', '--for', '2h', '--reason', 'x'], /missing <name>/],
    [['request', 'secret', 'a', '--for', '2h', '--reason', 'x'], /--env is required/],
    [['request', 'secret', 'a', '--env', 'prod', '--reason', 'x'], /--for is required/],
    [['request', 'role', 'payments', '--env', 'prod', '--for', '2h'], /--reason is required/],
    [['reject', 'req_1'], /--comment is required/],
    [['reject', 'req_1', '--comment', '  '], /--comment is required/],
    [['approve'], /missing <id>/],
    [['approve', 'a', 'b'], /unexpected argument "b"/],
    [['status', '--bogus'], /status: .*--bogus/],
    [['approve', 'a', '--comment'], /approve: .*--comment/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

describe('exit codes', () => {
  it('maps HTTP statuses as the help documents', () => {
    expect([401, 403, 400, 404, 409, 422, 429, 500, 503].map(exitCodeForStatus)).toEqual([
      EXIT.AUTH,
      EXIT.FORBIDDEN,
      EXIT.REFUSED,
      EXIT.REFUSED,
      EXIT.REFUSED,
      EXIT.REFUSED,
      EXIT.UNAVAILABLE,
      EXIT.UNAVAILABLE,
      EXIT.UNAVAILABLE,
    ]);
    for (const [code, line] of Object.entries({ 0: 'done', 1: 'usage', 2: 'authentication', 3: 'forbidden', 4: 'refused', 5: 'unavailable' }))
      expect(HELP).toContain(`  ${code}  ${line}`);
  });
});

describe('isSafePortalUrl', () => {
  it('sends a token over https, or plain http only to this machine', () => {
    expect(isSafePortalUrl('https://gatehouse.example.com')).toBe(true);
    expect(isSafePortalUrl('http://127.0.0.1:3000')).toBe(true);
    expect(isSafePortalUrl('http://localhost:3000')).toBe(true);
    expect(isSafePortalUrl('http://gatehouse.example.com')).toBe(false);
    expect(isSafePortalUrl('ftp://localhost')).toBe(false);
    expect(isSafePortalUrl('gatehouse.example.com')).toBe(false);
  });
});

describe('grantCommands', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  it('reads a secret in its region', () => {
    const arn = 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:dev/payments/stripe-api-key-AbCdEf';
    expect(grantCommands({ id: 'g1', kind: 'SECRET_READ', status: 'ACTIVE', resourceArn: arn, endsAt: '2026-12-07T11:00:00Z', setup: null }, { now })).toEqual({
      commands: [`aws secretsmanager get-secret-value --secret-id '${arn}' --region ap-northeast-2 --query SecretString --output text`],
      profile: null,
    });
  });

  it('assumes a team role with the grant tag, for at most the time left, and as a credential_process profile', () => {
    const arn = 'arn:aws:iam::111122223333:role/gatehouse/payments-prod-on-call';
    const out = grantCommands(
      {
        id: 'g2',
        kind: 'ROLE',
        status: 'ACTIVE',
        resourceArn: arn,
        endsAt: '2026-12-07T10:30:00Z',
        setup: { kind: 'TEAM_ROLE', role: { arn, maxSessionSeconds: 3600 } },
      },
      { now, sourceProfile: 'work' },
    );
    expect(out.commands[0]).toBe(
      `aws sts assume-role --role-arn '${arn}' --role-session-name "$USER" --tags Key=gatehouse-grant,Value=g2 --duration-seconds 1800 --profile work`,
    );
    expect(out.profile).toContain('[profile gatehouse-g2]');
    expect(out.profile).toContain(
      `credential_process = aws sts assume-role --role-arn ${arn} --role-session-name gatehouse-cli --tags Key=gatehouse-grant,Value=g2`,
    );
    expect(out.profile).toContain('--profile work --output json');
  });
});
