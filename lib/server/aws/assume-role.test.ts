import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers (toHaveReceivedCommandWith, …) and their types.
import 'aws-sdk-client-mock-vitest/extend';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { createAssumedRoleCredentials, replicaSessionName, stsAssumeRole, type AssumedRoleOptions, type RoleCredentials } from '@/lib/server/aws/assume-role';

const ROLE = 'arn:aws:iam::333333333333:role/gatehouse-prod';
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A fake STS: each AssumeRole answers the next scripted outcome; credentials last `lifetimeMs` from the fake clock. */
function fakeSts(clock: { t: number }, lifetimeMs = HOUR) {
  const calls: Parameters<AssumedRoleOptions['assume']>[0][] = [];
  const outcomes: (Error | 'ok')[] = [];
  let issued = 0;
  const pending: (() => void)[] = [];
  let hold = false;
  const assume: AssumedRoleOptions['assume'] = async (input) => {
    calls.push(input);
    if (hold) await new Promise<void>((r) => pending.push(r));
    const outcome = outcomes.shift() ?? 'ok';
    if (outcome !== 'ok') throw outcome;
    issued++;
    return { accessKeyId: `ASIA${issued}`, secretAccessKey: `secret-${issued}`, sessionToken: `token-${issued}`, expiration: new Date(clock.t + lifetimeMs) };
  };
  return {
    assume,
    calls,
    /** Scripts the next answers (an Error fails that call). */
    next: (...o: (Error | 'ok')[]) => outcomes.push(...o),
    /** Holds every AssumeRole until release(): concurrent callers pile up. */
    holdAnswers: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      for (const r of pending.splice(0)) r();
    },
  };
}

function setup(options: Partial<AssumedRoleOptions> = {}, lifetimeMs = HOUR) {
  const clock = { t: Date.parse('2026-12-07T09:00:00Z') };
  const sts = fakeSts(clock, lifetimeMs);
  const credentials = createAssumedRoleCredentials({
    roleArn: ROLE,
    externalId: 'ext-prod-0001',
    sessionName: 'gatehouse-web-1-42',
    assume: sts.assume,
    now: () => clock.t,
    ...options,
  });
  return { clock, sts, credentials };
}

const accessDenied = () =>
  Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/portal/i-1 is not authorized to perform: sts:AssumeRole'), {
    name: 'AccessDenied',
    $metadata: { requestId: 'req-1', httpStatusCode: 403 },
  });

