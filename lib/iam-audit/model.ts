/**
 * The account's authorization details, normalised from GetAccountAuthorizationDetails (or the
 * sandbox's documents): users, groups and roles with their inline and attached managed policies,
 * group memberships and role last-used data. Policy documents are kept as AWS has them (any valid
 * IAM shape: strings or arrays, NotAction, conditions), because the audit must read what is really
 * there, not what Gatehouse would have written.
 */

/** One statement as written in a policy: IAM accepts a string or an array for most fields. */
export interface RawStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
  Principal?: unknown;
  NotPrincipal?: unknown;
}

/** A policy document as written: `Statement` may be one object or an array. */
export interface RawPolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: RawStatement | RawStatement[];
}

export type PrincipalType = 'user' | 'group' | 'role';

export interface InlinePolicy {
  name: string;
  document: RawPolicyDocument;
}

export interface AttachedPolicyRef {
  name: string;
  arn: string;
}

interface PrincipalDetail {
  name: string;
  arn: string;
  path: string;
  createdAt: Date | null;
  inlinePolicies: InlinePolicy[];
  attachedPolicies: AttachedPolicyRef[];
}

export interface IamUserDetail extends PrincipalDetail {
  tags: Record<string, string>;
  /** Names of the groups the user is a member of. */
  groups: string[];
}

export type IamGroupDetail = PrincipalDetail;

/**
 * What IAM knows of a role's last use. `tracked: false` when the source gave no last-used data at
 * all (some AWS-compatible endpoints): nothing can then be said about use. `at: null` with
 * `tracked: true` means never used within IAM's tracking window (400 days).
 */
export type RoleLastUsed = { tracked: false } | { tracked: true; at: Date | null };

export interface IamRoleDetail extends PrincipalDetail {
  tags: Record<string, string>;
  lastUsed: RoleLastUsed;
}

export interface ManagedPolicyDetail {
  name: string;
  arn: string;
  path: string;
  /** The default version's document; null when the source did not include it. */
  document: RawPolicyDocument | null;
}

export interface AccountAuthorizationDetails {
  users: IamUserDetail[];
  groups: IamGroupDetail[];
  roles: IamRoleDetail[];
  policies: ManagedPolicyDetail[];
}

/** AWS-managed policies live in the `aws` pseudo-account: `arn:aws:iam::aws:policy/…`. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

/**
 * Decodes a policy document as IAM returns it: URL-encoded JSON (RFC 3986). Some AWS-compatible
 * endpoints return plain JSON, and decoding plain JSON that holds a `%` would corrupt or reject it,
 * so plain JSON is accepted as it is. Throws when the text is neither.
 */
export function decodePolicyDocument(text: string): RawPolicyDocument {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return asDocument(JSON.parse(trimmed));
    } catch {
      // Fall through: `{` may also be the start of an encoded document that kept its braces.
    }
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(trimmed);
  } catch {
    throw new Error('the policy document is neither URL-encoded nor plain JSON');
  }
  try {
    return asDocument(JSON.parse(decoded));
  } catch {
    throw new Error('the policy document is not JSON once URL-decoded');
  }
}

function asDocument(value: unknown): RawPolicyDocument {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a policy document');
  return value as RawPolicyDocument;
}

/** The statements of a document as an array (IAM accepts a single object too). */
export function statementsOf(document: RawPolicyDocument): RawStatement[] {
  const s = document.Statement;
  if (!s) return [];
  return (Array.isArray(s) ? s : [s]).filter((x): x is RawStatement => !!x && typeof x === 'object');
}

/** A field that IAM accepts as a string or an array, as an array. */
export function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** The pieces of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function parseArn(arn: string): { partition: string; service: string; region: string; account: string; resource: string } | null {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (!m) return null;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! };
}
