import 'server-only';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { AppError } from '@/lib/errors';
import { toAppError } from '@/lib/server/aws/errors';

/** Temporary credentials of an assumed role, as the SDK's clients take them. */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface AssumedRoleOptions {
  roleArn: string;
  externalId: string;
  /** Shown in CloudTrail as the session: which portal replica acted (see `replicaSessionName`). */
  sessionName: string;
  /** STS AssumeRole (the adapter below, or a fake in tests). */
  assume: (input: { roleArn: string; externalId: string; sessionName: string; durationSeconds: number }) => Promise<RoleCredentials>;
  now?: () => number;
  /** Session length asked for; roles allow one hour unless their MaxSessionDuration says more. */
  durationSeconds?: number;
  /** Fresh credentials are fetched once the held ones have less than this left. */
  refreshBeforeMs?: number;
  /** A failed AssumeRole is answered from memory this long, then asked again. */
  failureRetryMs?: number;
}

const DENIED =
  "AWS denied it: the role's trust policy must allow the portal's identity with this external id, and the portal's identity needs sts:AssumeRole on the role";

const DEFAULTS = { durationSeconds: 3_600, refreshBeforeMs: 5 * 60_000, failureRetryMs: 10_000 };

/**
 * Credentials for one account's role (docs/decisions/039): cached, refreshed before they expire,
 * one AssumeRole for any number of concurrent callers. A failure is remembered only briefly (so a
 * broken trust policy does not cost an STS call per request, and a fixed one works within seconds);
 * while the held credentials are still valid, a failed refresh keeps using them.
 */
export function createAssumedRoleCredentials(options: AssumedRoleOptions): () => Promise<RoleCredentials> {
  const o = { ...DEFAULTS, ...options };
  const now = o.now ?? Date.now;
  let held: RoleCredentials | null = null;
  let inflight: Promise<RoleCredentials> | null = null;
  let failure: { at: number; error: AppError } | null = null;

  const fetch = (): Promise<RoleCredentials> => {
    inflight ??= o
      .assume({ roleArn: o.roleArn, externalId: o.externalId, sessionName: o.sessionName, durationSeconds: o.durationSeconds })
      .then(
        (credentials) => {
          held = credentials;
          failure = null;
          return credentials;
        },
        (e: unknown) => {
          const cause = toAppError(e, 'STS AssumeRole');
          // A refusal is nearly always the trust relationship, not a missing permission of the caller alone.
          const why = cause.code === 'FORBIDDEN' ? `${DENIED} (${String(cause.details?.awsError)})` : cause.message;
          const error = new AppError('UNAVAILABLE', `cannot assume ${o.roleArn}: ${why}`, { ...cause.details, roleArn: o.roleArn });
          failure = { at: now(), error };
          throw error;
        },
      )
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };

  return async () => {
    const t = now();
    if (held && held.expiration.getTime() - t > o.refreshBeforeMs) return held;
    const stillValid = held && held.expiration.getTime() - t > 30_000 ? held : null;
    if (failure && t - failure.at < o.failureRetryMs) {
      if (stillValid) return stillValid;
      throw failure.error;
    }
    try {
      return await fetch();
    } catch (e) {
      if (stillValid) return stillValid;
      throw e;
    }
  };
}

/** STS AssumeRole through the portal's own credentials. */
export function stsAssumeRole(client: STSClient): AssumedRoleOptions['assume'] {
  return async ({ roleArn, externalId, sessionName, durationSeconds }) => {
    const out = await client.send(
      new AssumeRoleCommand({ RoleArn: roleArn, ExternalId: externalId, RoleSessionName: sessionName, DurationSeconds: durationSeconds }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('AssumeRole returned no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration) };
  };
}

/**
 * `gatehouse-<host>-<pid>`: a role session name (2–64 of [\w+=,.@-]) that tells replicas apart in
 * CloudTrail. A host name too long for it keeps its start and gets a short hash of the whole name:
 * pods and instances usually differ at the end, which cutting it off would lose.
 */
export function replicaSessionName(host = hostname(), pid = process.pid): string {
  const name = `gatehouse-${host}`.replace(/[^\w+=,.@-]/g, '-');
  const suffix = `-${pid}`;
  if (name.length + suffix.length <= 64) return `${name}${suffix}`;
  const hashed = `-${createHash('sha256').update(host).digest('hex').slice(0, 8)}${suffix}`;
  return `${name.slice(0, 64 - hashed.length)}${hashed}`;
}
