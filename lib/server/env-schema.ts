import path from 'node:path';
import { z } from 'zod';
import { approvalsConfigSchema } from '@/lib/deployments/schemas';

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
    AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1').optional(),
    AWS_ENDPOINT_URL: httpUrl.optional(),
    AWS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(5),
    // Deployments (docs/decisions/019-deployments.md); defaults live in lib/server/deployments.ts.
    /** Approvals each environment's plans need, JSON: {"prod":1} (the default), {"prod":2,"staging":1}, … */
    GATEHOUSE_DEPLOY_APPROVALS: approvalsConfigSchema.optional(),
    /** A plan older than this many hours cannot be executed (default 24). */
    GATEHOUSE_DEPLOY_PLAN_TTL_HOURS: z.coerce.number().int().min(1).max(168).optional(),
    /** S3 bucket (same region) for templates over CloudFormation's 51,200-byte inline limit; needed with GATEHOUSE_CLOUD=aws. */
    GATEHOUSE_DEPLOY_TEMPLATE_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
    /** How long a sandbox deployment takes from start to end (default 30; the e2e server uses a few). */
    GATEHOUSE_SANDBOX_DEPLOY_SECONDS: z.coerce.number().int().min(2).max(600).optional(),
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
