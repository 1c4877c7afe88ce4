import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/identity/actor';
import type { NavCountQuery } from '@/lib/server/db/repositories/nav-counts';

const count = vi.fn(async (q: NavCountQuery) => ({ approvals: q.approvals ? 2 : null, plans: q.plans ? 1 : null, alarms: q.alarmKeys ? 3 : null }));
vi.mock('@/lib/server/db/repositories/nav-counts', () => ({ countNavBadges: (q: NavCountQuery) => count(q) }));
vi.mock('@/lib/server/alarms/wiring', () => ({
  alarmDeps: () => ({
    accounts: [
      { key: 'home', regions: ['eu-central-1', 'us-east-1'] },
      { key: '444455556666', regions: ['eu-central-1'] },
    ],
  }),
}));

const { navCounts } = await import('@/lib/server/nav-counts');

const actor = (id: string, roles: Actor['roles'], lead = false): Actor => ({
  id,
  name: id,
  email: `${id}@example.com`,
  roles,
  teams: [{ id: 'team_a', name: 'A', slug: 'a', isLead: lead }],
});

describe('navCounts', () => {
  beforeEach(() => {
    count.mockClear();
  });

  it('asks only for what the user may see: an engineer gets no plan count; ops do; alarms in every account and region', async () => {
    const now = new Date('2026-12-07T10:00:00Z');
    await navCounts(actor('eng', ['ENGINEER'], true), now);
    expect(count.mock.calls[0]![0]).toEqual({
      userId: 'eng',
      approvals: { security: false, leadTeamIds: ['team_a'] },
      plans: false,
      alarmKeys: ['alarms:eu-central-1', 'alarms:us-east-1', 'alarms:444455556666:eu-central-1'],
    });
    expect(await navCounts(actor('ops', ['OPS'], false), now)).toEqual({ approvals: 2, plans: 1, alarms: 3 });
    expect(count.mock.calls[1]![0]).toMatchObject({ plans: true, approvals: { security: false, leadTeamIds: [] } });
  });

  it('reuses a count for 15 s per user and standing; a new role is counted afresh', async () => {
    const t0 = new Date('2026-12-07T11:00:00Z');
    await navCounts(actor('sec', ['SECURITY']), t0);
    await navCounts(actor('sec', ['SECURITY']), new Date(t0.getTime() + 14_000));
    expect(count).toHaveBeenCalledTimes(1);
    await navCounts(actor('sec', ['SECURITY', 'OPS']), new Date(t0.getTime() + 14_000));
    expect(count).toHaveBeenCalledTimes(2);
    await navCounts(actor('sec', ['SECURITY']), new Date(t0.getTime() + 15_000));
    expect(count).toHaveBeenCalledTimes(3);
  });

  it('a failed count shows no badges and is not kept', async () => {
    const t0 = new Date('2026-12-07T12:00:00Z');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    count.mockRejectedValueOnce(new Error('database gone'));
    expect(await navCounts(actor('x', ['SECURITY']), t0)).toEqual({ approvals: null, plans: null, alarms: null });
    expect(await navCounts(actor('x', ['SECURITY']), t0)).toEqual({ approvals: 2, plans: 1, alarms: 3 });
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
