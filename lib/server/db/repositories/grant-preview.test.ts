import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequest } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { findGrantInputs } from '@/lib/server/db/repositories/grant-preview';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { expectedAccountFor } from '@/lib/server/cloud/account';
import { createTestDatabase, seededAccountFor } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

// Dev and staging share one account; prod has its own, in another region (docs/decisions/039).
vi.stubEnv(
  'GATEHOUSE_ACCOUNTS',
  JSON.stringify({
    dev: { accountId: '111122223333', alias: 'dev' },
    staging: { accountId: '111122223333' },
    prod: { accountId: '444455556666', alias: 'prod', regions: ['eu-central-1'] },
  }),
);

describe('grant inputs across accounts', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('embedded');
    await seed(db.prisma);
  });
  afterAll(async () => db.drop());

  it('name the account and primary region of the request’s environment', async () => {
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const access = { store: createAccessStore(db.prisma), now: () => new Date(), accountFor: seededAccountFor };
    const ask = async (secretId: string) =>
      (
        await createRequest(
          access,
          minji,
          { type: 'SECRET_READ', secretId, justification: 'Checking the payout config', durationMinutes: 60, breakGlass: false } as CreateRequestInput,
          null,
        )
      ).id;
    expect((await findGrantInputs(await ask('sec_prod_payments_stripe_api_key'), await expectedAccountFor('PROD'), db.prisma)).account).toEqual({
      accountId: '444455556666',
      region: 'eu-central-1',
    });
    expect((await findGrantInputs(await ask('sec_dev_payments_stripe_api_key'), await expectedAccountFor('DEV'), db.prisma)).account).toEqual({
      accountId: '111122223333',
      region: 'us-east-1',
    });
  });
});
