import { ENVIRONMENT_ALIASES, type EnvironmentSlug } from '@/lib/environments';
import { parseArn } from '@/lib/iam-audit/model';

/**
 * Suggested narrower statements for findings, computed from what the account says about the
 * principal (its tags or path name its team and environment) and the portal's naming conventions:
 * secrets are `<env>/<team>/<name>` (catalog), other resources `<env>-<team>-…` (catalog roles).
 * What cannot be known is written as a `<placeholder>` the page marks "fill in" — never guessed.
 */

/** The team and environment a principal belongs to, and where that was read. */
export interface PrincipalScope {
  team: string | null;
  env: EnvironmentSlug | null;
  source: 'tags' | 'path' | null;
}

export interface SuggestedStatement {
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface Suggestion {
  statement: SuggestedStatement;
  scope: PrincipalScope;
  /** The `<placeholders>` left in the statement: someone must fill them in before use. */
  fillIn: string[];
  /**
   * Actions were narrowed to reads: writes the principal really uses must be added (the audit
   * cannot see use; IAM Access Analyzer's policy generation from CloudTrail can).
   */
  readOnly: boolean;
}

const TEAM_TAGS = ['gatehouse:team', 'team', 'Team'];
const ENV_TAGS = ['gatehouse:env', 'env', 'Env', 'environment', 'Environment'];
// Path segments that organise principals but name no team.
const NOT_TEAMS = new Set(['gatehouse', 'team', 'teams', 'users', 'roles', 'groups', 'service-role', 'aws-service-role', 'aws-reserved']);
const SLUG = /^[a-z][a-z0-9-]{0,62}$/;

/** The environment a tag value or path segment names, if any. */
function environmentOf(value: string | undefined): EnvironmentSlug | null {
  return value ? (ENVIRONMENT_ALIASES[value.trim().toLowerCase()] ?? null) : null;
}

/**
 * The team and environment of a principal: from its tags (`team` / `gatehouse:team`, `env` /
 * `environment` / `gatehouse:env`), else from its IAM path (`/payments/prod/`, `/teams/payments/`).
 */
export function scopeOf(principal: { path: string; tags?: Record<string, string> }): PrincipalScope {
  const tags = principal.tags ?? {};
  const tagTeam = TEAM_TAGS.map((k) => tags[k]?.trim().toLowerCase()).find((v) => v && SLUG.test(v)) ?? null;
  const tagEnv = ENV_TAGS.map((k) => environmentOf(tags[k])).find(Boolean) ?? null;
  if (tagTeam) return { team: tagTeam, env: tagEnv, source: 'tags' };
  const segments = principal.path
    .split('/')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const env = segments.map(environmentOf).find(Boolean) ?? tagEnv;
  const team = segments.find((s) => !environmentOf(s) && !NOT_TEAMS.has(s) && SLUG.test(s)) ?? null;
  if (team) return { team, env, source: 'path' };
  return { team: null, env: null, source: null };
}

interface Context {
  partition: string;
  account: string;
  /** `<env>-<team>-` style resource-name prefix. */
  prefix: string;
  /** `<env>/<team>/` style secret-name prefix. */
  secretPrefix: string;
}

function contextFor(principalArn: string, scope: PrincipalScope): Context {
  const arn = parseArn(principalArn);
  const partition = arn?.partition || 'aws';
  const account = arn?.account || '<account-id>';
  // Team known, environment not: every environment of the team (still far narrower than `*`).
  const env = scope.team ? (scope.env ?? '*') : '<env>';
  const team = scope.team ?? '<team>';
  return { partition, account, prefix: `${env}-${team}-`, secretPrefix: `${env}/${team}/` };
}

/** Read actions and team-scoped resources for the services where the portal's conventions say what the resources are called. */
const READ_SCOPES: Record<string, { actions: string[]; resources: (c: Context) => string[] }> = {
  secretsmanager: {
    actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
    resources: (c) => [`arn:${c.partition}:secretsmanager:*:${c.account}:secret:${c.secretPrefix}*`],
  },
  s3: {
    actions: ['s3:GetObject', 's3:ListBucket'],
    resources: (c) => [`arn:${c.partition}:s3:::${c.prefix}*`, `arn:${c.partition}:s3:::${c.prefix}*/*`],
  },
  dynamodb: {
    actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
    resources: (c) => [`arn:${c.partition}:dynamodb:*:${c.account}:table/${c.prefix}*`],
  },
  sqs: {
    actions: ['sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
    resources: (c) => [`arn:${c.partition}:sqs:*:${c.account}:${c.prefix}*`],
  },
  lambda: {
    actions: ['lambda:GetFunction', 'lambda:InvokeFunction'],
    resources: (c) => [`arn:${c.partition}:lambda:*:${c.account}:function:${c.prefix}*`],
  },
  logs: {
    actions: ['logs:FilterLogEvents', 'logs:GetLogEvents'],
    resources: (c) => [
      `arn:${c.partition}:logs:*:${c.account}:log-group:/aws/lambda/${c.prefix}*`,
      `arn:${c.partition}:logs:*:${c.account}:log-group:/aws/lambda/${c.prefix}*:*`,
    ],
  },
};

// IAM ARNs carry no region.
const GLOBAL_SERVICES = new Set(['iam']);

function finish(statement: SuggestedStatement, scope: PrincipalScope, readOnly: boolean): Suggestion {
  const fillIn = [...new Set(JSON.stringify(statement).match(/<[^<>"]+>/g) ?? [])];
  return { statement, scope, fillIn, readOnly };
}

function placeholderResource(c: Context, service: string): string {
  const region = GLOBAL_SERVICES.has(service) ? '' : '*';
  return `arn:${c.partition}:${service}:${region}:${c.account}:<resource-type>/${c.prefix}*`;
}

/** For every action of one service on every resource: its reads on the team's resources, or placeholders. */
export function suggestForService(service: string, principal: { arn: string }, scope: PrincipalScope): Suggestion {
  const c = contextFor(principal.arn, scope);
  const known = READ_SCOPES[service];
  if (known) return finish({ Effect: 'Allow', Action: [...known.actions], Resource: known.resources(c) }, scope, true);
  return finish({ Effect: 'Allow', Action: [`${service}:<Action>`], Resource: [placeholderResource(c, service)] }, scope, false);
}

/** For every action on every resource: nothing says which services are needed, so the statement is a template. */
export function suggestForAdmin(principal: { arn: string }, scope: PrincipalScope): Suggestion {
  const c = contextFor(principal.arn, scope);
  return finish({ Effect: 'Allow', Action: ['<service>:<Action>'], Resource: [placeholderResource(c, '<service>')] }, scope, false);
}

/** For iam:PassRole on every role: the team's roles, passed only to the one service that needs them. */
export function suggestForPassRole(principal: { arn: string }, scope: PrincipalScope): Suggestion {
  const c = contextFor(principal.arn, scope);
  return finish(
    {
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [`arn:${c.partition}:iam::${c.account}:role/${c.prefix}*`],
      Condition: { StringEquals: { 'iam:PassedToService': '<service>.amazonaws.com' } },
    },
    scope,
    false,
  );
}

/** For secret reads on every secret: reads of the team's secrets in its environment. */
export function suggestForSecretRead(principal: { arn: string }, scope: PrincipalScope): Suggestion {
  return suggestForService('secretsmanager', principal, scope);
}
