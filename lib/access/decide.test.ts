import { describe, expect, it } from 'vitest';
import {
  approverCapacity,
  countApprovals,
  currentCapacity,
  evaluateDecision,
  reachableApprovals,
  type ApproverStanding,
  type DecidableRequest,
  type DecisionOutcome,
  type PastDecision,
} from '@/lib/access/decide';
import { REQUEST_STATUSES, type ApproverCapacity, type ApproverGroup, type DecisionKind } from '@/lib/access/model';
import { AppError, type AppErrorCode } from '@/lib/errors';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const IN_AN_HOUR = new Date('2025-03-01T13:00:00.000Z');

const SELF = 'You cannot approve or reject your own request.';
const NOT_APPROVER = 'You are not one of the approvers of this request.';
const ALREADY_DECIDED = 'You have already decided on this request.';
const EXPIRED = 'The request expired before it was answered.';
const NO_LONGER_SECURITY = 'You no longer hold the SECURITY role, so your decision cannot count.';
const NO_LONGER_LEAD = 'You are no longer a lead of the team this request is for, so your decision cannot count.';
const DEACTIVATED = 'Your account is deactivated, so your decision cannot count.';

/** An approver who still holds every capacity (the frozen list alone then decides). */
const HOLDS_ALL: ApproverStanding = { active: true, security: true, leadOfTeam: true };

function makeRequest(overrides: Partial<DecidableRequest> = {}): DecidableRequest {
  return {
    status: 'PENDING',
    requesterId: 'requester',
    approvalsRequired: 2,
    approverGroup: 'SECURITY_AND_TEAM_LEAD',
    eligibleSecurityIds: ['sec1', 'sec2', 'sec3'],
    eligibleLeadIds: ['lead1', 'lead2'],
    pendingExpiresAt: IN_AN_HOUR,
    ...overrides,
  };
}

function approve(approverId: string, capacity: ApproverCapacity): PastDecision {
  return { approverId, kind: 'APPROVE', capacity };
}

function reject(approverId: string, capacity: ApproverCapacity): PastDecision {
  return { approverId, kind: 'REJECT', capacity };
}

/** Runs fn and returns what it threw as an AppError; fails the test when it does not throw one. */
function appErrorFrom(fn: () => unknown): AppError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(AppError);
  return thrown as AppError;
}

function expectAppError(fn: () => unknown, code: AppErrorCode, message: string, details?: Record<string, unknown>): void {
  const error = appErrorFrom(fn);
  expect({ code: error.code, message: error.message, details: error.details }).toEqual({ code, message, details });
}

describe('approverCapacity', () => {
  it('returns SECURITY for an eligible security approver, in either group', () => {
    expect(approverCapacity(makeRequest({ approverGroup: 'SECURITY' }), 'sec1')).toBe('SECURITY');
    expect(approverCapacity(makeRequest({ approverGroup: 'SECURITY_AND_TEAM_LEAD' }), 'sec2')).toBe('SECURITY');
  });

  it('returns TEAM_LEAD for an eligible lead only when the group is SECURITY_AND_TEAM_LEAD', () => {
    expect(approverCapacity(makeRequest({ approverGroup: 'SECURITY_AND_TEAM_LEAD' }), 'lead1')).toBe('TEAM_LEAD');
    expect(approverCapacity(makeRequest({ approverGroup: 'SECURITY' }), 'lead1')).toBeNull();
  });

  it('prefers SECURITY for a user in both lists, in either group', () => {
    const both = { eligibleSecurityIds: ['sec1', 'dual'], eligibleLeadIds: ['dual', 'lead1'] };
    expect(approverCapacity(makeRequest({ ...both, approverGroup: 'SECURITY_AND_TEAM_LEAD' }), 'dual')).toBe('SECURITY');
    expect(approverCapacity(makeRequest({ ...both, approverGroup: 'SECURITY' }), 'dual')).toBe('SECURITY');
  });

  it('returns null for the requester even when the requester is in both lists', () => {
    const request = makeRequest({ eligibleSecurityIds: ['requester', 'sec1'], eligibleLeadIds: ['requester'] });
    expect(approverCapacity(request, 'requester')).toBeNull();
  });

  it('returns null for someone in neither list', () => {
    expect(approverCapacity(makeRequest(), 'stranger')).toBeNull();
    expect(approverCapacity(makeRequest({ eligibleSecurityIds: [], eligibleLeadIds: [] }), 'sec1')).toBeNull();
  });
});

