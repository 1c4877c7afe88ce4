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
  | { type: 'ROLE'; roleArn: string };

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9/_+=,.@-]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** The region of a Secrets Manager ARN (kms:ViaService names the regional endpoint). */
function secretRegion(arn: string): string {
  const m = SECRET_ARN.exec(arn);
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
        { Sid: 'ReadOneSecret', Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: [target.secretArn], Condition: until },
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
      secretRegion(target.secretArn);
      return {
        Version: '2012-10-17',
        Statement: [{ Sid: 'SetTheNewSecretsValue', Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'], Resource: [target.secretArn], Condition: until }],
      };
    case 'ROLE':
      if (!ROLE_ARN.test(target.roleArn)) throw new Error(`not an IAM role ARN: ${target.roleArn}`);
      return {
        Version: '2012-10-17',
        Statement: [{ Sid: 'AssumeOneTeamRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [target.roleArn], Condition: until }],
      };
  }
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
  const notAllowed = [
    actions.has('secretsmanager:PutSecretValue') ? null : 'change',
    'delete',
    'other-resources',
    'list',
    'after-expiry',
  ].filter((x): x is string => x !== null);
  return {
    allows: policy.Statement.map((s) => ({ actions: s.Action, resource: s.Resource.join(', ') })),
    until: typeof until === 'string' ? until : '',
    viaService: typeof via === 'string' ? via : null,
    notAllowed,
  };
}
