import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { ManagedPolicy } from '@/lib/grants/ports';
import { pathFromArn, principalFromArn, principalLabel, type PrincipalRef } from '@/lib/grants/principals';
import type { ReconcileGrant } from '@/lib/grants/ports';
import { FINDING_KINDS, planReconciliation, principalsToCheck, type Finding } from '@/lib/grants/reconcile';
import { fixFindingSchema } from '@/lib/grants/schemas';

const ACCOUNT = 'arn:aws:iam::111122223333';
const MINJI = principalFromArn(`${ACCOUNT}:user/minji.kim`);
const LUCAS = principalFromArn(`${ACCOUNT}:user/lucas.meyer`);
// Principals with a path: IAM lists their attachments by name only.
const DANIEL = principalFromArn(`${ACCOUNT}:user/engineers/daniel.path`);
const DEPLOYER = principalFromArn(`${ACCOUNT}:role/teams/payments/deployer`);
const user = (name: string): PrincipalRef => ({ kind: 'IAM_USER', name });
const role = (name: string): PrincipalRef => ({ kind: 'IAM_ROLE', name });
const group = (name: string): PrincipalRef => ({ kind: 'IAM_GROUP', name });
const ref = (p: PrincipalRef): PrincipalRef => ({ kind: p.kind, name: p.name });

const arn = (name: string, path = '/gatehouse/') => `${ACCOUNT}:policy${path}${name}`;
const doc = (secret: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadOneSecret',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: [secret],
      Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-29T11:00:00.000Z' } },
    },
  ],
});
const DOC = doc('arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/a-AbCdEf');

function grant(id: string, status: ReconcileGrant['status'] = 'ACTIVE', principal = MINJI, environment: ReconcileGrant['environment'] = 'DEV'): ReconcileGrant {
  return { id, status, environment, policyName: `gatehouse-grant-${id}`, policyArn: arn(`gatehouse-grant-${id}`), policy: DOC, principal };
}
function policy(name: string, attachedTo: PrincipalRef[] = [ref(MINJI)], document = DOC, path = '/gatehouse/'): ManagedPolicy {
  return { name, path, arn: arn(name, path), document, attachedTo };
}

/** What AWS holds after every fix ran, modelled on what the fix does in IAM (lib/server/reconcile.ts). */
function applyFixes(policies: ManagedPolicy[], findings: Finding[]): ManagedPolicy[] {
  let out = policies.map((p) => ({ ...p, attachedTo: [...p.attachedTo] }));
  for (const { fix } of findings) {
    if (fix.kind === 'remove') {
      out = out.filter((p) => p.arn !== fix.policyArn);
      continue;
    }
    let p = out.find((x) => x.name === fix.policyName);
    if (!p) out.push((p = { name: fix.policyName, path: '/gatehouse/', arn: arn(fix.policyName), document: fix.document, attachedTo: [] }));
    p.document = fix.document;
    if (!p.attachedTo.some((a) => a.kind === fix.attachTo.kind && a.name === fix.attachTo.name)) p.attachedTo.push(ref(fix.attachTo));
    p.attachedTo = p.attachedTo.filter((a) => !fix.detachFrom.some((d) => d.kind === a.kind && d.name === a.name));
  }
  return out;
}