describe('eligibility at decision time (frozen list AND current capacity)', () => {
  // [who, standing now, group, expected capacity or the refusal]
  const CASES: [string, string, ApproverStanding, ApproverGroup, ApproverCapacity | string][] = [
    ['security, still security', 'sec1', { active: true, security: true, leadOfTeam: false }, 'SECURITY', 'SECURITY'],
    ['security demoted to engineer', 'sec1', { active: true, security: false, leadOfTeam: false }, 'SECURITY', NO_LONGER_SECURITY],
    [
      'security demoted, lead of the team but not frozen as lead',
      'sec1',
      { active: true, security: false, leadOfTeam: true },
      'SECURITY_AND_TEAM_LEAD',
      NO_LONGER_SECURITY,
    ],
    ['security deactivated', 'sec1', { active: false, security: true, leadOfTeam: false }, 'SECURITY', DEACTIVATED],
    ['lead, still lead', 'lead1', { active: true, security: false, leadOfTeam: true }, 'SECURITY_AND_TEAM_LEAD', 'TEAM_LEAD'],
    ['lead no longer lead', 'lead1', { active: true, security: false, leadOfTeam: false }, 'SECURITY_AND_TEAM_LEAD', NO_LONGER_LEAD],
    [
      'lead promoted to security after creation still decides as lead',
      'lead1',
      { active: true, security: true, leadOfTeam: true },
      'SECURITY_AND_TEAM_LEAD',
      'TEAM_LEAD',
    ],
    ['lead promoted to security but no longer lead', 'lead1', { active: true, security: true, leadOfTeam: false }, 'SECURITY_AND_TEAM_LEAD', NO_LONGER_LEAD],
    ['lead deactivated', 'lead1', { active: false, security: false, leadOfTeam: true }, 'SECURITY_AND_TEAM_LEAD', DEACTIVATED],
    ['frozen in both, lost security, still lead', 'dual', { active: true, security: false, leadOfTeam: true }, 'SECURITY_AND_TEAM_LEAD', 'TEAM_LEAD'],
    ['frozen in both, lost both', 'dual', { active: true, security: false, leadOfTeam: false }, 'SECURITY_AND_TEAM_LEAD', NO_LONGER_LEAD],
    ['frozen in both, SECURITY group, lost security', 'dual', { active: true, security: false, leadOfTeam: true }, 'SECURITY', NO_LONGER_SECURITY],
    ['promoted after creation, not on the frozen list', 'stranger', HOLDS_ALL, 'SECURITY_AND_TEAM_LEAD', NOT_APPROVER],
    ['the requester, holding everything', 'requester', HOLDS_ALL, 'SECURITY_AND_TEAM_LEAD', NOT_APPROVER],
  ];

  it.each(CASES)('%s', (_name, user, standing, group, expected) => {
    const request = makeRequest({ approverGroup: group, eligibleSecurityIds: ['sec1', 'dual'], eligibleLeadIds: ['lead1', 'dual'] });
    const result = currentCapacity(request, user, standing);
    expect(result).toEqual(expected === 'SECURITY' || expected === 'TEAM_LEAD' ? { capacity: expected } : { refused: expected });
    if (user === 'requester') return;
    const decide = () => evaluateDecision({ ...request, approvalsRequired: 1 }, [], { approverId: user, kind: 'APPROVE' }, NOW, standing);
    if ('refused' in result) expectAppError(decide, 'FORBIDDEN', result.refused);
    else expect(decide().capacity).toBe(expected);
  });

  it('a demoted security approver neither approves nor rejects, whatever the others did', () => {
    const demoted: ApproverStanding = { active: true, security: false, leadOfTeam: false };
    const request = makeRequest({ approvalsRequired: 2, approverGroup: 'SECURITY' });
    for (const kind of ['APPROVE', 'REJECT'] as const) {
      expectAppError(
        () => evaluateDecision(request, [approve('sec1', 'SECURITY')], { approverId: 'sec2', kind }, NOW, demoted),
        'FORBIDDEN',
        NO_LONGER_SECURITY,
      );
    }
  });
});

