import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { healthUrlsSchema } from '@/lib/alarms/schemas';
import { ruleFloorsConfigSchema, DEFAULT_RULE_FLOORS } from '@/lib/control-plane/floors';
import { approvalsConfigSchema } from '@/lib/deployments/schemas';
import { parseAccountsConfig } from '@/lib/cloud/accounts';
import { slackUserIdSchema } from '@/lib/slack/interaction';
import { DEFAULT_STEP_UP_MAX_AGE_MINUTES } from '@/lib/identity/step-up';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' });

const roleNames = ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'] as const;

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1');

/** "eu-central-1, us-east-1" -> ['eu-central-1', 'us-east-1'], each a valid region. */
const regionList = z.string().transform((raw, ctx) => {
  const regions = [
    ...new Set(
      raw
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const bad = regions.filter((r) => !region.safeParse(r).success);
  if (bad.length || regions.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a comma-separated list of AWS regions such as eu-central-1,us-east-1${bad.length ? ` (not a region: ${bad.join(', ')})` : ''}`,
    });
    return z.NEVER;
  }
  return regions;
});

/** A JSON object of environment -> health URL. */
const healthUrls = z.string().transform((raw, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"prod":"https://api.example.com/health"}' });
    return z.NEVER;
  }
  const parsed = healthUrlsSchema.safeParse(json);
  if (!parsed.success) {
    const describe = (i: z.core.$ZodIssue) =>
      i.code === 'invalid_key'
        ? `"${String(i.path[0])}" is not an environment name (lower-case letters, digits, . _ -)`
        : i.path.length
          ? `${i.path.join('.')}: ${i.message}`
          : i.message;
    ctx.addIssue({ code: 'custom', message: parsed.error.issues.map(describe).join('; ') });
    return z.NEVER;
  }
  return parsed.data;
});

/** "group=ROLE,group2=ROLE2" -> Map; a mapping line that names an unknown role is an error. */
const roleMap = z.string().transform((raw, ctx) => {
  const map = new Map<string, (typeof roleNames)[number]>();
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const pieces = part.split('=').map((s) => s.trim());
    const [group, role] = pieces;
    const upper = role?.toUpperCase();
    if (pieces.length !== 2 || !group || !upper || !(roleNames as readonly string[]).includes(upper)) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not group=ROLE with ROLE one of ${roleNames.join(', ')}` });
      return z.NEVER;
    }
    map.set(group, upper as (typeof roleNames)[number]);
  }
  return map;
});

/** "security,devops,security-*" -> names; each an IAM group or role name, `*` / `?` as wildcards. */
const principalNames = z.string().transform((raw, ctx) => {
  const names = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!/^[\w+=,.@*?-]{1,128}$/.test(name)) {
      ctx.addIssue({ code: 'custom', message: `"${name}" is not an IAM group or role name (letters, digits, +=,.@_- and * or ? wildcards)` });
      return z.NEVER;
    }
  }
  return names;
});

/** SLACK_USER_MAP: {"U0123ABCD":"minji.kim@example.com"}, Slack user id -> portal e-mail (docs/decisions/047). */
const slackUserMap = z.string().transform((raw, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"U0123ABCD":"minji.kim@example.com"}' });
    return z.NEVER;
  }
  const parsed = z.record(slackUserIdSchema, z.email('must be an e-mail address')).safeParse(json);
  if (!parsed.success) {
    const describe = (i: z.core.$ZodIssue) =>
      i.code === 'invalid_key'
        ? `"${String(i.path[0])}" is not a Slack user id such as U0123ABCD`
        : i.path.length
          ? `${i.path.join('.')}: ${i.message}`
          : i.message;
    ctx.addIssue({ code: 'custom', message: parsed.error.issues.map(describe).join('; ') });
    return z.NEVER;
  }
  return new Map(Object.entries(parsed.data).map(([id, email]) => [id, email.toLowerCase()]));
});

