import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULE_FLOORS } from '@/lib/control-plane/floors';
import { EnvError, parseEnv } from '@/lib/server/env-schema';

const OIDC = {
  GATEHOUSE_AUTH: 'oidc',
  OIDC_ISSUER: 'https://id.example.com/realms/corp',
  OIDC_CLIENT_ID: 'gatehouse',
  OIDC_CLIENT_SECRET: 'client-secret',
  NEXTAUTH_SECRET: 'a'.repeat(32),
};

/** The EnvError thrown for raw, so a test can assert its exact message. */
function envErrorOf(raw: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return e as EnvError;
  }
  throw new Error('parseEnv accepted an invalid environment');
}

function message(...lines: string[]): string {
  return `Invalid configuration:\n${lines.map((l) => `  ${l}`).join('\n')}\nSee .env.example for every variable.`;
}

describe('parseEnv defaults', () => {
  it('runs a local sandbox with the embedded database when nothing is set', () => {
    const env = parseEnv({});
    expect(env).toEqual({
      NODE_ENV: 'development',
      DATABASE_POOL_MAX: 10,
      DATABASE_PREPARED_STATEMENTS: true,
      GATEHOUSE_DATA_DIR: path.resolve('.data'),
      GATEHOUSE_EMBEDDED_THREAD: 'worker',
      GATEHOUSE_AUTO_MIGRATE: true,
      GATEHOUSE_SEED: true,
      GATEHOUSE_AUTH: 'local',
      GATEHOUSE_ALLOW_LOCAL_SIGNIN: false,
      OIDC_NAME: 'Single sign-on',
      OIDC_GROUPS_CLAIM: 'groups',
      OIDC_ROLE_MAP: new Map(),
      OIDC_TEAM_PREFIX: 'team-',
      STEP_UP_MAX_AGE_MINUTES: 15,
      GATEHOUSE_CLOUD: 'sandbox',
      GATEHOUSE_SANDBOX_ACCOUNTS: 'three',
      GATEHOUSE_GRANT_JOB_SECONDS: 15,
      GATEHOUSE_MEMORY_LOG_SECONDS: 0,
      GATEHOUSE_BREAK_GLASS_PER_DAY: 2,
      GATEHOUSE_API_RATE_PER_MINUTE: 600,
      GATEHOUSE_SIGNIN_RATE_PER_MINUTE: 20,
      GATEHOUSE_TRUSTED_PROXIES: 0,
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: 5,
      AWS_REQUEST_TIMEOUT_MS: 10_000,
      GATEHOUSE_SANDBOX_COUNT_CALLS: false,
      GATEHOUSE_PRIVILEGED_PRINCIPALS: ['security', 'devops', 'security-*', 'devops-*'],
      GATEHOUSE_UNUSED_ROLE_DAYS: 90,
      GATEHOUSE_COST_REFRESH_HOURS: 12,
      GATEHOUSE_PUBLIC_URL: 'http://localhost:3000',
      GATEHOUSE_ALARM_REGIONS: ['us-east-1'],
      GATEHOUSE_HEALTH_URLS: {},
      GATEHOUSE_HEALTH_TIMEOUT_MS: 5000,
      GATEHOUSE_SANDBOX_EXTRA_ALARMS: 0,
      GATEHOUSE_RULE_FLOORS: DEFAULT_RULE_FLOORS,
      GATEHOUSE_AUDIT_CHECKPOINTS: 'file',
      GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP: '/gatehouse/audit-checkpoints',
      GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM: 'checkpoints',
      GATEHOUSE_SEED_RELEASE: false,
      SLACK_USER_MAP: new Map(),
      SLACK_API_URL: 'https://slack.com/api',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(path.isAbsolute(env.GATEHOUSE_DATA_DIR)).toBe(true);
  });

  it('resolves a relative data dir against the working directory and keeps an absolute one', () => {
    expect(parseEnv({ GATEHOUSE_DATA_DIR: 'state/db' }).GATEHOUSE_DATA_DIR).toBe(path.join(process.cwd(), 'state', 'db'));
    expect(parseEnv({ GATEHOUSE_DATA_DIR: '/var/lib/gatehouse' }).GATEHOUSE_DATA_DIR).toBe('/var/lib/gatehouse');
  });

  it('seeds by default only with local sign-in; an explicit GATEHOUSE_SEED wins', () => {
    expect(parseEnv(OIDC).GATEHOUSE_SEED).toBe(false);
    expect(parseEnv({ ...OIDC, GATEHOUSE_SEED: 'true' }).GATEHOUSE_SEED).toBe(true);
    expect(parseEnv({ GATEHOUSE_SEED: 'false' }).GATEHOUSE_SEED).toBe(false);
  });

  it('reads every spelling of a boolean and rejects others', () => {
    for (const [raw, value] of [
      ['true', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
    ] as const) {
      expect(parseEnv({ GATEHOUSE_AUTO_MIGRATE: raw }).GATEHOUSE_AUTO_MIGRATE).toBe(value);
    }
    expect(envErrorOf({ GATEHOUSE_AUTO_MIGRATE: 'on' }).message).toBe(message('GATEHOUSE_AUTO_MIGRATE: must be true or false'));
  });

  it('runs the embedded database on a worker thread unless told main, and names the variable on a bad value', () => {
    expect(parseEnv({ GATEHOUSE_EMBEDDED_THREAD: 'main' }).GATEHOUSE_EMBEDDED_THREAD).toBe('main');
    expect(envErrorOf({ GATEHOUSE_EMBEDDED_THREAD: 'threads' }).message).toMatch(/^Invalid configuration:\n {2}GATEHOUSE_EMBEDDED_THREAD: /);
  });

  it('sizes the PostgreSQL pool at 10 unless told, and names the variable on a bad value', () => {
    expect(parseEnv({}).DATABASE_POOL_MAX).toBe(10);
    expect(parseEnv({ DATABASE_POOL_MAX: '20' }).DATABASE_POOL_MAX).toBe(20);
    for (const bad of ['0', '2.5', 'many', '101'])
      expect(envErrorOf({ DATABASE_POOL_MAX: bad }).message, bad).toMatch(/^Invalid configuration:\n {2}DATABASE_POOL_MAX: /);
  });

  it('prepares the list statements unless told not to, and names the variable on a bad value', () => {
    expect(parseEnv({}).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(parseEnv({ DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS).toBe(false);
    expect(envErrorOf({ DATABASE_PREPARED_STATEMENTS: 'off' }).message).toMatch(/^Invalid configuration:\n {2}DATABASE_PREPARED_STATEMENTS: /);
  });

  it('reads the Cost Explorer refresh interval in hours and names it when out of range', () => {
    expect(parseEnv({ GATEHOUSE_COST_REFRESH_HOURS: '6' }).GATEHOUSE_COST_REFRESH_HOURS).toBe(6);
    expect(envErrorOf({ GATEHOUSE_COST_REFRESH_HOURS: '0.5' }).message).toBe(message('GATEHOUSE_COST_REFRESH_HOURS: must be at least 1 hour'));
    expect(envErrorOf({ GATEHOUSE_COST_REFRESH_HOURS: 'daily' }).message).toBe(message('GATEHOUSE_COST_REFRESH_HOURS: must be a number of hours'));
  });

  it('reads the prod step-up limit in minutes, default 15, and names it when invalid', () => {
    expect(parseEnv({}).STEP_UP_MAX_AGE_MINUTES).toBe(15);
    expect(parseEnv({ STEP_UP_MAX_AGE_MINUTES: '5' }).STEP_UP_MAX_AGE_MINUTES).toBe(5);
    expect(envErrorOf({ STEP_UP_MAX_AGE_MINUTES: '0' }).message).toBe(message('STEP_UP_MAX_AGE_MINUTES: must be at least 1 minute'));
    expect(envErrorOf({ STEP_UP_MAX_AGE_MINUTES: '2.5' }).message).toBe(message('STEP_UP_MAX_AGE_MINUTES: must be a whole number of minutes'));
    expect(envErrorOf({ GATEHOUSE_MEMORY_LOG_SECONDS: '-1' }).message).toBe(message('GATEHOUSE_MEMORY_LOG_SECONDS: must be 0 (off) or more'));
    expect(envErrorOf({ GATEHOUSE_MEMORY_LOG_SECONDS: 'often' }).message).toBe(message('GATEHOUSE_MEMORY_LOG_SECONDS: must be a whole number of seconds'));
    expect(envErrorOf({ STEP_UP_MAX_AGE_MINUTES: 'soon' }).message).toBe(message('STEP_UP_MAX_AGE_MINUTES: must be a whole number of minutes'));
    expect(envErrorOf({ STEP_UP_MAX_AGE_MINUTES: '481' }).message).toBe(
      message('STEP_UP_MAX_AGE_MINUTES: must be at most 480 minutes (a session lasts 8 hours)'),
    );
  });

  it('reads the break-glass limit per user and 24 h, default 2, and names it when invalid', () => {
    expect(parseEnv({ GATEHOUSE_BREAK_GLASS_PER_DAY: '1' }).GATEHOUSE_BREAK_GLASS_PER_DAY).toBe(1);
    expect(envErrorOf({ GATEHOUSE_BREAK_GLASS_PER_DAY: '0' }).message).toBe(message('GATEHOUSE_BREAK_GLASS_PER_DAY: must be at least 1'));
    expect(envErrorOf({ GATEHOUSE_BREAK_GLASS_PER_DAY: '1.5' }).message).toBe(message('GATEHOUSE_BREAK_GLASS_PER_DAY: must be a whole number'));
    expect(envErrorOf({ GATEHOUSE_BREAK_GLASS_PER_DAY: 'two' }).message).toBe(message('GATEHOUSE_BREAK_GLASS_PER_DAY: must be a whole number'));
  });

  it('treats empty strings and undefined as unset', () => {
    const env = parseEnv({
      DATABASE_URL: '',
      GATEHOUSE_AUTH: '',
      GATEHOUSE_CLOUD: '',
      AWS_REGION: '',
      AWS_MAX_ATTEMPTS: '',
      GATEHOUSE_DATA_DIR: '',
      NEXTAUTH_SECRET: undefined,
      OIDC_ROLE_MAP: '',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
    expect(env.GATEHOUSE_AUTH).toBe('local');
    expect(env.GATEHOUSE_CLOUD).toBe('sandbox');
    expect(env.AWS_REGION).toBe('us-east-1');
    expect(env.AWS_MAX_ATTEMPTS).toBe(5);
    expect(env.GATEHOUSE_DATA_DIR).toBe(path.resolve('.data'));
    expect(env.OIDC_ROLE_MAP).toEqual(new Map());
  });
});

describe('parseEnv DATABASE_URL', () => {
  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u:p@db:5432/gh' }).DATABASE_URL).toBe('postgres://u:p@db:5432/gh');
    expect(parseEnv({ DATABASE_URL: 'postgresql://db/gh' }).DATABASE_URL).toBe('postgresql://db/gh');
  });

  it('names the variable when it is not a postgres URL', () => {
    const error = envErrorOf({ DATABASE_URL: 'mysql://db/gh' });
    expect(error.name).toBe('EnvError');
    expect(error.message).toBe(message('DATABASE_URL: must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)'));
  });
});

describe('parseEnv OIDC', () => {
  it('accepts a complete OIDC configuration', () => {
    const env = parseEnv(OIDC);
    expect(env.GATEHOUSE_AUTH).toBe('oidc');
    expect(env.OIDC_ISSUER).toBe('https://id.example.com/realms/corp');
    expect(env.OIDC_CLIENT_ID).toBe('gatehouse');
    expect(env.OIDC_CLIENT_SECRET).toBe('client-secret');
    expect(env.NEXTAUTH_SECRET).toBe('a'.repeat(32));
  });

  it('names every missing OIDC variable', () => {
    expect(envErrorOf({ GATEHOUSE_AUTH: 'oidc' }).message).toBe(
      message(
        'OIDC_ISSUER: is required when GATEHOUSE_AUTH=oidc',
        'OIDC_CLIENT_ID: is required when GATEHOUSE_AUTH=oidc',
        'OIDC_CLIENT_SECRET: is required when GATEHOUSE_AUTH=oidc',
        'NEXTAUTH_SECRET: is required when GATEHOUSE_AUTH=oidc',
      ),
    );
  });

  it.each(['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'NEXTAUTH_SECRET'] as const)('requires %s alone', (key) => {
    expect(envErrorOf({ ...OIDC, [key]: '' }).message).toBe(message(`${key}: is required when GATEHOUSE_AUTH=oidc`));
  });

  it('rejects a short NEXTAUTH_SECRET and an issuer that is not a URL', () => {
    expect(envErrorOf({ ...OIDC, NEXTAUTH_SECRET: 'a'.repeat(31), OIDC_ISSUER: 'id.example.com' }).message).toBe(
      message('NEXTAUTH_SECRET: must be at least 32 characters', 'OIDC_ISSUER: must be an absolute http(s) URL'),
    );
  });

  it('reports a bad DATABASE_URL together with missing OIDC variables', () => {
    expect(envErrorOf({ ...OIDC, OIDC_CLIENT_ID: '', DATABASE_URL: 'sqlite:x' }).message).toBe(
      message(
        'DATABASE_URL: must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)',
        'OIDC_CLIENT_ID: is required when GATEHOUSE_AUTH=oidc',
      ),
    );
  });
});

describe('parseEnv local sign-in in production', () => {
  const refused = message(
    'GATEHOUSE_AUTH: local sign-in lets anyone act as any user and is refused in production: set GATEHOUSE_AUTH=oidc, or GATEHOUSE_ALLOW_LOCAL_SIGNIN=true for a demo',
  );

  it('is refused by default', () => {
    expect(envErrorOf({ NODE_ENV: 'production' }).message).toBe(refused);
    expect(envErrorOf({ NODE_ENV: 'production', GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'false' }).message).toBe(refused);
  });

  it('is allowed with GATEHOUSE_ALLOW_LOCAL_SIGNIN=true', () => {
    const env = parseEnv({ NODE_ENV: 'production', GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'true' });
    expect(env.GATEHOUSE_AUTH).toBe('local');
    expect(env.GATEHOUSE_ALLOW_LOCAL_SIGNIN).toBe(true);
  });

  it('does not apply outside production or with OIDC', () => {
    expect(parseEnv({ NODE_ENV: 'test' }).GATEHOUSE_AUTH).toBe('local');
    expect(parseEnv({ ...OIDC, NODE_ENV: 'production' }).GATEHOUSE_AUTH).toBe('oidc');
  });
});

describe('parseEnv notifications', () => {
  it('takes the public URL from GATEHOUSE_PUBLIC_URL, else NEXTAUTH_URL, without a trailing slash', () => {
    expect(parseEnv({ GATEHOUSE_PUBLIC_URL: 'https://gatehouse.example.com/', NEXTAUTH_URL: 'https://auth.example.com' }).GATEHOUSE_PUBLIC_URL).toBe(
      'https://gatehouse.example.com',
    );
    expect(parseEnv({ NEXTAUTH_URL: 'https://gatehouse.example.com' }).GATEHOUSE_PUBLIC_URL).toBe('https://gatehouse.example.com');
    expect(parseEnv({ GATEHOUSE_PUBLIC_URL: '' }).GATEHOUSE_PUBLIC_URL).toBe('http://localhost:3000');
  });

  it('accepts an http(s) Slack webhook and leaves it unset by default', () => {
    expect(parseEnv({}).SLACK_WEBHOOK_URL).toBeUndefined();
    expect(parseEnv({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x' }).SLACK_WEBHOOK_URL).toBe('https://hooks.slack.com/services/T0/B0/x');
    expect(parseEnv({ SLACK_WEBHOOK_URL: 'http://127.0.0.1:9999/hook' }).SLACK_WEBHOOK_URL).toBe('http://127.0.0.1:9999/hook');
  });

  it('rejects URLs that are not http(s), naming the variable but not the value', () => {
    const error = envErrorOf({ SLACK_WEBHOOK_URL: 'ftp://hooks.example.com/T0/secret-token', GATEHOUSE_PUBLIC_URL: 'gatehouse.example.com' });
    expect(error.message).toBe(message('GATEHOUSE_PUBLIC_URL: must be an absolute http(s) URL', 'SLACK_WEBHOOK_URL: must be an absolute http(s) URL'));
    expect(error.message).not.toContain('secret-token');
  });
});

describe('parseEnv Slack interactivity', () => {
  it('reads the signing secret, the bot token, the API URL and the user map (e-mails lower-cased)', () => {
    const env = parseEnv({
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
      SLACK_BOT_TOKEN: 'xoxb-123-456-abcDEF',
      SLACK_API_URL: 'http://127.0.0.1:3193/api',
      SLACK_USER_MAP: '{"U0123ABCD":"Minji.Kim@Example.com","W9ZZ":"lucas@example.com"}',
    });
    expect(env.SLACK_SIGNING_SECRET).toBe('8f742231b10e8888abcd99yyyzzz85a5');
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-123-456-abcDEF');
    expect(env.SLACK_API_URL).toBe('http://127.0.0.1:3193/api');
    expect(env.SLACK_USER_MAP).toEqual(
      new Map([
        ['U0123ABCD', 'minji.kim@example.com'],
        ['W9ZZ', 'lucas@example.com'],
      ]),
    );
    expect(parseEnv({}).SLACK_SIGNING_SECRET).toBeUndefined();
  });

  it('names the variable and what is wrong, never the secret', () => {
    const error = envErrorOf({
      SLACK_SIGNING_SECRET: 'short-secret',
      SLACK_BOT_TOKEN: 'xoxp-user-token-value',
      SLACK_USER_MAP: '{"minji":"minji@example.com","U0123ABCD":"not-an-email"}',
    });
    expect(error.message).toBe(
      message(
        'SLACK_SIGNING_SECRET: must be the Slack app signing secret (32 characters, Basic Information page)',
        'SLACK_USER_MAP: "minji" is not a Slack user id such as U0123ABCD; U0123ABCD: must be an e-mail address',
        'SLACK_BOT_TOKEN: must be a Slack bot token (xoxb-…)',
      ),
    );
    expect(error.message).not.toContain('short-secret');
    expect(error.message).not.toContain('xoxp-user-token-value');
    expect(envErrorOf({ SLACK_USER_MAP: 'U0123ABCD=minji@example.com' }).message).toBe(
      message('SLACK_USER_MAP: must be a JSON object such as {"U0123ABCD":"minji.kim@example.com"}'),
    );
  });
});

describe('parseEnv cloud', () => {
  it('requires AWS_REGION when GATEHOUSE_CLOUD=aws', () => {
    expect(envErrorOf({ GATEHOUSE_CLOUD: 'aws' }).message).toBe(message('AWS_REGION: is required when GATEHOUSE_CLOUD=aws'));
    expect(envErrorOf({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: '' }).message).toBe(message('AWS_REGION: is required when GATEHOUSE_CLOUD=aws'));
  });

  it('uses the given region', () => {
    const env = parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: 'eu-central-1' });
    expect(env.GATEHOUSE_CLOUD).toBe('aws');
    expect(env.AWS_REGION).toBe('eu-central-1');
    expect(parseEnv({ AWS_REGION: 'us-gov-west-1' }).AWS_REGION).toBe('us-gov-west-1');
  });

  it.each(['eu-central', 'EU-CENTRAL-1', 'europe', 'eu_central_1', 'eu-central-12'])('rejects AWS_REGION=%s', (region) => {
    expect(envErrorOf({ AWS_REGION: region }).message).toBe(message('AWS_REGION: must be an AWS region such as eu-central-1'));
  });

  it('rejects an unknown cloud', () => {
    expect(envErrorOf({ GATEHOUSE_CLOUD: 'gcp' }).message).toMatch(/^Invalid configuration:\n {2}GATEHOUSE_CLOUD: /);
  });

  it('accepts AWS_MAX_ATTEMPTS from 1 to 10', () => {
    expect(parseEnv({ AWS_MAX_ATTEMPTS: '1' }).AWS_MAX_ATTEMPTS).toBe(1);
    expect(parseEnv({ AWS_MAX_ATTEMPTS: '10' }).AWS_MAX_ATTEMPTS).toBe(10);
  });

  it('rejects AWS_MAX_ATTEMPTS out of bounds or not an integer', () => {
    expect(envErrorOf({ AWS_MAX_ATTEMPTS: '0' }).message).toBe(message('AWS_MAX_ATTEMPTS: Too small: expected number to be >=1'));
    expect(envErrorOf({ AWS_MAX_ATTEMPTS: '11' }).message).toBe(message('AWS_MAX_ATTEMPTS: Too big: expected number to be <=10'));
    for (const bad of ['2.5', 'abc']) expect(envErrorOf({ AWS_MAX_ATTEMPTS: bad }).message).toMatch(/^Invalid configuration:\n {2}AWS_MAX_ATTEMPTS: /);
  });

  it('reads AWS_REQUEST_TIMEOUT_MS between 100 ms and 2 minutes', () => {
    expect(parseEnv({ AWS_REQUEST_TIMEOUT_MS: '2500' }).AWS_REQUEST_TIMEOUT_MS).toBe(2500);
    expect(envErrorOf({ AWS_REQUEST_TIMEOUT_MS: '50' }).message).toBe(message('AWS_REQUEST_TIMEOUT_MS: Too small: expected number to be >=100'));
    expect(envErrorOf({ AWS_REQUEST_TIMEOUT_MS: '120001' }).message).toBe(message('AWS_REQUEST_TIMEOUT_MS: Too big: expected number to be <=120000'));
  });

  it('counts sandbox IAM calls only when asked', () => {
    expect(parseEnv({ GATEHOUSE_SANDBOX_COUNT_CALLS: 'true' }).GATEHOUSE_SANDBOX_COUNT_CALLS).toBe(true);
    expect(envErrorOf({ GATEHOUSE_SANDBOX_COUNT_CALLS: 'sometimes' }).message).toBe(message('GATEHOUSE_SANDBOX_COUNT_CALLS: must be true or false'));
  });

  it('rejects an AWS_ENDPOINT_URL that is not a URL', () => {
    expect(parseEnv({ AWS_ENDPOINT_URL: 'http://localhost:4566' }).AWS_ENDPOINT_URL).toBe('http://localhost:4566');
    expect(envErrorOf({ AWS_ENDPOINT_URL: 'not a url' }).message).toBe(message('AWS_ENDPOINT_URL: must be an absolute http(s) URL'));
  });
});

describe('parseEnv IAM audit settings', () => {
  it('reads the privileged principals as a trimmed comma list with wildcards', () => {
    expect(parseEnv({ GATEHOUSE_PRIVILEGED_PRINCIPALS: ' sec-team , OrganizationAccountAccessRole,platform-* ,' }).GATEHOUSE_PRIVILEGED_PRINCIPALS).toEqual([
      'sec-team',
      'OrganizationAccountAccessRole',
      'platform-*',
    ]);
  });

  it('rejects a name IAM would not accept', () => {
    expect(envErrorOf({ GATEHOUSE_PRIVILEGED_PRINCIPALS: 'security,bad name' }).message).toBe(
      message('GATEHOUSE_PRIVILEGED_PRINCIPALS: "bad name" is not an IAM group or role name (letters, digits, +=,.@_- and * or ? wildcards)'),
    );
  });

  it('bounds the unused-role threshold', () => {
    expect(parseEnv({ GATEHOUSE_UNUSED_ROLE_DAYS: '30' }).GATEHOUSE_UNUSED_ROLE_DAYS).toBe(30);
    expect(envErrorOf({ GATEHOUSE_UNUSED_ROLE_DAYS: '0' }).message).toBe(message('GATEHOUSE_UNUSED_ROLE_DAYS: Too small: expected number to be >=1'));
  });
});

describe('parseEnv OIDC_ROLE_MAP', () => {
  it('parses group=ROLE pairs, trimming and upper-casing roles', () => {
    expect(parseEnv({ OIDC_ROLE_MAP: 'a=ADMIN, b=security' }).OIDC_ROLE_MAP).toEqual(
      new Map([
        ['a', 'ADMIN'],
        ['b', 'SECURITY'],
      ]),
    );
  });

  it('skips empty entries and keeps the last role for a repeated group', () => {
    expect(parseEnv({ OIDC_ROLE_MAP: ' ops-team = Ops ,, ops-team=engineer, ' }).OIDC_ROLE_MAP).toEqual(new Map([['ops-team', 'ENGINEER']]));
  });

  it.each(['a=ADMIN, b=boss', 'a', '=ADMIN', 'a='])('rejects %j and names the bad entry', (raw) => {
    const bad = raw === 'a=ADMIN, b=boss' ? 'b=boss' : raw;
    expect(envErrorOf({ OIDC_ROLE_MAP: raw }).message).toBe(
      message(`OIDC_ROLE_MAP: "${bad}" is not group=ROLE with ROLE one of ENGINEER, SECURITY, OPS, ADMIN`),
    );
  });
});

describe('URL and role-map strictness', () => {
  it('refuses non-http URLs', () => {
    expect(() => parseEnv({ AWS_ENDPOINT_URL: 'localhost:4566' })).toThrow(/AWS_ENDPOINT_URL: must be an absolute http\(s\) URL/);
    expect(() => parseEnv({ NEXTAUTH_URL: 'javascript:alert(1)' })).toThrow(/NEXTAUTH_URL/);
  });
  it('refuses a role-map entry with more than one =', () => {
    expect(() => parseEnv({ OIDC_ROLE_MAP: 'a=ADMIN=x' })).toThrow(/OIDC_ROLE_MAP/);
  });
  it('treats a blank value as unset', () => {
    expect(parseEnv({ AWS_MAX_ATTEMPTS: '  ' }).AWS_MAX_ATTEMPTS).toBe(5);
  });
});

describe('parseEnv alarm dashboard', () => {
  it('watches AWS_REGION unless GATEHOUSE_ALARM_REGIONS names regions', () => {
    expect(parseEnv({ AWS_REGION: 'eu-central-1' }).GATEHOUSE_ALARM_REGIONS).toEqual(['eu-central-1']);
    expect(parseEnv({ GATEHOUSE_ALARM_REGIONS: ' eu-central-1, us-east-1,eu-central-1 ' }).GATEHOUSE_ALARM_REGIONS).toEqual(['eu-central-1', 'us-east-1']);
    expect(envErrorOf({ GATEHOUSE_ALARM_REGIONS: 'eu-central-1,mars' }).message).toBe(
      message('GATEHOUSE_ALARM_REGIONS: must be a comma-separated list of AWS regions such as eu-central-1,us-east-1 (not a region: mars)'),
    );
    expect(envErrorOf({ GATEHOUSE_ALARM_REGIONS: ' , ' }).message).toContain('GATEHOUSE_ALARM_REGIONS: must be a comma-separated list');
  });

  it('reads health URLs as a JSON object of environment -> http(s) URL', () => {
    expect(parseEnv({ GATEHOUSE_HEALTH_URLS: '{"prod":"https://api.example.com/health","dev":"http://127.0.0.1:4000/health"}' }).GATEHOUSE_HEALTH_URLS).toEqual(
      {
        prod: 'https://api.example.com/health',
        dev: 'http://127.0.0.1:4000/health',
      },
    );
    expect(envErrorOf({ GATEHOUSE_HEALTH_URLS: 'prod=https://x' }).message).toBe(
      message('GATEHOUSE_HEALTH_URLS: must be a JSON object such as {"prod":"https://api.example.com/health"}'),
    );
    expect(envErrorOf({ GATEHOUSE_HEALTH_URLS: '{"prod":"ftp://x/health"}' }).message).toBe(
      message('GATEHOUSE_HEALTH_URLS: prod: must be an absolute http(s) URL'),
    );
    expect(envErrorOf({ GATEHOUSE_HEALTH_URLS: '["https://x"]' }).message).toContain('GATEHOUSE_HEALTH_URLS: ');
    expect(envErrorOf({ GATEHOUSE_HEALTH_URLS: '{"Prod Env":"https://x/health"}' }).message).toBe(
      message('GATEHOUSE_HEALTH_URLS: "Prod Env" is not an environment name (lower-case letters, digits, . _ -)'),
    );
  });

  it('bounds the health timeout and the sandbox extra alarms', () => {
    expect(parseEnv({ GATEHOUSE_HEALTH_TIMEOUT_MS: '2500', GATEHOUSE_SANDBOX_EXTRA_ALARMS: '455' })).toMatchObject({
      GATEHOUSE_HEALTH_TIMEOUT_MS: 2500,
      GATEHOUSE_SANDBOX_EXTRA_ALARMS: 455,
    });
    expect(envErrorOf({ GATEHOUSE_HEALTH_TIMEOUT_MS: '0' }).message).toContain('GATEHOUSE_HEALTH_TIMEOUT_MS');
    expect(envErrorOf({ GATEHOUSE_SANDBOX_EXTRA_ALARMS: '-1' }).message).toContain('GATEHOUSE_SANDBOX_EXTRA_ALARMS');
  });
});

describe('parseEnv GATEHOUSE_RULE_FLOORS', () => {
  it('defaults to prod >= 2 approvals and <= 8 h, staging and dev >= 1, break-glass <= 60 min', () => {
    expect(parseEnv({}).GATEHOUSE_RULE_FLOORS).toEqual({
      environments: {
        DEV: { minApprovals: 1, maxDurationMinutes: null },
        STAGING: { minApprovals: 1, maxDurationMinutes: null },
        PROD: { minApprovals: 2, maxDurationMinutes: 480 },
      },
      breakGlassMaxMinutes: 60,
    });
  });

  it('overrides the keys it names and keeps the other defaults', () => {
    const floors = parseEnv({
      GATEHOUSE_RULE_FLOORS: '{"prod":{"minApprovals":3},"staging":{"maxDurationMinutes":1440},"breakGlassMaxMinutes":30}',
    }).GATEHOUSE_RULE_FLOORS;
    expect(floors.environments.PROD).toEqual({ minApprovals: 3, maxDurationMinutes: 480 });
    expect(floors.environments.STAGING).toEqual({ minApprovals: 1, maxDurationMinutes: 1440 });
    expect(floors.breakGlassMaxMinutes).toBe(30);
  });

  it('names the variable and the bad key', () => {
    expect(envErrorOf({ GATEHOUSE_RULE_FLOORS: 'prod=2' }).message).toBe(
      message('GATEHOUSE_RULE_FLOORS: must be JSON such as {"prod":{"minApprovals":2,"maxDurationMinutes":480},"breakGlassMaxMinutes":60}'),
    );
    expect(envErrorOf({ GATEHOUSE_RULE_FLOORS: '{"prod":{"minApprovals":0}}' }).message).toBe(
      message('GATEHOUSE_RULE_FLOORS: prod.minApprovals: minApprovals must be at least 1'),
    );
    expect(envErrorOf({ GATEHOUSE_RULE_FLOORS: '{"breakGlassMaxMinutes":120}' }).message).toBe(
      message('GATEHOUSE_RULE_FLOORS: breakGlassMaxMinutes: breakGlassMaxMinutes must be at most 60'),
    );
    expect(envErrorOf({ GATEHOUSE_RULE_FLOORS: '{"qa":{}}' }).message).toMatch(/^Invalid configuration:\n  GATEHOUSE_RULE_FLOORS: unknown key\(s\) qa/);
  });
});

describe('parseEnv audit checkpoints', () => {
  const KEY = 'k'.repeat(32);
  const awsProd = { ...OIDC, NODE_ENV: 'production', GATEHOUSE_CLOUD: 'aws', AWS_REGION: 'eu-central-1' };

  it('keeps them in a file in sandbox mode and in CloudWatch Logs in aws mode, unless told otherwise', () => {
    expect(parseEnv({}).GATEHOUSE_AUDIT_CHECKPOINTS).toBe('file');
    expect(parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: 'eu-central-1' }).GATEHOUSE_AUDIT_CHECKPOINTS).toBe('cloudwatch-logs');
    expect(parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: 'eu-central-1', GATEHOUSE_AUDIT_CHECKPOINTS: 'file' }).GATEHOUSE_AUDIT_CHECKPOINTS).toBe('file');
    expect(envErrorOf({ GATEHOUSE_AUDIT_CHECKPOINTS: 's3' }).message).toBe(message('GATEHOUSE_AUDIT_CHECKPOINTS: must be file or cloudwatch-logs'));
  });

  it('refuses to start in production with aws mode without a signing key from configuration', () => {
    expect(envErrorOf(awsProd).message).toBe(
      message(
        'GATEHOUSE_AUDIT_CHECKPOINT_KEY: is required in production with GATEHOUSE_CLOUD=aws: the key that signs audit checkpoints must come from outside the server and the database',
      ),
    );
    expect(parseEnv({ ...awsProd, GATEHOUSE_AUDIT_CHECKPOINT_KEY: KEY }).GATEHOUSE_AUDIT_CHECKPOINT_KEY).toBe(KEY);
    // Locally (and in tests) a generated key file is enough.
    expect(parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: 'eu-central-1' }).GATEHOUSE_AUDIT_CHECKPOINT_KEY).toBeUndefined();
  });

  it('rejects a short key and bad log names, naming each variable but not the key', () => {
    const error = envErrorOf({
      GATEHOUSE_AUDIT_CHECKPOINT_KEY: 'short-secret',
      GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP: 'bad group',
      GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM: 'a:b',
    });
    expect(error.message).toBe(
      message(
        'GATEHOUSE_AUDIT_CHECKPOINT_KEY: must be at least 32 characters (e.g. openssl rand -base64 48)',
        'GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP: must be a CloudWatch Logs group name (letters, digits, _ - / . #)',
        'GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM: must be a CloudWatch Logs stream name (no : or *)',
      ),
    );
    expect(error.message).not.toContain('short-secret');
  });
});

describe('GATEHOUSE_TRUSTED_PROXIES', () => {
  it('is a small whole number of hops, 0 by default, and names itself when it is not', () => {
    expect(parseEnv({ GATEHOUSE_TRUSTED_PROXIES: '1' }).GATEHOUSE_TRUSTED_PROXIES).toBe(1);
    for (const bad of ['-1', '1.5', 'two', '11']) expect(() => parseEnv({ GATEHOUSE_TRUSTED_PROXIES: bad }), bad).toThrow(/GATEHOUSE_TRUSTED_PROXIES/);
  });
});

describe('GATEHOUSE_ACCOUNTS', () => {
  const accounts = {
    dev: { accountId: '111111111111', alias: 'dev', roleArn: 'arn:aws:iam::111111111111:role/gatehouse-dev', externalId: 'ext-dev-0001' },
    staging: { accountId: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/gatehouse-staging', externalId: 'ext-staging-0001' },
    prod: { accountId: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/gatehouse-prod', externalId: 'ext-prod-0001', regions: ['eu-central-1'] },
  };
  const aws = { GATEHOUSE_CLOUD: 'aws', AWS_REGION: 'eu-central-1' };

  it('is unset by default: one account for every environment', () => {
    expect(parseEnv(aws).GATEHOUSE_ACCOUNTS).toBeUndefined();
  });

  it('reads JSON, with surrounding whitespace', () => {
    expect(parseEnv({ ...aws, GATEHOUSE_ACCOUNTS: `  ${JSON.stringify(accounts)}\n` }).GATEHOUSE_ACCOUNTS).toEqual(accounts);
  });

  it('names the variable and the key of a bad value', () => {
    const bad = { ...accounts, prod: { ...accounts.prod, roleArn: 'arn:aws:iam::222222222222:role/gatehouse-prod' } };
    expect(envErrorOf({ ...aws, GATEHOUSE_ACCOUNTS: JSON.stringify(bad) }).message).toBe(
      message('GATEHOUSE_ACCOUNTS: prod.roleArn: is in account 222222222222, not 333333333333'),
    );
  });

  it('says what JSON it expects when the value is not JSON', () => {
    for (const raw of ['{"dev":', '[1, 2']) {
      expect(envErrorOf({ ...aws, GATEHOUSE_ACCOUNTS: raw }).message, raw).toMatch(
        /^Invalid configuration:\n {2}GATEHOUSE_ACCOUNTS: must be JSON such as \{"dev":/,
      );
    }
    expect(envErrorOf({ ...aws, GATEHOUSE_ACCOUNTS: '[]' }).message).toMatch(/^Invalid configuration:\n {2}GATEHOUSE_ACCOUNTS: .*expected object/);
  });

  describe('as a file path', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-accounts-'));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads the file, relative to the working directory or absolute', () => {
      const file = path.join(dir, 'accounts.json');
      fs.writeFileSync(file, JSON.stringify(accounts, null, 2));
      expect(parseEnv({ ...aws, GATEHOUSE_ACCOUNTS: file }).GATEHOUSE_ACCOUNTS).toEqual(accounts);
      expect(parseEnv({ ...aws, GATEHOUSE_ACCOUNTS: path.relative(process.cwd(), file) }).GATEHOUSE_ACCOUNTS).toEqual(accounts);
    });

    it('names the variable and the key of a bad value in the file', () => {
      const file = path.join(dir, 'bad-key.json');
      fs.writeFileSync(file, JSON.stringify({ ...accounts, staging: { ...accounts.staging, externalId: undefined } }));
      expect(envErrorOf({ ...aws, GATEHOUSE_ACCOUNTS: file }).message).toBe(message('GATEHOUSE_ACCOUNTS: staging.externalId: is required with roleArn'));
    });

    it('says which file is not JSON', () => {
      const file = path.join(dir, 'not-json.json');
      fs.writeFileSync(file, 'dev: 111111111111\n');
      expect(envErrorOf({ ...aws, GATEHOUSE_ACCOUNTS: file }).message).toMatch(
        new RegExp(`^Invalid configuration:\\n {2}GATEHOUSE_ACCOUNTS: the file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} must be JSON such as`),
      );
    });

    it('is a clear error when the path cannot be read', () => {
      const missing = path.join(dir, 'missing.json');
      expect(envErrorOf({ ...aws, GATEHOUSE_ACCOUNTS: missing }).message).toBe(
        message(`GATEHOUSE_ACCOUNTS: is neither JSON nor a readable file (ENOENT: ${missing})`),
      );
      expect(envErrorOf({ ...aws, GATEHOUSE_ACCOUNTS: dir }).message).toBe(message(`GATEHOUSE_ACCOUNTS: is neither JSON nor a readable file (EISDIR: ${dir})`));
    });
  });
});