describe('reachableApprovals (can a pending request still be approved?)', () => {
  const SEC: ApproverStanding = { active: true, security: true, leadOfTeam: false };
  const LEAD: ApproverStanding = { active: true, security: false, leadOfTeam: true };
  const DEMOTED: ApproverStanding = { active: true, security: false, leadOfTeam: false };
  const request = makeRequest({
    approvalsRequired: 2,
    approverGroup: 'SECURITY_AND_TEAM_LEAD',
    eligibleSecurityIds: ['sec1', 'sec2'],
    eligibleLeadIds: ['lead1'],
  });
  const CASES: [string, PastDecision[], Record<string, ApproverStanding>, { reachable: number; enough: boolean }][] = [
    ['everyone still holds their capacity', [], { sec1: SEC, sec2: SEC, lead1: LEAD }, { reachable: 3, enough: true }],
    ['one security demoted: the other and the lead still make two', [], { sec1: DEMOTED, sec2: SEC, lead1: LEAD }, { reachable: 2, enough: true }],
    ['both security demoted: a lead alone never approves', [], { sec1: DEMOTED, sec2: DEMOTED, lead1: LEAD }, { reachable: 1, enough: false }],
    [
      'approval already given counts, though its approver was demoted since',
      [approve('sec1', 'SECURITY')],
      { sec1: DEMOTED, sec2: DEMOTED, lead1: LEAD },
      { reachable: 2, enough: true },
    ],
    ['unknown standing counts as nothing', [], { sec2: SEC }, { reachable: 1, enough: false }],
    ['the lead lost the lead: two security still suffice', [], { sec1: SEC, sec2: SEC, lead1: DEMOTED }, { reachable: 2, enough: true }],
  ];
  it.each(CASES)('%s', (_name, past, standings, expected) => {
    expect(reachableApprovals(request, past, new Map(Object.entries(standings)))).toEqual(expected);
  });
});

describe('countApprovals', () => {
  it('is zero for no decisions', () => {
    expect(countApprovals([])).toEqual({ total: 0, security: 0 });
  });

  it('counts each distinct security approver once', () => {
    expect(countApprovals([approve('sec1', 'SECURITY'), approve('sec2', 'SECURITY')])).toEqual({ total: 2, security: 2 });
    expect(countApprovals([approve('sec1', 'SECURITY'), approve('sec1', 'SECURITY')])).toEqual({ total: 1, security: 1 });
  });

  it('counts team leads at most once in total and never as security', () => {
    expect(countApprovals([approve('lead1', 'TEAM_LEAD')])).toEqual({ total: 1, security: 0 });
    expect(countApprovals([approve('lead1', 'TEAM_LEAD'), approve('lead2', 'TEAM_LEAD')])).toEqual({ total: 1, security: 0 });
    expect(countApprovals([approve('lead1', 'TEAM_LEAD'), approve('lead2', 'TEAM_LEAD'), approve('sec1', 'SECURITY')])).toEqual({ total: 2, security: 1 });
  });

  it('ignores rejections', () => {
    expect(countApprovals([reject('sec1', 'SECURITY'), reject('lead1', 'TEAM_LEAD')])).toEqual({ total: 0, security: 0 });
    expect(countApprovals([approve('sec1', 'SECURITY'), reject('sec2', 'SECURITY'), reject('lead1', 'TEAM_LEAD')])).toEqual({ total: 1, security: 1 });
  });
});

