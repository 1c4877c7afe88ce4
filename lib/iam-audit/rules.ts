import { createHash } from 'node:crypto';
import type { AccountRef } from '@/lib/cloud/accounts';
import {
  isAwsManagedPolicyArn,
  listOf,
  parseArn,
  statementsOf,
  type AccountAuthorizationDetails,
  type IamRoleDetail,
  type PrincipalType,
  type RawPolicyDocument,
  type RawStatement,
} from '@/lib/iam-audit/model';
import {
  scopeOf,
  suggestForAdmin,
  suggestForPassRole,
  suggestForSecretRead,
  suggestForService,
  type PrincipalScope,
  type Suggestion,
} from '@/lib/iam-audit/suggest';

/**
 * The audit rules: pure functions from the account's authorization details to findings
 * (docs/decisions/016-iam-audit.md). Only Allow statements that reach every resource of the
 * service in question are findings; a statement naming exact resources (Gatehouse's own
 * `gatehouse-grant-*` policies) never is.
 */

export const FINDING_KINDS = ['INLINE_ADMIN', 'ADMIN_WILDCARD', 'SERVICE_WILDCARD', 'PASSROLE_WILDCARD', 'SECRET_READ_WILDCARD', 'UNUSED_ROLE'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How the audit is tuned (GATEHOUSE_PRIVILEGED_PRINCIPALS, GATEHOUSE_UNUSED_ROLE_DAYS). */
export interface AuditSettings {
  /** IAM group names and role names (`*` matches any characters) of the security / DevOps principals. */
  privilegedPrincipals: string[];
  /** A role unused for longer than this is a finding. */
  unusedRoleDays: number;
}

export type FindingPolicy =
  | { kind: 'inline'; name: string; ownerType: PrincipalType; ownerName: string; ownerArn: string }
  | { kind: 'managed'; name: string; arn: string; awsManaged: boolean };

export interface Finding {
  /** Stable across scans: a hash of the kind, principal, policy, statement position and service. */
  id: string;
  severity: Severity;
  kind: FindingKind;
  principal: { type: PrincipalType; name: string; arn: string };
  /** Null for findings about the principal itself (unused roles). */
  policy: FindingPolicy | null;
  statementIndex: number | null;
  statement: RawStatement | null;
  /** Why it is a finding, in English (exports, audit); the page renders `kind` + `facts` in the reader's language. */
  why: string;
  facts: Record<string, string | number>;
  suggestion: Suggestion | null;
  /** The account the principal is in (set by the scan; absent in scans stored before accounts were recorded). */
  account?: AccountRef;
}

export interface AuditResult {
  principalCount: number;
  policyCount: number;
  findings: Finding[];
}

// Holding every action of these services on everything is as good as admin: they mint
// credentials or permissions (iam, sts) or govern the accounts themselves.
const ESCALATION_SERVICES = new Set(['iam', 'sts', 'organizations']);
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const DAY_MS = 86_400_000;

/** `*` and `?` wildcards, case-insensitive: how IAM matches action names and principal names. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/**
 * True when one resource entry covers every resource of `service` (`*` for any service): `*`, or
 * an ARN of the service (or `*`) whose resource part is `*` or `<type>/*` / `<type>:*` (every
 * secret, role, table…). S3 object keys look like the typed form (`bucket/*` is one bucket's
 * objects), so for S3 only `*` and `*\/*` are everything.
 */
function coversEvery(resource: string, service: string): boolean {
  if (resource === '*') return true;
  const arn = parseArn(resource);
  if (!arn) return false;
  if (service === '*') return arn.service === '*' && arn.resource === '*';
  if (arn.service !== service && arn.service !== '*') return false;
  if (arn.resource === '*' || arn.resource === '*/*') return true;
  return service !== 's3' && /^[a-z-]+[/:]\*$/i.test(arn.resource);
}

/** An Allow with NotResource reaches everything but the named resources: treated as everything. */
function reachesEvery(statement: RawStatement, service: string): boolean {
  if (statement.NotResource !== undefined) return true;
  return listOf(statement.Resource).some((r) => coversEvery(r, service));
}

function hasConditions(statement: RawStatement): boolean {
  return !!statement.Condition && typeof statement.Condition === 'object' && Object.keys(statement.Condition).length > 0;
}

interface Issue {
  kind: Exclude<FindingKind, 'UNUSED_ROLE'>;
  severity: Severity;
  service?: string;
  facts: Record<string, string | number>;
}

/** What is wrong with one statement for a principal (privileged: in the security / DevOps set). */
export function statementIssues(statement: RawStatement, inline: boolean, privileged: boolean): Issue[] {
  if (statement.Effect !== 'Allow') return [];
  if (statement.NotAction !== undefined) {
    if (!reachesEvery(statement, '*')) return [];
    // Everything except a few services (e.g. PowerUserAccess): broad, if not quite admin.
    return [{ kind: inline ? 'INLINE_ADMIN' : 'ADMIN_WILDCARD', severity: 'high', facts: { except: listOf(statement.NotAction).join(', ') } }];
  }
  const actions = listOf(statement.Action).map((a) => a.trim().toLowerCase());
  if (actions.some((a) => a === '*' || a === '*:*')) {
    return reachesEvery(statement, '*') ? [{ kind: inline ? 'INLINE_ADMIN' : 'ADMIN_WILDCARD', severity: 'critical', facts: {} }] : [];
  }
  const issues: Issue[] = [];
  const wildcardServices = new Set<string>();
  for (const a of actions) {
    const m = /^([a-z0-9-]+):\*$/.exec(a);
    if (!m || wildcardServices.has(m[1]!)) continue;
    const service = m[1]!;
    wildcardServices.add(service);
    if (reachesEvery(statement, service)) {
      issues.push({ kind: 'SERVICE_WILDCARD', severity: ESCALATION_SERVICES.has(service) ? 'critical' : 'high', service, facts: { service } });
    }
  }
  // iam:* and secretsmanager:* are findings of their own above; these catch narrower patterns.
  if (!wildcardServices.has('iam') && actions.some((a) => globMatches(a, 'iam:PassRole')) && reachesEvery(statement, 'iam')) {
    issues.push({ kind: 'PASSROLE_WILDCARD', severity: 'high', facts: {} });
  }
  if (
    !privileged &&
    !wildcardServices.has('secretsmanager') &&
    actions.some((a) => globMatches(a, 'secretsmanager:GetSecretValue')) &&
    reachesEvery(statement, 'secretsmanager')
  ) {
    issues.push({ kind: 'SECRET_READ_WILDCARD', severity: 'high', facts: {} });
  }
  return issues;
}

function findingId(parts: (string | number | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}

function describeWhy(kind: FindingKind, facts: Record<string, string | number>, conditioned: boolean): string {
  const base = ((): string => {
    switch (kind) {
      case 'INLINE_ADMIN':
        return facts.except
          ? `Inline policy allows every action except ${facts.except} on every resource (NotAction); inline policies escape managed-policy reviews.`
          : 'Inline policy allows every action on every resource ("Action": "*", "Resource": "*"); inline policies escape managed-policy reviews.';
      case 'ADMIN_WILDCARD':
        return facts.except
          ? `Allows every action except ${facts.except} on every resource (NotAction).`
          : 'Allows every action on every resource ("Action": "*", "Resource": "*").';
      case 'SERVICE_WILDCARD':
        return `Allows every ${facts.service} action ("${facts.service}:*") on every resource.`;
      case 'PASSROLE_WILDCARD':
        return 'Allows iam:PassRole on every role: the principal can hand any role, admin roles included, to a service it controls.';
      case 'SECRET_READ_WILDCARD':
        return 'Allows secretsmanager:GetSecretValue on every secret to a principal outside the security / DevOps team.';
      case 'UNUSED_ROLE':
        return facts.lastUsedDays !== undefined
          ? `Last used ${facts.lastUsedDays} days ago (threshold ${facts.threshold} days).`
          : `Never used; created ${facts.createdDays} days ago (threshold ${facts.threshold} days).`;
    }
  })();
  const members = facts.members !== undefined ? ` Every member of the group (${facts.members}) holds it.` : '';
  return base + members + (conditioned ? ' The statement has conditions: check whether they narrow it.' : '');
}

/** True when the name matches one of the privileged patterns (IAM names are case-insensitive). */
export function isPrivilegedName(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globMatches(p, name));
}

/** The unused-role finding's facts, or null when the role is in use (or nothing is known). */
export function unusedRoleFacts(role: Pick<IamRoleDetail, 'lastUsed' | 'createdAt'>, now: Date, days: number): Record<string, number> | null {
  if (!role.lastUsed.tracked) return null;
  const ageDays = (d: Date) => Math.floor((now.getTime() - d.getTime()) / DAY_MS);
  if (role.lastUsed.at) {
    const since = ageDays(role.lastUsed.at);
    return since > days ? { lastUsedDays: since, threshold: days } : null;
  }
  if (!role.createdAt) return null;
  const created = ageDays(role.createdAt);
  return created > days ? { createdDays: created, threshold: days } : null;
}

interface AuditedPrincipal {
  type: PrincipalType;
  name: string;
  arn: string;
  path: string;
  tags?: Record<string, string>;
  privileged: boolean;
  members?: number;
  inlinePolicies: { name: string; document: RawPolicyDocument }[];
  attachedPolicies: { name: string; arn: string }[];
}

/**
 * Every finding in the account, most severe first. Service-linked roles (`/aws-service-role/`)
 * are skipped: AWS owns their policies and nobody can narrow them.
 */
export function auditAccount(details: AccountAuthorizationDetails, settings: AuditSettings, now: Date): AuditResult {
  const documents = new Map(details.policies.map((p) => [p.arn, p.document]));
  const privilegedGroups = new Set(details.groups.filter((g) => isPrivilegedName(g.name, settings.privilegedPrincipals)).map((g) => g.name.toLowerCase()));
  const memberCount = new Map<string, number>();
  for (const u of details.users) for (const g of u.groups) memberCount.set(g.toLowerCase(), (memberCount.get(g.toLowerCase()) ?? 0) + 1);

  const roles = details.roles.filter((r) => !r.path.startsWith('/aws-service-role/'));
  const principals: AuditedPrincipal[] = [
    ...details.users.map((u) => ({
      ...u,
      type: 'user' as const,
      privileged: u.groups.some((g) => privilegedGroups.has(g.toLowerCase()) || isPrivilegedName(g, settings.privilegedPrincipals)),
    })),
    ...details.groups.map((g) => ({
      ...g,
      type: 'group' as const,
      privileged: privilegedGroups.has(g.name.toLowerCase()),
      members: memberCount.get(g.name.toLowerCase()) ?? 0,
    })),
    ...roles.map((r) => ({ ...r, type: 'role' as const, privileged: isPrivilegedName(r.name, settings.privilegedPrincipals) })),
  ];

  const findings: Finding[] = [];
  for (const p of principals) {
    const principal = { type: p.type, name: p.name, arn: p.arn };
    const scope = scopeOf(p);
    const groupFacts: Record<string, number> = p.members !== undefined ? { members: p.members } : {};
    const sources: { policy: FindingPolicy; document: RawPolicyDocument | null | undefined }[] = [
      ...p.inlinePolicies.map((i) => ({
        policy: { kind: 'inline' as const, name: i.name, ownerType: p.type, ownerName: p.name, ownerArn: p.arn },
        document: i.document,
      })),
      ...p.attachedPolicies.map((a) => ({
        policy: { kind: 'managed' as const, name: a.name, arn: a.arn, awsManaged: isAwsManagedPolicyArn(a.arn) },
        document: documents.get(a.arn),
      })),
    ];
    for (const { policy, document } of sources) {
      if (!document) continue;
      const policyKey = policy.kind === 'inline' ? `inline:${policy.name}` : policy.arn;
      statementsOf(document).forEach((statement, index) => {
        for (const issue of statementIssues(statement, policy.kind === 'inline', p.privileged)) {
          const conditioned = hasConditions(statement);
          const facts: Record<string, string | number> = { ...issue.facts, ...groupFacts, policy: policy.name, ...(conditioned ? { conditioned: 1 } : {}) };
          findings.push({
            id: findingId([issue.kind, p.arn, policyKey, index, issue.service ?? null]),
            severity: issue.severity,
            kind: issue.kind,
            principal,
            policy,
            statementIndex: index,
            statement,
            why: describeWhy(issue.kind, facts, conditioned),
            facts,
            suggestion: suggestionFor(issue, principal, scope),
          });
        }
      });
    }
  }
  for (const r of roles) {
    const facts = unusedRoleFacts(r, now, settings.unusedRoleDays);
    if (!facts) continue;
    findings.push({
      id: findingId(['UNUSED_ROLE', r.arn, null, null, null]),
      severity: 'low',
      kind: 'UNUSED_ROLE',
      principal: { type: 'role', name: r.name, arn: r.arn },
      policy: null,
      statementIndex: null,
      statement: null,
      why: describeWhy('UNUSED_ROLE', facts, false),
      facts,
      suggestion: null,
    });
  }
  return {
    findings: sortFindings(findings),
    principalCount: details.users.length + details.groups.length + roles.length,
    policyCount: details.policies.length,
  };
}

/** Most severe first, then by kind, principal (its ARN names the account), statement and id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
      a.principal.arn.localeCompare(b.principal.arn) ||
      (a.statementIndex ?? -1) - (b.statementIndex ?? -1) ||
      a.id.localeCompare(b.id),
  );
}

function suggestionFor(issue: Issue, principal: { arn: string }, scope: PrincipalScope): Suggestion {
  switch (issue.kind) {
    case 'INLINE_ADMIN':
    case 'ADMIN_WILDCARD':
      return suggestForAdmin(principal, scope);
    case 'SERVICE_WILDCARD':
      return suggestForService(issue.service!, principal, scope);
    case 'PASSROLE_WILDCARD':
      return suggestForPassRole(principal, scope);
    case 'SECRET_READ_WILDCARD':
      return suggestForSecretRead(principal, scope);
  }
}

/** Findings of the given kind and severity (either may be absent: any). */
export function filterFindings(findings: readonly Finding[], filter: { kind?: FindingKind | undefined; severity?: Severity | undefined }): Finding[] {
  return findings.filter((f) => (!filter.kind || f.kind === filter.kind) && (!filter.severity || f.severity === filter.severity));
}