describe('planReconciliation', () => {
  it('finds nothing when every ACTIVE grant has its policy, unchanged, on its principal only', () => {
    // Key order differs (as after a jsonb round trip): the comparison is canonical.
    const reordered = JSON.parse(JSON.stringify({ Statement: DOC.Statement, Version: DOC.Version })) as PolicyDocument;
    expect(planReconciliation([policy('gatehouse-grant-g1', [ref(MINJI)], reordered)], [grant('g1')])).toEqual([]);
  });

  it('leaves grants the lifecycle job is working on, and policies that are not a grant’s (another name or another path)', () => {
    const policies = [
      policy('gatehouse-grant-p', []),
      policy('gatehouse-grant-f', [ref(LUCAS)]),
      policy('gatehouse-grant-e'),
      policy('someone-elses-policy', [ref(LUCAS)]),
      policy('gatehouse-grant-elsewhere', [ref(LUCAS)], DOC, '/other/'),
      policy('gatehouse-grant-deeper', [group('developers')], DOC, '/gatehouse/teams/'),
    ];
    expect(planReconciliation(policies, [grant('p', 'PENDING'), grant('f', 'GRANT_FAILED'), grant('e', 'ENDING'), grant('x', 'PENDING')])).toEqual([]);
  });

  it('an orphan: a policy with no grant, or with an ENDED one, is removed from every user, group and role', () => {
    const findings = planReconciliation(
      [policy('gatehouse-grant-nobody', [group('developers'), role('deployer'), user('daniel.path')]), policy('gatehouse-grant-old', [])],
      [grant('old', 'ENDED')],
    );
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      id: 'ORPHAN:gatehouse-grant-nobody',
      kind: 'ORPHAN',
      grantId: null,
      fix: { kind: 'remove', policyArn: arn('gatehouse-grant-nobody'), detachFrom: [group('developers'), role('deployer'), user('daniel.path')] },
    });
    expect(findings[1]).toMatchObject({ kind: 'ORPHAN', grantId: 'old', grantStatus: 'ENDED', fix: { kind: 'remove', detachFrom: [] } });
  });

  it('document drift: the stored document is restored (and stray attachments removed)', () => {
    const changed = doc('*');
    const [f, ...rest] = planReconciliation([policy('gatehouse-grant-g1', [ref(MINJI), ref(LUCAS)], changed)], [grant('g1')]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'DRIFT_DOCUMENT', actual: changed, expected: DOC, expectedPrincipal: MINJI });
    expect(f!.fix).toEqual({ kind: 'restore', grantId: 'g1', policyName: 'gatehouse-grant-g1', document: DOC, attachTo: MINJI, detachFrom: [ref(LUCAS)] });
  });

  it('attachment drift: detached from its principal, or attached to someone else', () => {
    const findings = planReconciliation(
      [policy('gatehouse-grant-g1', []), policy('gatehouse-grant-g2', [ref(MINJI), ref(LUCAS)]), policy('gatehouse-grant-g3', [ref(LUCAS)])],
      [grant('g1'), grant('g2'), grant('g3')],
    );
    expect(findings.map((f) => [f.kind, f.fix.kind === 'restore' ? f.fix.detachFrom : null])).toEqual([
      ['DRIFT_ATTACHMENT', []],
      ['DRIFT_ATTACHMENT', [ref(LUCAS)]],
      ['DRIFT_ATTACHMENT', [ref(LUCAS)]],
    ]);
  });

  it('in one account of several: a grant of an environment living elsewhere owns nothing here (its policy is an orphan, never missing)', () => {
    const here = ['DEV', 'STAGING'] as const;
    const prodGrant = grant('p1', 'ACTIVE', MINJI, 'PROD');
    const findings = planReconciliation(
      [policy('gatehouse-grant-p1'), policy('gatehouse-grant-d1')],
      [prodGrant, grant('d1'), grant('p2', 'ACTIVE', MINJI, 'PROD')],
      [],
      here,
    );
    expect(findings).toEqual([
      expect.objectContaining({
        id: 'ORPHAN:gatehouse-grant-p1',
        kind: 'ORPHAN',
        grantId: 'p1',
        expected: null,
        fix: { kind: 'remove', policyArn: arn('gatehouse-grant-p1'), detachFrom: [ref(MINJI)] },
      }),
    ]);
    // In its own account the same policy is the grant's, and a prod grant's missing policy is missing there.
    expect(
      planReconciliation([policy('gatehouse-grant-p1')], [prodGrant, grant('p2', 'ACTIVE', MINJI, 'PROD'), grant('d1')], [], ['PROD']).map((f) => f.id),
    ).toEqual(['MISSING:gatehouse-grant-p2']);
  });

  it('missing: an ACTIVE grant whose policy is gone is re-created and attached', () => {
    const findings = planReconciliation([], [grant('g1'), grant('gone', 'ENDED')]);
    expect(findings).toEqual([
      expect.objectContaining({
        id: 'MISSING:gatehouse-grant-g1',
        kind: 'MISSING',
        actual: null,
        attachedTo: [],
        fix: { kind: 'restore', grantId: 'g1', policyName: 'gatehouse-grant-g1', document: DOC, attachTo: MINJI, detachFrom: [] },
      }),
    ]);
  });

  // Each case: what IAM lists, the grants, the principals that are gone, and the expected findings
  // as [kind, detachFrom (labels)]. After the fixes, a second run must find nothing.
  const cases: { name: string; policies: ManagedPolicy[]; grants: ReconcileGrant[]; gone?: PrincipalRef[]; expected: [string, string[]][] }[] = [
    {
      name: 'a user with a path, listed by name',
      policies: [policy('gatehouse-grant-d', [user('daniel.path')])],
      grants: [grant('d', 'ACTIVE', DANIEL)],
      expected: [],
    },
    {
      name: 'a role with a path, listed by name',
      policies: [policy('gatehouse-grant-r', [role('deployer')])],
      grants: [grant('r', 'ACTIVE', DEPLOYER)],
      expected: [],
    },
    {
      name: 'a path user’s policy also on a group and a role: only those are detached',
      policies: [policy('gatehouse-grant-d', [group('engineers'), role('deployer'), user('daniel.path')])],
      grants: [grant('d', 'ACTIVE', DANIEL)],
      expected: [['DRIFT_ATTACHMENT', ['group/engineers', 'role/deployer']]],
    },
    {
      name: 'attached to several users: every other one is detached, never the grant’s',
      policies: [policy('gatehouse-grant-m', [user('daniel.path'), user('lucas.meyer'), user('minji.kim')])],
      grants: [grant('m', 'ACTIVE', DANIEL)],
      expected: [['DRIFT_ATTACHMENT', ['user/lucas.meyer', 'user/minji.kim']]],
    },
    {
      name: 'a role named like the grant’s user is someone else',
      policies: [policy('gatehouse-grant-k', [role('minji.kim')])],
      grants: [grant('k')],
      expected: [['DRIFT_ATTACHMENT', ['role/minji.kim']]],
    },
    {
      name: 'an orphan on a path user, a group and a role',
      policies: [policy('gatehouse-grant-o', [group('engineers'), role('deployer'), user('daniel.path')]), policy('team-policy', [group('engineers')])],
      grants: [],
      expected: [['ORPHAN', ['group/engineers', 'role/deployer', 'user/daniel.path']]],
    },
    {
      name: 'several versions: the default one (the listed document) was replaced',
      policies: [policy('gatehouse-grant-v', [user('daniel.path')], doc('*'))],
      grants: [grant('v', 'ACTIVE', DANIEL)],
      expected: [['DRIFT_DOCUMENT', []]],
    },
    {
      name: 'a principal deleted outside the portal: its unattached policy is removed',
      policies: [policy('gatehouse-grant-x', []), policy('gatehouse-grant-y', [role('deployer')])],
      grants: [grant('x', 'ACTIVE', DANIEL), grant('y', 'ACTIVE', LUCAS)],
      gone: [ref(DANIEL), ref(LUCAS)],
      expected: [
        ['PRINCIPAL_GONE', []],
        ['PRINCIPAL_GONE', ['role/deployer']],
      ],
    },
    {
      name: 'a principal deleted outside the portal, its policy already gone: nothing to restore',
      policies: [],
      grants: [grant('x', 'ACTIVE', DANIEL)],
      gone: [ref(DANIEL)],
      expected: [],
    },
  ];

  it.each(cases)('$name; a second run after the fixes finds nothing', ({ policies, grants, gone = [], expected }) => {
    const findings = planReconciliation(policies, grants, gone);
    expect(findings.map((f) => [f.kind, f.fix.detachFrom.map(principalLabel)])).toEqual(expected);
    // A restore always attaches the grant's own principal and never lists it among the detached.
    for (const f of findings) if (f.fix.kind === 'restore') expect(f.fix.detachFrom).not.toContainEqual(ref(f.fix.attachTo));
    expect(planReconciliation(applyFixes(policies, findings), grants, gone)).toEqual([]);
  });
});