describe('evaluateDecision refusals', () => {
  it('forbids deciding on your own request, approve or reject', () => {
    for (const kind of ['APPROVE', 'REJECT'] as const) {
      expectAppError(() => evaluateDecision(makeRequest(), [], { approverId: 'requester', kind }, NOW, HOLDS_ALL), 'FORBIDDEN', SELF);
    }
  });

  it('forbids deciding on your own request even when you are in both eligible lists', () => {
    const request = makeRequest({ eligibleSecurityIds: ['requester', 'sec1'], eligibleLeadIds: ['requester', 'lead1'] });
    expectAppError(() => evaluateDecision(request, [], { approverId: 'requester', kind: 'APPROVE' }, NOW, HOLDS_ALL), 'FORBIDDEN', SELF);
  });

  it('checks self-decision before status and expiry', () => {
    const request = makeRequest({ status: 'APPROVED', pendingExpiresAt: NOW });
    expectAppError(() => evaluateDecision(request, [], { approverId: 'requester', kind: 'APPROVE' }, NOW, HOLDS_ALL), 'FORBIDDEN', SELF);
  });

  const notPending = REQUEST_STATUSES.filter((s) => s !== 'PENDING');
  it('lists the six non-pending statuses', () => {
    expect(notPending).toEqual(['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'ACTIVE', 'ENDED']);
  });

  it.each(notPending)('refuses a decision on a %s request with CONFLICT', (status) => {
    for (const kind of ['APPROVE', 'REJECT'] as const) {
      expectAppError(
        () => evaluateDecision(makeRequest({ status }), [], { approverId: 'sec1', kind }, NOW, HOLDS_ALL),
        'CONFLICT',
        `The request is already ${status.toLowerCase()}.`,
        { status },
      );
    }
  });

  it('refuses once the pending time is over (now equal to or after pendingExpiresAt)', () => {
    for (const now of [IN_AN_HOUR, new Date(IN_AN_HOUR.getTime() + 1), new Date('2030-01-01T00:00:00.000Z')]) {
      for (const kind of ['APPROVE', 'REJECT'] as const) {
        expectAppError(() => evaluateDecision(makeRequest(), [], { approverId: 'sec1', kind }, now, HOLDS_ALL), 'CONFLICT', EXPIRED, { status: 'EXPIRED' });
      }
    }
  });

  it('accepts a decision one millisecond before pendingExpiresAt', () => {
    const now = new Date(IN_AN_HOUR.getTime() - 1);
    expect(evaluateDecision(makeRequest(), [], { approverId: 'sec1', kind: 'APPROVE' }, now, HOLDS_ALL)).toEqual({
      capacity: 'SECURITY',
      status: 'PENDING',
      approvals: 1,
    });
  });

  it('forbids someone who is not eligible', () => {
    for (const kind of ['APPROVE', 'REJECT'] as const) {
      expectAppError(() => evaluateDecision(makeRequest(), [], { approverId: 'stranger', kind }, NOW, HOLDS_ALL), 'FORBIDDEN', NOT_APPROVER);
    }
  });

  it('forbids a team lead when the group is SECURITY only', () => {
    const request = makeRequest({ approverGroup: 'SECURITY' });
    expectAppError(() => evaluateDecision(request, [], { approverId: 'lead1', kind: 'APPROVE' }, NOW, HOLDS_ALL), 'FORBIDDEN', NOT_APPROVER);
    expectAppError(() => evaluateDecision(request, [], { approverId: 'lead1', kind: 'REJECT' }, NOW, HOLDS_ALL), 'FORBIDDEN', NOT_APPROVER);
  });

  it('refuses a second decision by the same approver, whatever the kinds', () => {
    for (const first of ['APPROVE', 'REJECT'] as const) {
      for (const second of ['APPROVE', 'REJECT'] as const) {
        const past: PastDecision[] = [{ approverId: 'sec1', kind: first, capacity: 'SECURITY' }];
        expectAppError(() => evaluateDecision(makeRequest(), past, { approverId: 'sec1', kind: second }, NOW, HOLDS_ALL), 'CONFLICT', ALREADY_DECIDED);
      }
    }
    expectAppError(
      () => evaluateDecision(makeRequest(), [approve('lead1', 'TEAM_LEAD')], { approverId: 'lead1', kind: 'APPROVE' }, NOW, HOLDS_ALL),
      'CONFLICT',
      ALREADY_DECIDED,
    );
  });

  it('does not modify the past decisions it is given', () => {
    const past = [approve('sec1', 'SECURITY')];
    evaluateDecision(makeRequest(), past, { approverId: 'sec2', kind: 'APPROVE' }, NOW, HOLDS_ALL);
    expect(past).toEqual([approve('sec1', 'SECURITY')]);
  });
});

describe('evaluateDecision outcomes', () => {
  it('prod (2 required): first security approval stays PENDING, a second different security approval approves', () => {
    const request = makeRequest({ approvalsRequired: 2, approverGroup: 'SECURITY' });
    expect(evaluateDecision(request, [], { approverId: 'sec1', kind: 'APPROVE' }, NOW, HOLDS_ALL)).toEqual({
      capacity: 'SECURITY',
      status: 'PENDING',
      approvals: 1,
    });
    expect(evaluateDecision(request, [approve('sec1', 'SECURITY')], { approverId: 'sec2', kind: 'APPROVE' }, NOW, HOLDS_ALL)).toEqual({
      capacity: 'SECURITY',
      status: 'APPROVED',
      approvals: 2,
    });
  });

  it('a rejection ends the request at any point, by security or by a lead', () => {
    const request = makeRequest({ approvalsRequired: 3 });
    expect(evaluateDecision(request, [], { approverId: 'sec1', kind: 'REJECT' }, NOW, HOLDS_ALL)).toEqual({
      capacity: 'SECURITY',
      status: 'REJECTED',
      approvals: 0,
    });
    expect(evaluateDecision(request, [], { approverId: 'lead1', kind: 'REJECT' }, NOW, HOLDS_ALL)).toEqual({
      capacity: 'TEAM_LEAD',
      status: 'REJECTED',
      approvals: 0,
    });
    expect(
      evaluateDecision(request, [approve('sec1', 'SECURITY'), approve('lead1', 'TEAM_LEAD')], { approverId: 'sec2', kind: 'REJECT' }, NOW, HOLDS_ALL),
    ).toEqual({
      capacity: 'SECURITY',
      status: 'REJECTED',
      approvals: 2,
    });
  });

  it('a lead alone never approves, even when only 1 approval is required', () => {
    const request = makeRequest({ approvalsRequired: 1 });
    expect(evaluateDecision(request, [], { approverId: 'lead1', kind: 'APPROVE' }, NOW, HOLDS_ALL)).toEqual({
      capacity: 'TEAM_LEAD',
      status: 'PENDING',
      approvals: 1,
    });
    expect(evaluateDecision(request, [approve('lead1', 'TEAM_LEAD')], { approverId: 'lead2', kind: 'APPROVE' }, NOW, HOLDS_ALL)).toEqual({
      capacity: 'TEAM_LEAD',
      status: 'PENDING',
      approvals: 1,
    });
  });

  it('a user in both lists decides as SECURITY and can approve alone when 1 is required', () => {
    const request = makeRequest({ approvalsRequired: 1, eligibleSecurityIds: ['dual'], eligibleLeadIds: ['dual'] });
    expect(evaluateDecision(request, [], { approverId: 'dual', kind: 'APPROVE' }, NOW, HOLDS_ALL)).toEqual({
      capacity: 'SECURITY',
      status: 'APPROVED',
      approvals: 1,
    });
  });

  type Step = [approverId: string, kind: DecisionKind, expected: DecisionOutcome | AppErrorCode];
  const S = (status: DecisionOutcome['status'], approvals: number): DecisionOutcome => ({ capacity: 'SECURITY', status, approvals });
  const L = (status: DecisionOutcome['status'], approvals: number): DecisionOutcome => ({ capacity: 'TEAM_LEAD', status, approvals });

  const TABLE: { name: string; required: number; group?: ApproverGroup; steps: Step[] }[] = [
    { name: '1 required: one security approval approves', required: 1, steps: [['sec1', 'APPROVE', S('APPROVED', 1)]] },
    {
      name: '1 required: lead then security',
      required: 1,
      steps: [
        ['lead1', 'APPROVE', L('PENDING', 1)],
        ['sec1', 'APPROVE', S('APPROVED', 2)],
      ],
    },
    {
      name: '1 required: two leads never approve',
      required: 1,
      steps: [
        ['lead1', 'APPROVE', L('PENDING', 1)],
        ['lead2', 'APPROVE', L('PENDING', 1)],
      ],
    },
    { name: '1 required: security rejects first', required: 1, steps: [['sec1', 'REJECT', S('REJECTED', 0)]] },
    {
      name: '1 required: lead approves, other lead rejects',
      required: 1,
      steps: [
        ['lead1', 'APPROVE', L('PENDING', 1)],
        ['lead2', 'REJECT', L('REJECTED', 1)],
      ],
    },
    {
      name: '2 required: two security',
      required: 2,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['sec2', 'APPROVE', S('APPROVED', 2)],
      ],
    },
    {
      name: '2 required: lead then security',
      required: 2,
      steps: [
        ['lead1', 'APPROVE', L('PENDING', 1)],
        ['sec1', 'APPROVE', S('APPROVED', 2)],
      ],
    },
    {
      name: '2 required: security then lead',
      required: 2,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['lead1', 'APPROVE', L('APPROVED', 2)],
      ],
    },
    {
      name: '2 required: two leads then security',
      required: 2,
      steps: [
        ['lead1', 'APPROVE', L('PENDING', 1)],
        ['lead2', 'APPROVE', L('PENDING', 1)],
        ['sec1', 'APPROVE', S('APPROVED', 2)],
      ],
    },
    {
      name: '2 required: approve then reject',
      required: 2,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['sec2', 'REJECT', S('REJECTED', 1)],
      ],
    },
    {
      name: '2 required: same approver twice, then another',
      required: 2,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['sec1', 'APPROVE', 'CONFLICT'],
        ['sec2', 'APPROVE', S('APPROVED', 2)],
      ],
    },
    {
      name: '2 required, SECURITY group: lead is refused, two security approve',
      required: 2,
      group: 'SECURITY',
      steps: [
        ['lead1', 'APPROVE', 'FORBIDDEN'],
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['sec2', 'APPROVE', S('APPROVED', 2)],
      ],
    },
    {
      name: '2 required: approved request takes no more decisions',
      required: 2,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['sec2', 'APPROVE', S('APPROVED', 2)],
        ['sec3', 'APPROVE', 'CONFLICT'],
        ['lead1', 'REJECT', 'CONFLICT'],
      ],
    },
    {
      name: '3 required: three security',
      required: 3,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['sec2', 'APPROVE', S('PENDING', 2)],
        ['sec3', 'APPROVE', S('APPROVED', 3)],
      ],
    },
    {
      name: '3 required: security, two leads, security',
      required: 3,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['lead1', 'APPROVE', L('PENDING', 2)],
        ['lead2', 'APPROVE', L('PENDING', 2)],
        ['sec2', 'APPROVE', S('APPROVED', 3)],
      ],
    },
    {
      name: '3 required: lead, security, security',
      required: 3,
      steps: [
        ['lead1', 'APPROVE', L('PENDING', 1)],
        ['sec1', 'APPROVE', S('PENDING', 2)],
        ['sec2', 'APPROVE', S('APPROVED', 3)],
      ],
    },
    {
      name: '3 required: two approvals then a rejection',
      required: 3,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['lead1', 'APPROVE', L('PENDING', 2)],
        ['sec2', 'REJECT', S('REJECTED', 2)],
        ['sec3', 'APPROVE', 'CONFLICT'],
      ],
    },
    {
      name: '3 required: requester and stranger are refused in between',
      required: 3,
      steps: [
        ['sec1', 'APPROVE', S('PENDING', 1)],
        ['requester', 'APPROVE', 'FORBIDDEN'],
        ['stranger', 'APPROVE', 'FORBIDDEN'],
        ['sec2', 'APPROVE', S('PENDING', 2)],
        ['sec3', 'APPROVE', S('APPROVED', 3)],
      ],
    },
  ];

  it.each(TABLE)('$name', ({ required, group, steps }) => {
    let request = makeRequest({ approvalsRequired: required, ...(group ? { approverGroup: group } : {}) });
    const past: PastDecision[] = [];
    for (const [approverId, kind, expected] of steps) {
      if (typeof expected === 'string') {
        expect(appErrorFrom(() => evaluateDecision(request, past, { approverId, kind }, NOW, HOLDS_ALL)).code).toBe(expected);
        continue;
      }
      const outcome = evaluateDecision(request, past, { approverId, kind }, NOW, HOLDS_ALL);
      expect(outcome).toEqual(expected);
      past.push({ approverId, kind, capacity: outcome.capacity });
      request = { ...request, status: outcome.status };
    }
  });
});