/** Floors of approval rules (docs/decisions/032), a JSON object; every issue names its key. */
const ruleFloors = z.string().transform((raw, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"prod":{"minApprovals":2,"maxDurationMinutes":480},"breakGlassMaxMinutes":60}' });
    return z.NEVER;
  }
  const parsed = ruleFloorsConfigSchema.safeParse(json);
  if (!parsed.success) {
    const describe = (i: z.core.$ZodIssue) =>
      i.code === 'unrecognized_keys'
        ? `unknown key(s) ${i.keys.join(', ')} (keys are dev, staging, prod, breakGlassMaxMinutes; per environment minApprovals, maxDurationMinutes)`
        : i.path.length
          ? `${i.path.join('.')}: ${i.message}`
          : i.message;
    ctx.addIssue({ code: 'custom', message: parsed.error.issues.map(describe).join('; ') });
    return z.NEVER;
  }
  return parsed.data;
});

/** GATEHOUSE_ACCOUNTS: JSON, or the path of a JSON file (docs/decisions/039); every issue names its key. */
const accountsConfig = z.string().transform((raw, ctx) => {
  let text = raw.trim();
  // JSON is an object (an array is JSON too, and refused by the schema below); anything else is a path.
  const fromFile = !text.startsWith('{') && !text.startsWith('[');
  if (fromFile) {
    try {
      text = fs.readFileSync(path.resolve(text), 'utf8');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `is neither JSON nor a readable file (${(e as NodeJS.ErrnoException).code ?? String(e)}: ${raw})` });
      return z.NEVER;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message:
        (fromFile ? `the file ${raw} ` : '') +
        'must be JSON such as {"dev":{"accountId":"111111111111","roleArn":"arn:aws:iam::111111111111:role/gatehouse-dev","externalId":"…"},"staging":{…},"prod":{…}}',
    });
    return z.NEVER;
  }
  const parsed = parseAccountsConfig(json);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.config;
});

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** postgres://… selects a PostgreSQL server; unset selects the embedded database. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)')
      .optional(),
    /**
     * Connections each server process keeps to PostgreSQL (node-postgres pool). Every replica opens up
     * to this many: keep replicas × this under the server's max_connections.
     * docs/decisions/055-list-statements-prepared.md.
     */
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    /**
     * The list pages' statements run as named prepared statements (planned once per connection).
     * Set false behind a pooler that shares server sessions between clients without tracking them
     * (PgBouncer in transaction mode before 1.21, or without max_prepared_statements): the same
     * statements are then sent unnamed. docs/decisions/055-list-statements-prepared.md.
     */
    DATABASE_PREPARED_STATEMENTS: bool.default(true),
    /** Where the embedded database, the local auth secret and other local state live. */
    GATEHOUSE_DATA_DIR: z.string().min(1).default('.data'),
    /**
     * Where the embedded database's queries run: on a worker thread (the default: they never hold
     * the event loop), or on the server's own thread (`main`, as before; for comparison in the bench).
     * docs/decisions/054-embedded-database.md.
     */
    GATEHOUSE_EMBEDDED_THREAD: z.enum(['worker', 'main']).default('worker'),
    /** Apply pending migrations when the server starts (under an advisory lock). */
    GATEHOUSE_AUTO_MIGRATE: bool.default(true),
    /** Seed demo teams and users at start; defaults to on with local sign-in. */
    GATEHOUSE_SEED: bool.optional(),
    GATEHOUSE_AUTH: z.enum(['local', 'oidc']).default('local'),
    /** Local sign-in lists every seeded user: refused in production unless this is true. */
    GATEHOUSE_ALLOW_LOCAL_SIGNIN: bool.default(false),
    NEXTAUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    NEXTAUTH_URL: httpUrl.optional(),
    /** The portal's public URL, for links in notifications; defaults to NEXTAUTH_URL, else http://localhost:3000. */
    GATEHOUSE_PUBLIC_URL: httpUrl.optional(),
    /** Slack incoming webhook for notifications (a secret: never logged); unset, they are only logged. */
    SLACK_WEBHOOK_URL: httpUrl.optional(),
    // Slack interactive approvals (docs/decisions/047-slack-approvals.md).
    /** The Slack app's signing secret: verifies POST /api/slack/interactions. Unset, that route answers 404. */
    SLACK_SIGNING_SECRET: z.string().trim().min(16, 'must be the Slack app signing secret (32 characters, Basic Information page)').optional(),
    /** Slack user id -> portal e-mail, JSON; checked before matching by verified e-mail. */
    SLACK_USER_MAP: slackUserMap.default(() => new Map()),
    /** A bot token with users:read and users:read.email: matches Slack users to portal users by confirmed e-mail. */
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xoxb-[\w-]+$/, 'must be a Slack bot token (xoxb-…)')
      .optional(),
    /** Slack's Web API base URL (tests point it at a local server that plays Slack). */
    SLACK_API_URL: httpUrl.default('https://slack.com/api'),
    OIDC_ISSUER: httpUrl.optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default('Single sign-on'),
    /** Claim that carries the user's groups (a string array). */
    OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    OIDC_ROLE_MAP: roleMap.default(() => new Map()),
    /** Groups that start with this prefix name a team: "team-payments" -> payments. */
    OIDC_TEAM_PREFIX: z.string().default('team-'),
    /**
     * Minutes a sign-in counts as recent for deciding on prod (docs/decisions/046-step-up.md): an
     * older session must sign in again (SSO: max_age, locally: a confirmation) before deciding.
     */
    STEP_UP_MAX_AGE_MINUTES: z.coerce
      .number({ message: 'must be a whole number of minutes' })
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1 minute')
      .max(480, 'must be at most 480 minutes (a session lasts 8 hours)')
      .default(DEFAULT_STEP_UP_MAX_AGE_MINUTES),
    GATEHOUSE_CLOUD: z.enum(['sandbox', 'aws']).default('sandbox'),
    /** How often the grant lifecycle job runs (apply, expire, remove); the issue asks for ~30 s at most. */
    GATEHOUSE_GRANT_JOB_SECONDS: z.coerce.number().int().min(1).max(60).default(15),
    /**
     * Logs the process's memory (`[memory] {"t":…,"rssMb":…,"heapUsedMb":…}`) every this many seconds;
     * 0 (the default) never. For operators watching a replica's footprint, and the load bench's
     * heap-growth check (bench/load.ts).
     */
    GATEHOUSE_MEMORY_LOG_SECONDS: z.coerce
      .number({ message: 'must be a whole number of seconds' })
      .int('must be a whole number of seconds')
      .min(0, 'must be 0 (off) or more')
      .max(3600, 'must be at most 3600')
      .default(0),
    /** Break-glass requests one user may make in any rolling 24 h (docs/decisions/028-decision-time-eligibility-and-break-glass-limits.md). */
    GATEHOUSE_BREAK_GLASS_PER_DAY: z.coerce
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(24, 'must be at most 24')
      .default(2),
    /** Requests per minute each signed-in user (or address) may make to /api/v1; 429 beyond it. */
    GATEHOUSE_API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** Sign-in attempts per minute per client address; 429 beyond it. */
    GATEHOUSE_SIGNIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    /**
     * Proxies in front of the portal that append to X-Forwarded-For (a load balancer: 1). The client
     * address (sign-in limit, audit) is taken that many hops from the right; 0 = the TCP peer.
     */
    GATEHOUSE_TRUSTED_PROXIES: z.coerce
      .number({ message: 'must be a whole number of proxies' })
      .int('must be a whole number of proxies')
      .min(0)
      .max(10)
      .default(0),
    /**
     * Milliseconds one AWS call may take before it is abandoned and retried (the SDK's own default
     * is a 5-minute idle socket: a hung call would hold a grant's lease and stall the job).
     */
    AWS_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /**
     * Test and benchmark aid: the sandbox IAM records one row per policy create/attach/detach/delete
     * (sandbox_objects, service 'sandbox', kind 'call'), so a run can prove each happened once.
     */
    GATEHOUSE_SANDBOX_COUNT_CALLS: bool.default(false),
    /**
     * The security / DevOps principals of the IAM audit: IAM group names (their members) and role
     * names, comma-separated, `*` wildcards (docs/decisions/016-iam-audit.md). The sandbox seeds
     * groups named security and devops.
     */
    GATEHOUSE_PRIVILEGED_PRINCIPALS: principalNames.default(() => ['security', 'devops', 'security-*', 'devops-*']),
    /** A role the audit reports as unused: last used (or, never used, created) more than this many days ago. */
    GATEHOUSE_UNUSED_ROLE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** Hours a Cost Explorer answer is served before it is fetched again ($0.01 a request; AWS updates it a few times a day). */
    GATEHOUSE_COST_REFRESH_HOURS: z.coerce
      .number({ message: 'must be a number of hours' })
      .min(1, 'must be at least 1 hour')
      .max(168, 'must be at most 168 hours')
      .default(12),
    AWS_REGION: region.optional(),
    /**
     * One AWS account per environment (docs/decisions/039): JSON or a file path, with each
     * environment's account id, alias, regions, and the role to assume there with its external id.
     * Unset: every environment is the portal's own account.
     */
    GATEHOUSE_ACCOUNTS: accountsConfig.optional(),
    /** Sandbox only: simulate one account per environment (three, the default) or a single account. */
    GATEHOUSE_SANDBOX_ACCOUNTS: z.enum(['three', 'single'], { message: 'must be three or single' }).default('three'),
    AWS_ENDPOINT_URL: httpUrl.optional(),
    AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
    // Alarm dashboard (docs/decisions/012-alarm-cache.md, 013-alarm-sandbox-and-health.md).
    /** Regions whose CloudWatch alarms the dashboard shows; default AWS_REGION. */
    GATEHOUSE_ALARM_REGIONS: regionList.optional(),
    /** Environment -> health URL of the serverless stack's API, polled every 30 s (JSON object). */
    GATEHOUSE_HEALTH_URLS: healthUrls.default(() => ({})),
    /** How long a health check may take before it counts as down. */
    GATEHOUSE_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
    /** Sandbox only: synthetic alarms added to the stack's 45 (e.g. 455 for 500 in all). */
    GATEHOUSE_SANDBOX_EXTRA_ALARMS: z.coerce.number().int().min(0).max(5_000).default(0),
    /**
     * Floors no approval rule can cross, whoever approves it (docs/decisions/032): JSON,
     * {"prod":{"minApprovals":2,"maxDurationMinutes":480},"staging":{"minApprovals":1},"dev":{"minApprovals":1},"breakGlassMaxMinutes":60}
     * by default; keys left out keep their default.
     */
    GATEHOUSE_RULE_FLOORS: ruleFloors.default(() => DEFAULT_RULE_FLOORS),
    // Deployments (docs/decisions/019-deployments.md); defaults live in lib/server/deployments.ts.
    /** Approvals each environment's plans need, JSON: {"prod":1} (the default), {"prod":2,"staging":1}, … */
    GATEHOUSE_DEPLOY_APPROVALS: z.optional(approvalsConfigSchema),
    /** A plan older than this many hours cannot be executed (default 24). */
    GATEHOUSE_DEPLOY_PLAN_TTL_HOURS: z.coerce.number().int().min(1).max(168).optional(),
    /** Who `npm run release` says built a release (default: the OS user). */
    GATEHOUSE_RELEASE_BY: z.string().trim().min(1).max(200).optional(),
    /** Sandbox only: record the build in infra/dist as a release at startup (`npm start` sets it), so the demo deploys real bundles. */
    GATEHOUSE_SEED_RELEASE: bool.default(false),
    /** S3 bucket (same region) for templates over CloudFormation's 51,200-byte inline limit; needed with GATEHOUSE_CLOUD=aws. */
    GATEHOUSE_DEPLOY_TEMPLATE_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional(),
    /** How long a sandbox deployment takes from start to end (default 30; the e2e server uses a few). */
    GATEHOUSE_SANDBOX_DEPLOY_SECONDS: z.coerce.number().int().min(2).max(600).optional(),
    /**
     * How many seconds one minute of a CodeDeploy configuration lasts in the sandbox's traffic shift
     * (default 2: prod's 10-minute canary takes about 20 s; the e2e server uses 0.5).
     */
    GATEHOUSE_SANDBOX_SHIFT_SECONDS_PER_MINUTE: z.coerce.number().min(0.05).max(60).optional(),
    // Audit history integrity (docs/decisions/030-audit-history-integrity.md).
    /**
     * The HMAC-SHA256 key that signs the audit chain's checkpoints; it must never be in the database.
     * Unset: a key file made once in GATEHOUSE_DATA_DIR (local use only; required in production with aws).
     */
    GATEHOUSE_AUDIT_CHECKPOINT_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)').optional(),
    /** Where checkpoints are kept: a local append-only file, or a CloudWatch Logs stream. Default: file in sandbox mode, cloudwatch-logs in aws mode. */
    GATEHOUSE_AUDIT_CHECKPOINTS: z.enum(['file', 'cloudwatch-logs'], { message: 'must be file or cloudwatch-logs' }).optional(),
    /** The CloudWatch Logs group of the checkpoints (provisioned with the stack). */
    GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP: z
      .string()
      .regex(/^[\w./#-]{1,512}$/, 'must be a CloudWatch Logs group name (letters, digits, _ - / . #)')
      .default('/gatehouse/audit-checkpoints'),
    /** The stream in that group (one per portal installation). */
    GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM: z
      .string()
      .regex(/^[^:*]{1,512}$/, 'must be a CloudWatch Logs stream name (no : or *)')
      .default('checkpoints'),
  })
  .superRefine((e, ctx) => {
    if (e.GATEHOUSE_AUTH === 'oidc') {
      for (const key of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'NEXTAUTH_SECRET'] as const) {
        if (!e[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when GATEHOUSE_AUTH=oidc' });
      }
    }
    if (e.GATEHOUSE_AUTH === 'local' && e.NODE_ENV === 'production' && !e.GATEHOUSE_ALLOW_LOCAL_SIGNIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEHOUSE_AUTH'],
        message:
          'local sign-in lets anyone act as any user and is refused in production: set GATEHOUSE_AUTH=oidc, or GATEHOUSE_ALLOW_LOCAL_SIGNIN=true for a demo',
      });
    }
    if (e.NODE_ENV === 'production' && e.GATEHOUSE_CLOUD === 'aws' && !e.GATEHOUSE_AUDIT_CHECKPOINT_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['GATEHOUSE_AUDIT_CHECKPOINT_KEY'],
        message: 'is required in production with GATEHOUSE_CLOUD=aws: the key that signs audit checkpoints must come from outside the server and the database',
      });
    }
    if (e.GATEHOUSE_CLOUD === 'aws' && !e.AWS_REGION) {
      ctx.addIssue({ code: 'custom', path: ['AWS_REGION'], message: 'is required when GATEHOUSE_CLOUD=aws' });
    }
  })
  .transform((e) => ({
    ...e,
    GATEHOUSE_DATA_DIR: path.resolve(e.GATEHOUSE_DATA_DIR),
    GATEHOUSE_SEED: e.GATEHOUSE_SEED ?? e.GATEHOUSE_AUTH === 'local',
    AWS_REGION: e.AWS_REGION ?? 'us-east-1',
    GATEHOUSE_ALARM_REGIONS: e.GATEHOUSE_ALARM_REGIONS ?? [e.AWS_REGION ?? 'us-east-1'],
    GATEHOUSE_AUDIT_CHECKPOINTS: e.GATEHOUSE_AUDIT_CHECKPOINTS ?? (e.GATEHOUSE_CLOUD === 'aws' ? 'cloudwatch-logs' : 'file'),
    GATEHOUSE_PUBLIC_URL: (e.GATEHOUSE_PUBLIC_URL ?? e.NEXTAUTH_URL ?? 'http://localhost:3000').replace(/\/+$/, ''),
  }));

export type Env = z.output<typeof schema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Validates a raw environment; the message names every bad variable and why. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  // An empty string means "unset" (docker-compose and .env files write KEY= for that).
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`);
  }
  return result.data;
}
