import { consoleBase } from '@/lib/cloud/console-url';
import type { GrantKind } from '@/lib/grants/model';
import { GRANT_SESSION_TAG } from '@/lib/grants/policy';

/** What a holder needs to use a live grant: where it is, the exact commands, and a console page. */
export type GrantUsage =
  | {
      kind: 'SECRET_READ' | 'SECRET_REGISTER';
      /** The secret's name (its ARN without AWS's random suffix). */
      name: string;
      accountId: string;
      region: string;
      command: string;
      consoleUrl: string;
    }
  | {
      kind: 'ROLE';
      roleArn: string;
      roleName: string;
      accountId: string;
      region: string;
      profileName: string;
      /** An AWS CLI config block (~/.aws/config) that assumes the role with this grant's session tag. */
      profile: string;
      /** A first command through that profile. */
      command: string;
      /** The console's "switch role" cannot tag the session, which the role's trust policy requires. */
      consoleUrl: null;
    };

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]+)-[A-Za-z0-9]{6}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([A-Za-z0-9+=,.@_-]+)$/;
/** Shortest and longest role session AWS accepts. */
const MIN_SESSION_SECONDS = 900;

/**
 * How to use a live grant, from what the grant stores: the secret's ARN names its account and
 * region; a team role is global, so the environment's region is given (`region`). Null when the ARN
 * is not one Gatehouse makes (nothing is guessed).
 */
export function grantUsage(input: {
  kind: GrantKind;
  grantId: string;
  resourceArn: string;
  region: string;
  endsAt: Date;
  now: Date;
  maxSessionSeconds: number;
  sourceProfile?: string;
}): GrantUsage | null {
  if (input.kind === 'SECRET_READ' || input.kind === 'SECRET_REGISTER') {
    const m = SECRET_ARN.exec(input.resourceArn);
    if (!m) return null;
    const [, region, accountId, name] = m as unknown as [string, string, string, string];
    const command =
      input.kind === 'SECRET_READ'
        ? `aws secretsmanager get-secret-value --secret-id '${input.resourceArn}' --region ${region} --query SecretString --output text`
        : `aws secretsmanager put-secret-value --secret-id '${input.resourceArn}' --region ${region} --secret-string file://value.txt`;
    return {
      kind: input.kind,
      name,
      accountId,
      region,
      command,
      consoleUrl: `${consoleBase(region)}/secretsmanager/secret?name=${encodeURIComponent(name)}&region=${encodeURIComponent(region)}`,
    };
  }
  const m = ROLE_ARN.exec(input.resourceArn);
  if (!m || !/^[A-Za-z0-9_-]{1,64}$/.test(input.grantId)) return null;
  const [, accountId, roleName] = m as unknown as [string, string, string];
  const left = Math.floor((input.endsAt.getTime() - input.now.getTime()) / 1000);
  const seconds = Math.max(MIN_SESSION_SECONDS, Math.min(input.maxSessionSeconds, left));
  const source = input.sourceProfile ?? 'default';
  const profileName = `gatehouse-${roleName.replace(/^gatehouse-/, '')}`;
  // The role trusts only sessions tagged with a grant id, and `role_arn` profiles cannot tag: the
  // profile asks STS itself, through credential_process, which the CLI runs without a shell (so the
  // sh -c wrapper), and answers in the process-credentials format (Version 1).
  const query =
    '{Version:\\`1\\`,AccessKeyId:Credentials.AccessKeyId,SecretAccessKey:Credentials.SecretAccessKey,SessionToken:Credentials.SessionToken,Expiration:Credentials.Expiration}';
  const assume = `aws sts assume-role --profile ${source} --role-arn ${input.resourceArn} --role-session-name gatehouse-${input.grantId} --tags Key=${GRANT_SESSION_TAG},Value=${input.grantId} --duration-seconds ${seconds} --query "${query}" --output json`;
  const profile = [
    `[profile ${profileName}]`,
    `# role_arn = ${input.resourceArn}`,
    `# source_profile = ${source}`,
    `credential_process = sh -c '${assume}'`,
    `region = ${input.region}`,
  ].join('\n');
  return {
    kind: 'ROLE',
    roleArn: input.resourceArn,
    roleName,
    accountId,
    region: input.region,
    profileName,
    profile,
    command: `aws sts get-caller-identity --profile ${profileName}`,
    consoleUrl: null,
  };
}