/** mulberry32: a tiny seeded PRNG so the generated cases are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('evaluateDecision, random sequences (seeded)', () => {
  it('keeps its invariants over 500 generated requests', () => {
    const random = mulberry32(0x5eed_2025);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const POOL = ['requester', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
    const tally = { APPROVED: 0, REJECTED: 0, PENDING: 0, FORBIDDEN: 0, CONFLICT: 0, leadOnlyPending: 0, expired: 0 };

    for (let iteration = 0; iteration < 500; iteration++) {
      const others = POOL.slice(1);
      const security = others.filter(() => random() < 0.4);
      const leads = others.filter(() => random() < 0.35); // may overlap with security
      // Now and then the requester is listed too: they must still never decide.
      if (random() < 0.2) security.push('requester');
      if (random() < 0.2) leads.push('requester');
      const group: ApproverGroup = random() < 0.5 ? 'SECURITY' : 'SECURITY_AND_TEAM_LEAD';
      let request = makeRequest({
        approvalsRequired: 1 + Math.floor(random() * 3),
        approverGroup: group,
        eligibleSecurityIds: security,
        eligibleLeadIds: leads,
      });

      // An independent model of the rules.
      const modelCapacity = (user: string): ApproverCapacity | null => {
        if (user === 'requester') return null;
        if (security.includes(user)) return 'SECURITY';
        if (group === 'SECURITY_AND_TEAM_LEAD' && leads.includes(user)) return 'TEAM_LEAD';
        return null;
      };
      const decided = new Set<string>();
      const securityApprovers = new Set<string>();
      const leadApprovers = new Set<string>();
      let rejected = false;
      let modelStatus: 'PENDING' | 'APPROVED' | 'REJECTED' = 'PENDING';

      const steps = 1 + Math.floor(random() * 10);
      for (let step = 0; step < steps; step++) {
        const user = pick(POOL);
        const kind: DecisionKind = random() < 0.2 ? 'REJECT' : 'APPROVE';
        const late = random() < 0.03;
        const now = late ? new Date(IN_AN_HOUR.getTime() + Math.floor(random() * 1000)) : NOW;
        const past: PastDecision[] = [...decided].map((id) => ({
          approverId: id,
          kind: securityApprovers.has(id) || leadApprovers.has(id) ? 'APPROVE' : 'REJECT',
          capacity: modelCapacity(id)!,
        }));
        const run = () => evaluateDecision(request, past, { approverId: user, kind }, now, HOLDS_ALL);

        let expectedError: AppErrorCode | null = null;
        if (user === 'requester') expectedError = 'FORBIDDEN';
        else if (modelStatus !== 'PENDING') expectedError = 'CONFLICT';
        else if (late) expectedError = 'CONFLICT';
        else if (!modelCapacity(user)) expectedError = 'FORBIDDEN';
        else if (decided.has(user)) expectedError = 'CONFLICT';

        if (expectedError) {
          const error = appErrorFrom(run);
          expect(error.code).toBe(expectedError);
          if (modelStatus !== 'PENDING' && user !== 'requester') expect(error.message).toBe(`The request is already ${modelStatus.toLowerCase()}.`);
          if (late && modelStatus === 'PENDING' && user !== 'requester') {
            expect(error.message).toBe(EXPIRED);
            tally.expired++;
          }
          tally[expectedError]++;
          continue;
        }

        const capacity = modelCapacity(user)!;
        decided.add(user);
        if (kind === 'REJECT') rejected = true;
        else if (capacity === 'SECURITY') securityApprovers.add(user);
        else leadApprovers.add(user);
        const approvals = securityApprovers.size + Math.min(leadApprovers.size, 1);
        modelStatus = rejected ? 'REJECTED' : approvals >= request.approvalsRequired && securityApprovers.size >= 1 ? 'APPROVED' : 'PENDING';
        if (modelStatus === 'PENDING' && securityApprovers.size === 0 && approvals >= request.approvalsRequired) tally.leadOnlyPending++;

        const outcome = run();
        expect(outcome).toEqual({ capacity, status: modelStatus, approvals });
        tally[outcome.status]++;
        // Feed the outcome back as the stored status, as the service does.
        request = { ...request, status: outcome.status };
      }
    }

    // The generator must exercise every branch, or this test proves little.
    expect(tally.APPROVED).toBeGreaterThan(50);
    expect(tally.REJECTED).toBeGreaterThan(20);
    expect(tally.PENDING).toBeGreaterThan(50);
    expect(tally.FORBIDDEN).toBeGreaterThan(50);
    expect(tally.CONFLICT).toBeGreaterThan(50);
    expect(tally.leadOnlyPending).toBeGreaterThan(5);
    expect(tally.expired).toBeGreaterThan(5);
  });
});
