import { z } from 'zod';
import { ENVIRONMENT_SLUGS, ENVIRONMENTS, environmentOf, type Environment, type EnvironmentSlug } from '@/lib/environments';

/**
 * Which AWS account each environment lives in (docs/decisions/039-one-account-per-environment.md).
 * GATEHOUSE_ACCOUNTS configures it; unset, every environment is the portal's own account, as before.
 */

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1');
const roleArn = z
  .string()
  .regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/gatehouse-prod');
/** STS: 2–1224 characters of [\w+=,.@:/-]. */
const externalId = z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2–1224 characters of letters, digits and +=,.@:/-_');
const alias = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be a short name of lower-case letters, digits and dashes (at most 32)');

const assumeRole = {
  /** The role the portal assumes in the account; omitted: the portal's own credentials act there. */
  roleArn: roleArn.optional(),
  /** Required with roleArn: the role's trust policy asks for it (sts:ExternalId). */
  externalId: externalId.optional(),
};

const environmentAccount = z
  .object({
    accountId,
    alias: alias.optional(),
    /** The environment's regions; the first is where its stack, secrets and alarms' home are. */
    regions: z.array(regionName).min(1, 'must name at least one region').optional(),
    /** The S3 bucket for this account's deployment templates; default GATEHOUSE_DEPLOY_TEMPLATE_BUCKET (shared, with a bucket policy). */
    templateBucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional(),
    ...assumeRole,
  })
  .strict();

const costs = z.discriminatedUnion('source', [
  /** Cost Explorer in the management (payer) account, split by the LINKED_ACCOUNT dimension. */
  z.object({ source: z.literal('management'), accountId, alias: alias.optional(), ...assumeRole }).strict(),
  /** Cost Explorer in each environment's account: an environment's cost is its account's cost. */
  z.object({ source: z.literal('each-account') }).strict(),
]);

const accountsSchema = z
  .object({ dev: environmentAccount, staging: environmentAccount, prod: environmentAccount, costs: costs.optional() })
  .strict()
  .superRefine((c, ctx) => {
    // Zod runs this also when a field failed its own check: compare only well-formed ids, so one
    // mistake is reported once, under its own key.
    const wellFormed = (id: string) => accountId.safeParse(id).success;
    const check = (path: string[], a: { accountId: string; roleArn?: string; externalId?: string }) => {
      const roleAccount = a.roleArn ? /::(\d{12}):/.exec(a.roleArn)?.[1] : undefined;
      if (roleAccount && wellFormed(a.accountId) && roleAccount !== a.accountId)
        ctx.addIssue({ code: 'custom', path: [...path, 'roleArn'], message: `is in account ${roleAccount}, not ${a.accountId}` });
      if (a.roleArn && !a.externalId) ctx.addIssue({ code: 'custom', path: [...path, 'externalId'], message: 'is required with roleArn' });
      if (!a.roleArn && a.externalId) ctx.addIssue({ code: 'custom', path: [...path, 'externalId'], message: 'is only used with roleArn' });
    };
    for (const slug of ENVIRONMENT_SLUGS) check([slug], c[slug]);
    if (c.costs?.source === 'management') check(['costs'], c.costs);
    // One account is one route (accountRoutes): one set of credentials, one home region, one
    // template bucket, one name. Two environments in it must agree on what they both state.
    const byAccount = new Map<string, { slug: EnvironmentSlug; account: z.output<typeof environmentAccount> }>();
    for (const slug of ENVIRONMENT_SLUGS) {
      const a = c[slug];
      if (!wellFormed(a.accountId)) continue;
      const first = byAccount.get(a.accountId);
      if (!first) {
        byAccount.set(a.accountId, { slug, account: a });
        continue;
      }
      const f = first.account;
      const both = `both are account ${a.accountId}`;
      if (f.roleArn !== a.roleArn || f.externalId !== a.externalId)
        ctx.addIssue({ code: 'custom', path: [slug, 'roleArn'], message: `must match ${first.slug}'s role and external id: ${both}` });
      if (f.alias && a.alias && f.alias !== a.alias)
        ctx.addIssue({ code: 'custom', path: [slug, 'alias'], message: `must match ${first.slug}'s (${f.alias}): ${both}` });
      if (f.regions && a.regions && f.regions[0] !== a.regions[0])
        ctx.addIssue({
          code: 'custom',
          path: [slug, 'regions'],
          message: `must start with ${first.slug}'s first region (${f.regions[0]}): ${both}, and an account's stack, secrets and deployments are in one region`,
        });
      if (f.templateBucket && a.templateBucket && f.templateBucket !== a.templateBucket)
        ctx.addIssue({ code: 'custom', path: [slug, 'templateBucket'], message: `must match ${first.slug}'s (${f.templateBucket}): ${both}` });
      // What only the later environment states completes the account's description.
      first.account = { ...f, alias: f.alias ?? a.alias, regions: f.regions ?? a.regions, templateBucket: f.templateBucket ?? a.templateBucket };
    }
    // Cost Explorer in an environment's account is asked through that account's route (costRoute).
    if (c.costs?.source === 'management' && c.costs.roleArn) {
      const env = byAccount.get(c.costs.accountId);
      if (env && (env.account.roleArn !== c.costs.roleArn || env.account.externalId !== c.costs.externalId))
        ctx.addIssue({
          code: 'custom',
          path: ['costs', 'roleArn'],
          message: `must match ${env.slug}'s role and external id: both are account ${c.costs.accountId}`,
        });
    }
  });

