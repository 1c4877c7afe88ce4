import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { ManagedPolicy } from '@/lib/grants/ports';
import { planReconciliation, principalFromArn, type ReconcileGrant } from '@/lib/grants/reconcile';

const MINJI = 'arn:aws:iam::111122223333:user/minji.kim';
const LUCAS = 'arn:aws:iam::111122223333:user/lucas.meyer';
const arn = (name: string) => `arn:aws:iam::111122223333:policy/gatehouse/${name}`;
const doc = (secret: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReadOneSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [secret], Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-29T11:00:00.000Z' } } }],
});
const DOC = doc('arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/a-AbCdEf');

function grant(id: string, status: ReconcileGrant['status'] = 'ACTIVE'): ReconcileGrant {
  return { id, status, policyName: `gatehouse-grant-${id}`, policyArn: arn(`gatehouse-grant-${id}`), policy: DOC, principalArn: MINJI };
}
function policy(name: string, attachedTo = [MINJI], document = DOC): ManagedPolicy {
  return { name, arn: arn(name), document, attachedTo };
}

describe('planReconciliation', () => {
  it('finds nothing when every ACTIVE grant has its policy, unchanged, on its principal only', () => {
    // Key order differs (as after a jsonb round trip): the comparison is canonical.
    const reordered = JSON.parse(JSON.stringify({ Statement: DOC.Statement, Version: DOC.Version })) as PolicyDocument;
    expect(planReconciliation([policy('gatehouse-grant-g1', [MINJI], reordered)], [grant('g1')])).toEqual([]);
  });

  it('leaves grants the lifecycle job is working on, and policies not named like a grant', () => {
    const policies = [policy('gatehouse-grant-p', []), policy('gatehouse-grant-f', [LUCAS]), policy('gatehouse-grant-e'), policy('someone-elses-policy', [LUCAS])];
    expect(planReconciliation(policies, [grant('p', 'PENDING'), grant('f', 'GRANT_FAILED'), grant('e', 'ENDING'), grant('x', 'PENDING')])).toEqual([]);
  });

  it('an orphan: a policy with no grant, or with an ENDED one, is removed from everyone', () => {
    const findings = planReconciliation([policy('gatehouse-grant-nobody', [LUCAS, MINJI]), policy('gatehouse-grant-old', [])], [grant('old', 'ENDED')]);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({ id: 'ORPHAN:gatehouse-grant-nobody', kind: 'ORPHAN', grantId: null, fix: { kind: 'remove', policyArn: arn('gatehouse-grant-nobody'), detachFrom: [LUCAS, MINJI] } });
    expect(findings[1]).toMatchObject({ kind: 'ORPHAN', grantId: 'old', grantStatus: 'ENDED', fix: { kind: 'remove', detachFrom: [] } });
  });

  it('document drift: the stored document is restored (and stray attachments removed)', () => {
    const changed = doc('*');
    const [f, ...rest] = planReconciliation([policy('gatehouse-grant-g1', [MINJI, LUCAS], changed)], [grant('g1')]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'DRIFT_DOCUMENT', actual: changed, expected: DOC, expectedPrincipal: MINJI });
    expect(f!.fix).toEqual({ kind: 'restore', grantId: 'g1', policyName: 'gatehouse-grant-g1', document: DOC, attachTo: MINJI, detachFrom: [LUCAS] });
  });

  it('attachment drift: detached from its principal, or attached to someone else', () => {
    const findings = planReconciliation([policy('gatehouse-grant-g1', []), policy('gatehouse-grant-g2', [MINJI, LUCAS]), policy('gatehouse-grant-g3', [LUCAS])], [grant('g1'), grant('g2'), grant('g3')]);
    expect(findings.map((f) => [f.kind, f.fix.kind === 'restore' ? f.fix.detachFrom : null])).toEqual([
      ['DRIFT_ATTACHMENT', []],
      ['DRIFT_ATTACHMENT', [LUCAS]],
      ['DRIFT_ATTACHMENT', [LUCAS]],
    ]);
  });

  it('missing: an ACTIVE grant whose policy is gone is re-created and attached', () => {
    const findings = planReconciliation([], [grant('g1'), grant('gone', 'ENDED')]);
    expect(findings).toEqual([
      expect.objectContaining({ id: 'MISSING:gatehouse-grant-g1', kind: 'MISSING', actual: null, attachedTo: [], fix: { kind: 'restore', grantId: 'g1', policyName: 'gatehouse-grant-g1', document: DOC, attachTo: MINJI, detachFrom: [] } }),
    ]);
  });

  it('names principals by the last path segment of their ARN', () => {
    expect(principalFromArn(MINJI)).toEqual({ kind: 'IAM_USER', name: 'minji.kim', arn: MINJI });
    expect(principalFromArn('arn:aws:iam::111122223333:role/teams/payments-dev')).toEqual({ kind: 'IAM_ROLE', name: 'payments-dev', arn: 'arn:aws:iam::111122223333:role/teams/payments-dev' });
  });
});
