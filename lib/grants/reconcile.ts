import { canonicalJson } from '@/lib/audit/hash-chain';
import type { Environment } from '@/lib/environments';
import type { GrantStatus } from '@/lib/grants/model';
import { GRANT_POLICY_PATH, GRANT_POLICY_PREFIX, type PolicyDocument } from '@/lib/grants/policy';
import { samePrincipal, type Principal, type PrincipalRef } from '@/lib/grants/principals';
import type { ManagedPolicy, ReconcileGrant } from '@/lib/grants/ports';

/** What the reconciler needs to know of a grant. */

export const FINDING_KINDS = ['ORPHAN', 'DRIFT_DOCUMENT', 'DRIFT_ATTACHMENT', 'MISSING', 'PRINCIPAL_GONE'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export type FindingFix =
  /** Detach from every principal it is attached to, then delete. */
  | { kind: 'remove'; policyArn: string; detachFrom: PrincipalRef[] }
  /** Make the policy carry the stored document, attach it to the grant's principal, detach it from anyone else. */
  | { kind: 'restore'; grantId: string; policyName: string; document: PolicyDocument; attachTo: Principal; detachFrom: PrincipalRef[] };

/** One difference between AWS and the live grants, with the fix that removes it. */
export interface Finding {
  /** Stable across scans (one finding per policy): the fix action names a finding by it. */
  id: string;
  kind: FindingKind;
  policyName: string;
  policyArn: string | null;
  grantId: string | null;
  grantStatus: GrantStatus | null;
  /** The grant's principal, when there is a live grant. */
  expectedPrincipal: Principal | null;
  /** The users, roles and groups the policy is attached to in AWS (empty when it is missing). */
  attachedTo: PrincipalRef[];
  /** The document in AWS (null when missing). */
  actual: PolicyDocument | null;
  /** The document the grant stores (null for orphans). */
  expected: PolicyDocument | null;
  fix: FindingFix;
}

function sameDocument(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A policy Gatehouse made for a grant: its name and exactly its path. Anything else is somebody else's. */
function isGrantPolicy(p: ManagedPolicy): boolean {
  return p.path === GRANT_POLICY_PATH && p.name.startsWith(GRANT_POLICY_PREFIX);
}

/**
 * The ACTIVE grants whose principal must be looked up before planning: their policy is missing or
 * not attached to them, which is also what a principal deleted outside the portal looks like.
 */
export function principalsToCheck(policies: readonly ManagedPolicy[], grants: readonly ReconcileGrant[]): Principal[] {
  const byName = new Map(policies.filter(isGrantPolicy).map((p) => [p.name, p]));
  const out: Principal[] = [];
  for (const g of grants) {
    if (g.status !== 'ACTIVE') continue;
    const p = byName.get(g.policyName);
    if (p?.attachedTo.some((a) => samePrincipal(a, g.principal))) continue;
    if (!out.some((o) => samePrincipal(o, g.principal))) out.push(g.principal);
  }
  return out;
}

/**
 * Compares Gatehouse's policies in AWS with its grants (docs/decisions/008-grant-engine.md). An
 * orphan is a gatehouse-grant-* policy under /gatehouse/ with no grant or an ENDED one; an ACTIVE
 * grant's policy must carry the stored document and be attached to exactly its principal. Users,
 * roles and groups are compared by kind and name, never by an ARN (IAM lists attachments without
 * paths). `gonePrincipals` are the grants' principals that no longer exist in AWS: their policy is
 * removed (it can be attached to nobody) and nothing is restored for them. PENDING, GRANT_FAILED
 * and ENDING grants are left to the lifecycle job, which is mid-way through them. At most one
 * finding per policy: a restore fixes both a document and an attachment difference.
 *
 * `environments` are the environments whose grants live in the account the policies were listed in
 * (docs/decisions/039; null: all of them). A grant of another environment owns nothing here: its
 * policy found in this account is an ORPHAN (it acts in the wrong account), and it is never
 * MISSING here.
 */
export function planReconciliation(
  policies: readonly ManagedPolicy[],
  grants: readonly ReconcileGrant[],
  gonePrincipals: readonly PrincipalRef[] = [],
  environments: readonly Environment[] | null = null,
): Finding[] {
  const here = (g: ReconcileGrant) => !environments || environments.includes(g.environment);
  const byName = new Map(grants.map((g) => [g.policyName, g]));
  const gone = (g: ReconcileGrant) => gonePrincipals.some((p) => samePrincipal(p, g.principal));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const finding = (kind: FindingKind, p: ManagedPolicy, g: ReconcileGrant | undefined, fix: FindingFix): Finding => ({
    id: `${kind}:${p.name}`,
    kind,
    policyName: p.name,
    policyArn: p.arn,
    grantId: g?.id ?? null,
    grantStatus: g?.status ?? null,
    expectedPrincipal: kind === 'ORPHAN' ? null : (g?.principal ?? null),
    attachedTo: [...p.attachedTo],
    actual: p.document,
    expected: kind === 'ORPHAN' ? null : (g?.policy ?? null),
    fix,
  });
  for (const p of policies) {
    if (!isGrantPolicy(p)) continue;
    seen.add(p.name);
    const g = byName.get(p.name);
    if (!g || g.status === 'ENDED' || !here(g)) {
      findings.push(finding('ORPHAN', p, g, { kind: 'remove', policyArn: p.arn, detachFrom: [...p.attachedTo] }));
      continue;
    }
    if (g.status !== 'ACTIVE') continue;
    if (gone(g)) {
      // Attached to nobody who can use it: remove it. The grant still ends at its time; the
      // lifecycle job's removal finds nothing left to remove.
      findings.push(finding('PRINCIPAL_GONE', p, g, { kind: 'remove', policyArn: p.arn, detachFrom: [...p.attachedTo] }));
      continue;
    }
    const documentDiffers = !sameDocument(p.document, g.policy);
    const strays = p.attachedTo.filter((a) => !samePrincipal(a, g.principal));
    const attachmentDiffers = strays.length > 0 || !p.attachedTo.some((a) => samePrincipal(a, g.principal));
    if (!documentDiffers && !attachmentDiffers) continue;
    const kind: FindingKind = documentDiffers ? 'DRIFT_DOCUMENT' : 'DRIFT_ATTACHMENT';
    findings.push(finding(kind, p, g, { kind: 'restore', grantId: g.id, policyName: p.name, document: g.policy, attachTo: g.principal, detachFrom: strays }));
  }
  for (const g of grants) {
    // A missing policy of a principal that is gone is nothing to restore: there is no one to attach it to.
    if (g.status !== 'ACTIVE' || seen.has(g.policyName) || gone(g) || !here(g)) continue;
    findings.push({
      id: `MISSING:${g.policyName}`,
      kind: 'MISSING',
      policyName: g.policyName,
      policyArn: g.policyArn,
      grantId: g.id,
      grantStatus: g.status,
      expectedPrincipal: g.principal,
      attachedTo: [],
      actual: null,
      expected: g.policy,
      fix: { kind: 'restore', grantId: g.id, policyName: g.policyName, document: g.policy, attachTo: g.principal, detachFrom: [] },
    });
  }
  return findings;
}
