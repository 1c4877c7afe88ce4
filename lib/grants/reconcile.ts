import { canonicalJson } from '@/lib/audit/hash-chain';
import type { GrantStatus } from '@/lib/grants/model';
import { GRANT_POLICY_PREFIX, type PolicyDocument } from '@/lib/grants/policy';
import type { ManagedPolicy, Principal } from '@/lib/grants/ports';

/** What the reconciler needs to know of a grant. */
export interface ReconcileGrant {
  id: string;
  status: GrantStatus;
  policyName: string;
  policyArn: string | null;
  policy: PolicyDocument;
  principalArn: string;
}

export type FindingKind = 'ORPHAN' | 'DRIFT_DOCUMENT' | 'DRIFT_ATTACHMENT' | 'MISSING';

export type FindingFix =
  /** Detach from every principal it is attached to, then delete. */
  | { kind: 'remove'; policyArn: string; detachFrom: string[] }
  /** Make the policy carry the stored document, attach it to the grant's principal, detach it from anyone else. */
  | { kind: 'restore'; grantId: string; policyName: string; document: PolicyDocument; attachTo: string; detachFrom: string[] };

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
  expectedPrincipal: string | null;
  /** Where the policy is attached in AWS (empty when it is missing). */
  attachedTo: string[];
  /** The document in AWS (null when missing). */
  actual: PolicyDocument | null;
  /** The document the grant stores (null for orphans). */
  expected: PolicyDocument | null;
  fix: FindingFix;
}

/** The IAM principal an ARN names: `arn:aws:iam::<account>:user/<path/>name` or `…:role/<path/>name`. */
export function principalFromArn(arn: string): Principal {
  return { kind: arn.includes(':user/') ? 'IAM_USER' : 'IAM_ROLE', name: arn.slice(arn.lastIndexOf('/') + 1), arn };
}

function sameDocument(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Compares Gatehouse's policies in AWS with its grants (docs/decisions/008-grant-engine.md). An
 * orphan is a gatehouse-grant-* policy with no grant or an ENDED one; an ACTIVE grant's policy must
 * carry the stored document and be attached to exactly its principal. PENDING, GRANT_FAILED and
 * ENDING grants are left to the lifecycle job, which is mid-way through them. At most one finding
 * per policy: a restore fixes both a document and an attachment difference.
 */
export function planReconciliation(policies: readonly ManagedPolicy[], grants: readonly ReconcileGrant[]): Finding[] {
  const byName = new Map(grants.map((g) => [g.policyName, g]));
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const p of policies) {
    if (!p.name.startsWith(GRANT_POLICY_PREFIX)) continue;
    seen.add(p.name);
    const g = byName.get(p.name);
    if (!g || g.status === 'ENDED') {
      findings.push({
        id: `ORPHAN:${p.name}`,
        kind: 'ORPHAN',
        policyName: p.name,
        policyArn: p.arn,
        grantId: g?.id ?? null,
        grantStatus: g?.status ?? null,
        expectedPrincipal: null,
        attachedTo: [...p.attachedTo],
        actual: p.document,
        expected: null,
        fix: { kind: 'remove', policyArn: p.arn, detachFrom: [...p.attachedTo] },
      });
      continue;
    }
    if (g.status !== 'ACTIVE') continue;
    const documentDiffers = !sameDocument(p.document, g.policy);
    const attachmentDiffers = p.attachedTo.length !== 1 || p.attachedTo[0] !== g.principalArn;
    if (!documentDiffers && !attachmentDiffers) continue;
    const kind: FindingKind = documentDiffers ? 'DRIFT_DOCUMENT' : 'DRIFT_ATTACHMENT';
    findings.push({
      id: `${kind}:${p.name}`,
      kind,
      policyName: p.name,
      policyArn: p.arn,
      grantId: g.id,
      grantStatus: g.status,
      expectedPrincipal: g.principalArn,
      attachedTo: [...p.attachedTo],
      actual: p.document,
      expected: g.policy,
      fix: { kind: 'restore', grantId: g.id, policyName: p.name, document: g.policy, attachTo: g.principalArn, detachFrom: p.attachedTo.filter((a) => a !== g.principalArn) },
    });
  }
  for (const g of grants) {
    if (g.status !== 'ACTIVE' || seen.has(g.policyName)) continue;
    findings.push({
      id: `MISSING:${g.policyName}`,
      kind: 'MISSING',
      policyName: g.policyName,
      policyArn: g.policyArn,
      grantId: g.id,
      grantStatus: g.status,
      expectedPrincipal: g.principalArn,
      attachedTo: [],
      actual: null,
      expected: g.policy,
      fix: { kind: 'restore', grantId: g.id, policyName: g.policyName, document: g.policy, attachTo: g.principalArn, detachFrom: [] },
    });
  }
  return findings;
}
