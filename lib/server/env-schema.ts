import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' });

const roleNames = ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'] as const;

/** "group=ROLE,group2=ROLE2" -> Map; a mapping line that names an unknown role is an error. */
const roleMap = z.string().transform((raw, ctx) => {
  const map = new Map<string, (typeof roleNames)[number]>();
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
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
  const names = raw.split(',').map((p) => p.trim()).filter(Boolean);
  for (const name of names) {
    if (!/^[\w+=,.@*?-]{1,128}$/.test(name)) {
      ctx.addIssue({ code: 'custom', message: `"${name}" is not an IAM group or role name (letters, digits, +=,.@_- and * or ? wildcards)` });
      return z.NEVER;
    }
  }
  return names;
});

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** postgres://… selects a PostgreSQL server; unset selects the embedded database. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)')
      .optional(),
    /** Where the embedded database, the local auth secret and other local state live. */
    GATEHOUSE_DATA_DIR: z.string().min(1).default('.data'),
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
    OIDC_ISSUER: httpUrl.optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default('Single sign-on'),
    /** Claim that carries the user's groups (a string array). */
    OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    OIDC_ROLE_MAP: roleMap.default(() => new Map()),
    /** Groups that start with this prefix name a team: "team-payments" -> payments. */
    OIDC_TEAM_PREFIX: z.string().default('team-'),
    GATEHOUSE_CLOUD: z.enum(['sandbox', 'aws']).default('sandbox'),
    /** How often the grant lifecycle job runs (apply, expire, remove); the issue asks for ~30 s at most. */
    GATEHOUSE_GRANT_JOB_SECONDS: z.coerce.number().int().min(1).max(60).default(15),
    /** Requests per minute each signed-in user (or address) may make to /api/v1; 429 beyond it. */
    GATEHOUSE_API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** Sign-in attempts per minute per client address; 429 beyond it. */
    GATEHOUSE_SIGNIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1').optional(),
    AWS_ENDPOINT_URL: httpUrl.optional(),
    AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
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
    GATEHOUSE_COST_REFRESH_HOURS: z.coerce.number({ message: 'must be a number of hours' }).min(1, 'must be at least 1 hour').max(168, 'must be at most 168 hours').default(12),
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
    if (e.GATEHOUSE_CLOUD === 'aws' && !e.AWS_REGION) {
      ctx.addIssue({ code: 'custom', path: ['AWS_REGION'], message: 'is required when GATEHOUSE_CLOUD=aws' });
    }
  })
  .transform((e) => ({
    ...e,
    GATEHOUSE_DATA_DIR: path.resolve(e.GATEHOUSE_DATA_DIR),
    GATEHOUSE_SEED: e.GATEHOUSE_SEED ?? e.GATEHOUSE_AUTH === 'local',
    AWS_REGION: e.AWS_REGION ?? 'us-east-1',
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
