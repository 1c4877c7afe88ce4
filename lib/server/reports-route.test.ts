import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor, AppRole } from '@/lib/identity/actor';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

// The reports route and the sandbox control as Next.js runs them, with the session replaced by a
// user of each role and the process's database by a test database (sandbox mode, the default).
const holder = vi.hoisted(() => ({ db: null as null | { prisma: unknown }, roles: ['SECURITY'] as AppRole[] }));
vi.mock('@/lib/server/db/connection', () => ({ prisma: () => holder.db!.prisma }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('@/lib/server/auth/guards', async () => {
  const { authorize } = await vi.importActual<typeof import('@/lib/server/auth/guards')>('@/lib/server/auth/guards');
  const actor = (): Actor => ({ id: 'usr_seoyeon_park', email: 'seoyeon.park@example.com', name: 'Seo-yeon Park', roles: holder.roles, teams: [] });
  return { getActor: async () => actor(), authorize };
});

const { GET } = await import('@/app/api/v1/reports/[name]/route');
const { simulateGrantUseAction } = await import('@/app/reports/actions');

const get = (name: string, query = '') => GET(new Request(`http://portal.example/api/v1/reports/${name}${query}`), { params: Promise.resolve({ name }) });
const day = (d: Date) => d.toISOString().slice(0, 10);
const TODAY = day(new Date());
// Two hours ago, but today (UTC), so that a period of today holds it whenever the test runs.
const START = new Date(Math.max(Date.now() - 2 * 3600_000, Date.parse(`${TODAY}T00:00:05Z`)));

describe('the reports route and the sandbox use control', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('embedded');
    holder.db = db;
    await seed(db.prisma);
    await db.prisma.accessRequest.create({
      data: {
        id: 'req_csv',
        type: 'SECRET_READ',
        status: 'ENDED',
        environment: 'DEV',
        requesterId: 'usr_minji_kim',
        teamId: 'team_payments',
        justification: 'Report route test',
        durationMinutes: 60,
        approvalsRequired: 1,
        approverGroup: 'SECURITY',
        maxDurationMinutes: 480,
        eligibleSecurityIds: ['usr_seoyeon_park'],
        pendingExpiresAt: new Date(START.getTime() + 86_400_000),
        createdAt: START,
        decidedAt: new Date(START.getTime() + 90_000),
        decisions: { create: { approverId: 'usr_seoyeon_park', kind: 'APPROVE', capacity: 'SECURITY', createdAt: new Date(START.getTime() + 90_000) } },
        grant: {
          create: {
            id: 'grt_csv',
            kind: 'SECRET_READ',
            status: 'ENDED',
            principalKind: 'IAM_USER',
            principalName: 'minji.kim',
            principalArn: 'arn:aws:iam::111122223333:user/minji.kim',
            policyName: 'gatehouse-grant-grt_csv',
            policy: {},
            resourceArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/stripe-api-key-AbCdEf',
            startsAt: new Date(START.getTime() + 100_000),
            appliedAt: new Date(START.getTime() + 100_000),
            endsAt: new Date(START.getTime() + 3_700_000),
            endedAt: new Date(START.getTime() + 1_900_000),
            endReason: 'GIVEN_BACK',
            nextAttemptAt: START,
          },
        },
      },
    });
  });
  afterAll(async () => db.drop());

  it.each([['ENGINEER'], ['OPS']] as const)('refuses %s: 403 from the route, FORBIDDEN from the action, nothing recorded', async (role) => {
    holder.roles = [role];
    for (const name of ['time-to-approve', 'requests', 'break-glass', 'grants', 'approver-load']) {
      const res = await get(name, '?format=csv');
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('FORBIDDEN');
    }
    expect(await simulateGrantUseAction({ grantId: 'grt_csv' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await db.prisma.sandboxObject.count({ where: { service: 'cloudtrail' } })).toBe(0);
  });

  it('gives security a CSV download of a report of the period', async () => {
    holder.roles = ['SECURITY'];
    const res = await get('approver-load', `?format=csv&from=${TODAY}&to=${TODAY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="gatehouse-approver-load-${TODAY}-${TODAY}.csv"`);
    expect(await res.text()).toBe(
      'approver_id,approver,approvals,rejections,decisions,median_response_seconds,pending_eligible_now\r\n' + 'usr_seoyeon_park,Seo-yeon Park,1,0,1,90,0\r\n',
    );
    const requests = await (await get('requests', '?format=csv')).text();
    expect(requests.split('\r\n')[1]).toBe('team_payments,Payments,DEV,1,1,0,0,0,0,0');
  });

  it('refuses a bad period (400 naming it), an unknown parameter (400) and an unknown report (404)', async () => {
    holder.roles = ['ADMIN'];
    const reversed = await get('requests', '?from=2026-12-02&to=2026-12-01');
    expect(reversed.status).toBe(400);
    expect((await reversed.json()).error.message).toBe('from: must not be after to');
    const notADate = await get('requests', '?from=yesterday');
    expect(notADate.status).toBe(400);
    expect((await notADate.json()).error.message).toMatch(/^from: must be a date as YYYY-MM-DD/);
    const unknown = await get('requests', '?days=7');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toMatch(/^days: unknown parameter/);
    expect((await get('top-secrets')).status).toBe(404);
  });

  it("shows a grant as never used until the sandbox records its holder's use, then used", async () => {
    holder.roles = ['SECURITY'];
    const before = await (await get('grants')).json();
    expect(before.data.grants).toMatchObject([{ id: 'grt_csv', givenBackEarly: true, usage: { status: 'unused' } }]);
    expect(before.data.unavailable).toEqual([]);
    expect(await simulateGrantUseAction({ grantId: 'grt_csv' })).toMatchObject({ ok: true, data: { grantId: 'grt_csv' } });
    const after = await (await get('grants')).json();
    expect(after.data.grants).toMatchObject([{ id: 'grt_csv', usage: { status: 'used', eventName: 'GetSecretValue' } }]);
    const csv = (await (await get('grants', '?format=csv')).text()).split('\r\n')[1]!;
    expect(csv).toMatch(/,GIVEN_BACK,true,used,[^,]+,GetSecretValue,$/);
    expect(await simulateGrantUseAction({ grantId: 'no-such-grant' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await simulateGrantUseAction({ grantId: 'bad id!' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
