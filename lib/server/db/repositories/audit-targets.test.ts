import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { listAuditEvents, listAuditTargetNames } from '@/lib/server/db/repositories/audit';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, seededAccountFor, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

// The audit history names its targets instead of showing ids (docs/decisions/048-time-zone-policy.md).
describe.each(testDatabaseKinds())('audit target names on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
  });
  afterAll(async () => db.drop());

  it('names a request (and its grant) by the secret it asks for, catalog secrets and users by name', async () => {
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const deps = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => new Date('2026-12-07T09:00:00Z') };
    const input = {
      type: 'SECRET_READ',
      secretId: 'sec_dev_payments_stripe_api_key',
      justification: 'Checking the webhook secret',
      durationMinutes: 60,
      breakGlass: false,
    } as CreateRequestInput;
    const request = await createRequest(deps, minji, input, { ip: null, userAgent: null });
    const { events } = await listAuditEvents({ request: request.id, limit: 50 }, db.prisma);
    expect(events.length).toBeGreaterThan(0);

    const names = await listAuditTargetNames(
      [
        ...events,
        { targetType: 'grant', targetId: 'grant_x', requestId: request.id },
        { targetType: 'secret', targetId: 'sec_dev_payments_stripe_api_key', requestId: null },
        { targetType: 'user', targetId: 'usr_minji_kim', requestId: null },
        { targetType: 'secret', targetId: 'sec_gone', requestId: null },
      ],
      db.prisma,
    );
    expect(names).toEqual({
      [`request:${request.id}`]: 'dev/payments/stripe-api-key',
      'secret:sec_dev_payments_stripe_api_key': 'dev/payments/stripe-api-key',
      'user:usr_minji_kim': 'Minji Kim',
    });
  });

  it('asks nothing for a page without targets it can name', async () => {
    expect(await listAuditTargetNames([{ targetType: 'policy', targetId: 'p', requestId: null }], db.prisma)).toEqual({});
  });
});