describe('fixFindingSchema', () => {
  it('takes the id of every kind of finding, and nothing else', () => {
    for (const kind of FINDING_KINDS) expect(fixFindingSchema.safeParse({ findingId: `${kind}:gatehouse-grant-g1` }).success).toBe(true);
    for (const findingId of ['OTHER:gatehouse-grant-g1', 'ORPHAN:', 'ORPHAN:a b', 'ORPHAN:gatehouse-grant-g1\n'])
      expect(fixFindingSchema.safeParse({ findingId }).success).toBe(false);
  });
});

describe('principalsToCheck', () => {
  it('names the ACTIVE grants’ principals whose policy is missing or not on them, once each', () => {
    const policies = [
      policy('gatehouse-grant-ok', [user('daniel.path')]),
      policy('gatehouse-grant-off', [role('deployer')]),
      policy('gatehouse-grant-ended', []),
    ];
    const grants = [
      grant('ok', 'ACTIVE', DANIEL),
      grant('off', 'ACTIVE', LUCAS),
      grant('missing', 'ACTIVE', LUCAS),
      grant('ended', 'ENDED', MINJI),
      grant('soon', 'PENDING', MINJI),
    ];
    expect(principalsToCheck(policies, grants)).toEqual([LUCAS]);
  });
});

describe('principals', () => {
  it('names principals by the last path segment of their ARN, and keeps the path apart', () => {
    expect(principalFromArn(MINJI.arn)).toEqual({ kind: 'IAM_USER', name: 'minji.kim', arn: MINJI.arn });
    expect(principalFromArn(DEPLOYER.arn)).toEqual({ kind: 'IAM_ROLE', name: 'deployer', arn: DEPLOYER.arn });
    expect([pathFromArn(DANIEL.arn), pathFromArn(DEPLOYER.arn), pathFromArn(MINJI.arn)]).toEqual(['/engineers/', '/teams/payments/', '/']);
  });
});