export type AccountsConfig = z.output<typeof accountsSchema>;

/** Parses GATEHOUSE_ACCOUNTS' JSON; the message names each bad key (`prod.roleArn: …`). */
export function parseAccountsConfig(json: unknown): { ok: true; config: AccountsConfig } | { ok: false; message: string } {
  const parsed = accountsSchema.safeParse(json);
  if (parsed.success) return { ok: true, config: parsed.data };
  const describe = (i: z.core.$ZodIssue) =>
    i.code === 'unrecognized_keys'
      ? `${i.path.length ? `${i.path.join('.')}: ` : ''}unknown key(s) ${i.keys.join(', ')}`
      : `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`;
  return { ok: false, message: parsed.error.issues.map(describe).join('; ') };
}

/**
 * One account the portal works in: the environments that live there and how it is reached.
 * `key` identifies it in caches and client names: the account id, or `home` for the portal's own
 * account when nothing is configured (its id is then learned from STS).
 */
export interface AccountRoute {
  key: string;
  /** Null only for the unconfigured home account. */
  accountId: string | null;
  alias: string | null;
  /** Where its stack, secrets and deployments are (IAM is global). */
  primaryRegion: string;
  /** Every region whose alarms are shown (the primary region among them when configured). */
  regions: readonly string[];
  /** The role assumed to act there; null: the portal's own credentials. */
  roleArn: string | null;
  externalId: string | null;
  /** Where deployment templates are uploaded in this account; null: the shared GATEHOUSE_DEPLOY_TEMPLATE_BUCKET. */
  templateBucket: string | null;
  environments: readonly Environment[];
}

/** The account Cost Explorer is asked in, and whether costs are split by linked account. */
export interface CostRoute {
  source: 'home' | 'management' | 'each-account';
  /** For `management`: the payer account (its own route); otherwise null. */
  account: AccountRoute | null;
}

export const HOME_ACCOUNT_KEY = 'home';

/** The regions of an account that names none: AWS_REGION, and GATEHOUSE_ALARM_REGIONS for alarms. */
export interface DefaultRegions {
  primaryRegion: string;
  alarmRegions: readonly string[];
}

/**
 * The accounts to work in, each once, in environment order (dev's account first). Without a
 * configuration: one `home` account holding every environment.
 */
export function accountRoutes(config: AccountsConfig | null, defaults: DefaultRegions): AccountRoute[] {
  if (!config) {
    return [
      {
        key: HOME_ACCOUNT_KEY,
        accountId: null,
        alias: null,
        primaryRegion: defaults.primaryRegion,
        regions: defaults.alarmRegions,
        roleArn: null,
        externalId: null,
        templateBucket: null,
        environments: ENVIRONMENTS,
      },
    ];
  }
  const routes = new Map<string, AccountRoute & { environments: Environment[]; regions: string[] }>();
  const primaryStated = new Set<string>();
  for (const slug of ENVIRONMENT_SLUGS) {
    const a = config[slug];
    const regions = a.regions ?? [...defaults.alarmRegions];
    const route = routes.get(a.accountId);
    if (route) {
      route.environments.push(environmentOf(slug));
      for (const r of regions) if (!route.regions.includes(r)) route.regions.push(r);
      // The schema refuses environments of one account that state different values: the first stated wins.
      route.alias ??= a.alias ?? null;
      route.templateBucket ??= a.templateBucket ?? null;
      if (a.regions?.[0] && !primaryStated.has(a.accountId)) route.primaryRegion = a.regions[0];
    } else {
      routes.set(a.accountId, {
        key: a.accountId,
        accountId: a.accountId,
        alias: a.alias ?? null,
        primaryRegion: a.regions?.[0] ?? defaults.primaryRegion,
        regions: [...regions],
        roleArn: a.roleArn ?? null,
        externalId: a.externalId ?? null,
        templateBucket: a.templateBucket ?? null,
        environments: [environmentOf(slug)],
      });
    }
    if (a.regions) primaryStated.add(a.accountId);
  }
  return [...routes.values()];
}

/** The route of one environment's account. */
export function routeFor(routes: readonly AccountRoute[], environment: Environment): AccountRoute {
  const route = routes.find((r) => r.environments.includes(environment));
  if (!route) throw new Error(`no account holds ${environment}`);
  return route;
}

/** Where costs come from: the home account unless configured; `management` unless each-account is chosen. */
export function costRoute(config: AccountsConfig | null, routes: readonly AccountRoute[]): CostRoute {
  if (!config) return { source: 'home', account: null };
  const c = config.costs ?? { source: 'each-account' as const };
  if (c.source === 'each-account') return { source: 'each-account', account: null };
  const known = routes.find((r) => r.accountId === c.accountId);
  return {
    source: 'management',
    account: known ?? {
      key: c.accountId,
      accountId: c.accountId,
      alias: c.alias ?? null,
      // Cost Explorer answers in us-east-1 only.
      primaryRegion: 'us-east-1',
      regions: [],
      roleArn: c.roleArn ?? null,
      externalId: c.externalId ?? null,
      templateBucket: null,
      environments: [],
    },
  };
}

/** An account as pages show it beside a resource. */
export interface AccountRef {
  accountId: string | null;
  alias: string | null;
}