async function errorOf(promise: Promise<RoleCredentials>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('credentials resolved');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('createAssumedRoleCredentials', () => {
  it('assumes the role with its external id, session name and a one-hour session, then answers from the cache', async () => {
    const { sts, credentials } = setup();
    const first = await credentials();
    expect(sts.calls).toEqual([{ roleArn: ROLE, externalId: 'ext-prod-0001', sessionName: 'gatehouse-web-1-42', durationSeconds: 3_600 }]);
    expect(await credentials()).toBe(first);
    expect(sts.calls).toHaveLength(1);
  });

  it('refreshes five minutes before expiry, not earlier', async () => {
    const { clock, sts, credentials } = setup();
    const first = await credentials();
    clock.t += HOUR - 5 * MINUTE - 1;
    expect(await credentials()).toBe(first);
    expect(sts.calls).toHaveLength(1);
    clock.t += 1;
    const second = await credentials();
    expect(second.accessKeyId).toBe('ASIA2');
    expect(sts.calls).toHaveLength(2);
    expect(second.expiration.getTime()).toBe(clock.t + HOUR);
  });

  it('honours a configured refresh margin and session length', async () => {
    const { clock, sts, credentials } = setup({ refreshBeforeMs: 10 * MINUTE, durationSeconds: 900 });
    await credentials();
    expect(sts.calls[0]?.durationSeconds).toBe(900);
    clock.t += HOUR - 10 * MINUTE;
    await credentials();
    expect(sts.calls).toHaveLength(2);
  });

  it('makes one AssumeRole call for any number of concurrent callers, first and on refresh', async () => {
    const { clock, sts, credentials } = setup();
    sts.holdAnswers();
    const callers = Array.from({ length: 20 }, () => credentials());
    await Promise.resolve();
    sts.release();
    const got = await Promise.all(callers);
    expect(sts.calls).toHaveLength(1);
    expect(new Set(got.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA1']));

    clock.t += HOUR - MINUTE;
    sts.holdAnswers();
    const refreshing = Array.from({ length: 20 }, () => credentials());
    await Promise.resolve();
    sts.release();
    expect(new Set((await Promise.all(refreshing)).map((c) => c.accessKeyId))).toEqual(new Set(['ASIA2']));
    expect(sts.calls).toHaveLength(2);
  });

  it('fails with UNAVAILABLE naming the role ARN, keeping the AWS error for the logs', async () => {
    const { sts, credentials } = setup();
    sts.next(accessDenied());
    const error = await errorOf(credentials());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe(
      `cannot assume ${ROLE}: AWS denied it: the role's trust policy must allow the portal's identity with this external id, and the portal's identity needs sts:AssumeRole on the role (AccessDenied)`,
    );
    expect(error.details).toEqual({ awsError: 'AccessDenied', requestId: 'req-1', operation: 'STS AssumeRole', roleArn: ROLE });
  });

  it('answers concurrent callers of a failing AssumeRole with one call and the same error', async () => {
    const { sts, credentials } = setup();
    sts.next(accessDenied());
    sts.holdAnswers();
    const callers = Array.from({ length: 5 }, () => errorOf(credentials()));
    await Promise.resolve();
    sts.release();
    const errors = await Promise.all(callers);
    expect(sts.calls).toHaveLength(1);
    for (const e of errors) expect(e.message).toContain(ROLE);
  });

  it('remembers a failure only for failureRetryMs, then asks STS again', async () => {
    const { clock, sts, credentials } = setup({ failureRetryMs: 10_000 });
    sts.next(accessDenied());
    const first = await errorOf(credentials());
    clock.t += 9_999;
    // Answered from memory: a broken trust policy does not cost an STS call per request.
    expect(await errorOf(credentials())).toBe(first);
    expect(sts.calls).toHaveLength(1);
    clock.t += 1;
    // A fixed trust policy works within seconds.
    expect((await credentials()).accessKeyId).toBe('ASIA1');
    expect(sts.calls).toHaveLength(2);
  });

  it('keeps using credentials that are still valid when a refresh fails, and refreshes once STS answers again', async () => {
    const { clock, sts, credentials } = setup({ failureRetryMs: 10_000 });
    const first = await credentials();
    clock.t += HOUR - 4 * MINUTE;
    sts.next(new Error('socket hang up'));
    expect(await credentials()).toBe(first);
    expect(sts.calls).toHaveLength(2);
    // Within the failure window: the held ones again, without asking.
    clock.t += 5_000;
    expect(await credentials()).toBe(first);
    expect(sts.calls).toHaveLength(2);
    clock.t += 5_000;
    expect((await credentials()).accessKeyId).toBe('ASIA2');
    expect(sts.calls).toHaveLength(3);
  });

  it('stops handing out credentials in their last 30 seconds when refreshing fails', async () => {
    const { clock, sts, credentials } = setup();
    await credentials();
    clock.t += HOUR - 29_000;
    sts.next(new Error('socket hang up'));
    const error = await errorOf(credentials());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toBe(`cannot assume ${ROLE}: STS AssumeRole: socket hang up`);
  });
});

describe('replicaSessionName', () => {
  const VALID = /^[\w+=,.@-]{2,64}$/;

  it('names the host and process, valid for STS', () => {
    expect(replicaSessionName('web-1', 42)).toBe('gatehouse-web-1-42');
    expect(replicaSessionName()).toMatch(VALID);
    expect(replicaSessionName()).toContain(`-${process.pid}`);
  });

  it('replaces characters STS refuses', () => {
    const name = replicaSessionName('my host/with:odd*chars', 7);
    expect(name).toMatch(VALID);
    expect(name).toBe('gatehouse-my-host-with-odd-chars-7');
  });

  it('is distinct per process and per host, also for long host names that share a prefix', () => {
    expect(replicaSessionName('web-1', 1)).not.toBe(replicaSessionName('web-1', 2));
    expect(replicaSessionName('web-1', 1)).not.toBe(replicaSessionName('web-2', 1));
    const longA = `${'gatehouse-web-deployment-7d9f8b6c5f-'.repeat(2)}abcde.eu-central-1.compute.internal`;
    const longB = `${'gatehouse-web-deployment-7d9f8b6c5f-'.repeat(2)}vwxyz.eu-central-1.compute.internal`;
    const a = replicaSessionName(longA, 4_194_304);
    const b = replicaSessionName(longB, 4_194_304);
    for (const n of [a, b]) expect(n).toMatch(VALID);
    expect(a).not.toBe(b);
    expect(a.endsWith('-4194304')).toBe(true);
  });
});

describe('stsAssumeRole', () => {
  const client = new STSClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });

  it('sends RoleArn, ExternalId, RoleSessionName and DurationSeconds, and maps the credentials', async () => {
    const sts = mockClient(client);
    const expiration = new Date('2026-12-07T10:00:00Z');
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAX', SecretAccessKey: 'sk', SessionToken: 'st', Expiration: expiration } });

    const credentials = await stsAssumeRole(client)({ roleArn: ROLE, externalId: 'ext-prod-0001', sessionName: 'gatehouse-web-1-42', durationSeconds: 3_600 });

    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: ROLE,
      ExternalId: 'ext-prod-0001',
      RoleSessionName: 'gatehouse-web-1-42',
      DurationSeconds: 3_600,
    });
    expect(credentials).toEqual({ accessKeyId: 'ASIAX', secretAccessKey: 'sk', sessionToken: 'st', expiration });
    sts.restore();
  });

  it('refuses an answer without credentials', async () => {
    const sts = mockClient(client);
    sts.on(AssumeRoleCommand).resolves({});
    await expect(stsAssumeRole(client)({ roleArn: ROLE, externalId: 'e1', sessionName: 's1', durationSeconds: 900 })).rejects.toThrow(
      'AssumeRole returned no credentials',
    );
    sts.restore();
  });
});
