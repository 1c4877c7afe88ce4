/** An IAM policy document, as AWS takes it. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** Every artifact Gatehouse creates lives under this IAM path and starts with this name. */
export const GRANT_POLICY_PATH = '/gatehouse/';
export const GRANT_POLICY_PREFIX = 'gatehouse-grant-';

/** The one policy a grant owns is named after it. */
export function grantPolicyName(grantId: string): string {
  return `${GRANT_POLICY_PREFIX}${grantId}`;
}

export type GrantTarget =
  | { type: 'SECRET_READ'; secretArn: string; kmsKeyArn?: string | null }
  | { type: 'SECRET_REGISTER'; secretArn: string }
  | { type: 'ROLE'; roleArn: string; grantId: string };

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+$/;
/** Before a new secret exists its ARN is known up to AWS's random six-character suffix. */
const SECRET_ARN_PATTERN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+-\?{6}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9/_+=,.@-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The region of a Secrets Manager ARN (kms:ViaService names the regional endpoint). */
function secretRegion(arn: string, allowPattern = false): string {
  const m = SECRET_ARN.exec(arn) ?? (allowPattern ? SECRET_ARN_PATTERN.exec(arn) : null);
  if (!m) throw new Error(`not a Secrets Manager secret ARN: ${arn}`);
  return m[1]!;
}

/**
 * The least-privilege policy of one grant: exact ARNs only, and an `aws:CurrentTime` condition so
 * that AWS itself stops honouring it at `endsAt` even if the removal is late.
 */
export function generateGrantPolicy(target: GrantTarget, endsAt: Date): PolicyDocument {
  const until = { DateLessThan: { 'aws:CurrentTime': endsAt.toISOString() } };
  switch (target.type) {
    case 'SECRET_READ': {
      const region = secretRegion(target.secretArn);
      const statements: PolicyStatement[] = [
        {
          Sid: 'ReadOneSecret',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: [target.secretArn],
          Condition: until,
        },
      ];
      if (target.kmsKeyArn) {
        if (!KMS_KEY_ARN.test(target.kmsKeyArn)) throw new Error(`not a KMS key ARN: ${target.kmsKeyArn}`);
        statements.push({
          Sid: 'DecryptThroughSecretsManagerOnly',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: [target.kmsKeyArn],
          Condition: { ...until, StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
        });
      }
      return { Version: '2012-10-17', Statement: statements };
    }
    case 'SECRET_REGISTER':
      // The approver sees the pattern; the policy applied names the ARN AWS gave the new secret.
      secretRegion(target.secretArn, true);
      return {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SetTheNewSecretsValue',
            Effect: 'Allow',
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
            Resource: [target.secretArn],
            Condition: until,
          },
        ],
      };
    case 'ROLE':
      if (!ROLE_ARN.test(target.roleArn)) throw new Error(`not an IAM role ARN: ${target.roleArn}`);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(target.grantId)) throw new Error(`not a grant id: ${target.grantId}`);
      // The session must carry the grant's id as a tag (the role's trust policy requires one): that
      // is what lets an early end cut exactly this grant's sessions (revokeSessionsPolicy).
      return {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AssumeOneTeamRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [target.roleArn], Condition: until },
          {
            Sid: 'TagTheSessionWithThisGrant',
            Effect: 'Allow',
            Action: ['sts:TagSession'],
            Resource: [target.roleArn],
            Condition: {
              ...until,
              StringEquals: { [`aws:RequestTag/${GRANT_SESSION_TAG}`]: target.grantId },
              'ForAllValues:StringEquals': { 'aws:TagKeys': [GRANT_SESSION_TAG] },
            },
          },
        ],
      };
  }
}

/** The session tag that names the grant a role session was assumed under. */
export const GRANT_SESSION_TAG = 'gatehouse-grant';

/** Team roles live under their own path, beside the grant policies. */
export const TEAM_ROLE_PATH = '/gatehouse/roles/';
/** The inline policy on a team role that cuts the sessions of ended grants. */
export const REVOKED_SESSIONS_POLICY = 'gatehouse-revoked-sessions';
/** The inline policy on a team role that holds the permissions of its catalog entry. */
export const ROLE_PERMISSIONS_POLICY = 'gatehouse-permissions';
/** One hour, IAM's minimum: a session outlives its grant's end by at most this, and only until the end revokes it. */
export const TEAM_ROLE_MAX_SESSION_SECONDS = 3600;
/** The longest role session AWS issues; a revocation older than this has nothing left to cut. */
const MAX_SESSION_MS = 12 * 60 * 60 * 1000;

/** An ARN's partition and account (the team role and a new secret live in the principal's account). */
export function arnAccount(arn: string): { partition: string; accountId: string } {
  const m = /^arn:(aws[a-z-]*):[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn);
  if (!m) throw new Error(`not an ARN with an account: ${arn}`);
  return { partition: m[1]!, accountId: m[2]! };
}

/** The ARN a new secret will have, up to the random suffix AWS adds (`-??????` matches it exactly). */
export function secretArnPattern(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${name}-??????`;
}

/** The IAM role a catalog role (team x environment x function) is materialised as. */
export interface TeamRoleSpec {
  name: string;
  path: string;
  arn: string;
  description: string;
  trustPolicy: TrustPolicyDocument;
  permissions: PolicyDocument;
  maxSessionSeconds: number;
  tags: Record<string, string>;
}

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Principal: { AWS: string }; Action: string[]; Condition: Record<string, Record<string, string>> }[];
}

/** A catalog role's permissions as data: each entry allows its actions on its resources. */
export interface RolePermission {
  actions: string[];
  resources: string[];
}

/** Role names are at most 64 characters: team, environment and function, shortened if need be. */
export function teamRoleName(team: string, environment: string, fn: string): string {
  return `gatehouse-${team}-${environment.toLowerCase()}-${fn}`.replace(/[^A-Za-z0-9+=,.@_-]/g, '-').slice(0, 64);
}

/**
 * The team role of a catalog entry: trusted by the account's principals only when they tag the
 * session with a grant id (their grant's policy allows exactly their own id), holding the catalog
 * entry's permissions, sessions of at most an hour.
 */
export function teamRoleSpec(input: {
  partition: string;
  accountId: string;
  team: string;
  environment: string;
  function: string;
  description: string;
  permissions: RolePermission[];
}): TeamRoleSpec {
  const name = teamRoleName(input.team, input.environment, input.function);
  const root = `arn:${input.partition}:iam::${input.accountId}:root`;
  const tagged = { Null: { [`aws:RequestTag/${GRANT_SESSION_TAG}`]: 'false' } };
  if (!input.permissions.length) throw new Error('a team role needs at least one permission');
  return {
    name,
    path: TEAM_ROLE_PATH,
    arn: `arn:${input.partition}:iam::${input.accountId}:role${TEAM_ROLE_PATH}${name}`,
    description: `Gatehouse team role ${input.team} / ${input.environment.toLowerCase()} / ${input.function}: ${input.description}`.slice(0, 1000),
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AccountPrincipalsWithAGrant', Effect: 'Allow', Principal: { AWS: root }, Action: ['sts:AssumeRole'], Condition: tagged },
        { Sid: 'GrantTagOnTheSession', Effect: 'Allow', Principal: { AWS: root }, Action: ['sts:TagSession'], Condition: tagged },
      ],
    },
    permissions: {
      Version: '2012-10-17',
      Statement: input.permissions.map((p, i) => ({ Sid: `Catalog${i + 1}`, Effect: 'Allow' as const, Action: [...p.actions], Resource: [...p.resources] })),
    },
    maxSessionSeconds: TEAM_ROLE_MAX_SESSION_SECONDS,
    tags: { 'gatehouse:managed': 'true', team: input.team, env: input.environment.toLowerCase(), function: input.function },
  };
}

/**
 * The team role's inline deny that ends the sessions of an ended grant (as AWS's "revoke active
 * sessions" does, with aws:TokenIssueTime, but only for sessions tagged with that grant: other
 * holders of the role keep theirs). Revocations older than the longest possible session are
 * dropped; null when nothing is left to deny.
 */
export function revokeSessionsPolicy(current: PolicyDocument | null, grantId: string, issuedBefore: Date, now: Date): PolicyDocument | null {
  const sid = `Revoke${grantId.replace(/[^A-Za-z0-9]/g, '')}`;
  const live = (current?.Statement ?? []).filter((s) => {
    if (s.Sid === sid) return false;
    const before = s.Condition?.DateLessThan?.['aws:TokenIssueTime'];
    return typeof before === 'string' && Date.parse(before) + MAX_SESSION_MS > now.getTime();
  });
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: 'Deny',
    Action: ['*'],
    Resource: ['*'],
    Condition: { StringEquals: { [`aws:PrincipalTag/${GRANT_SESSION_TAG}`]: grantId }, DateLessThan: { 'aws:TokenIssueTime': issuedBefore.toISOString() } },
  };
  const statements = issuedBefore.getTime() + MAX_SESSION_MS > now.getTime() ? [...live, statement] : live;
  return statements.length ? { Version: '2012-10-17', Statement: statements } : null;
}

/** The same policy ending at `endsAt`: every `aws:CurrentTime` bound is moved (a shortened grant). */
export function withPolicyEnd(policy: PolicyDocument, endsAt: Date): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.map((s) =>
      s.Condition?.DateLessThan?.['aws:CurrentTime'] !== undefined
        ? { ...s, Condition: { ...s.Condition, DateLessThan: { ...s.Condition.DateLessThan, 'aws:CurrentTime': endsAt.toISOString() } } }
        : s,
    ),
  };
}

/** What a policy allows and what it does not, for the plain-language preview. */
export interface PolicySummary {
  allows: { actions: string[]; resource: string }[];
  until: string;
  viaService: string | null;
  notAllowed: string[];
}

/** Reads a generated policy back into a summary (the preview shows exactly what will be applied). */
export function summarizePolicy(policy: PolicyDocument): PolicySummary {
  const until = policy.Statement[0]?.Condition?.DateLessThan?.['aws:CurrentTime'];
  const via = policy.Statement.map((s) => s.Condition?.StringEquals?.['kms:ViaService']).find(Boolean);
  const actions = new Set(policy.Statement.flatMap((s) => s.Action));
  const notAllowed = [actions.has('secretsmanager:PutSecretValue') ? null : 'change', 'delete', 'other-resources', 'list', 'after-expiry'].filter(
    (x): x is string => x !== null,
  );
  return {
    allows: policy.Statement.map((s) => ({ actions: s.Action, resource: s.Resource.join(', ') })),
    until: typeof until === 'string' ? until : '',
    viaService: typeof via === 'string' ? via : null,
    notAllowed,
  };
}
