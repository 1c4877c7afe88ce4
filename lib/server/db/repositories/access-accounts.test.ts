import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, decideRequest, type AccessDeps } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import type { Environment } from '@/lib/environments';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, testDatabaseKinds, signedIn } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

// One account per environment (docs/decisions/039): a grant attaches to the requester's principal in
// the account of the request's environment, never to their identity in another account.
const PROD_ACCOUNT = '444455556666';
const accountFor = async (environment: Environment) =>
  environment === 'PROD' ? { accountId: PROD_ACCOUNT, region: 'eu-west-1' } : { accountId: SANDBOX_ACCOUNT_ID, region: 'us-east-1' };

const read = (secretId: string): CreateRequestInput =>
  ({ type: 'SECRET_READ', secretId, justification: 'Reconciling payouts (INC-7)', durationMinutes: 60, breakGlass: false }) as CreateRequestInput;

describe.each(testDatabaseKinds())('grants across accounts on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let deps: AccessDeps;
  let devRequestId = '';
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    deps = { store: createAccessStore(db.prisma), now: () => new Date('2026-12-07T09:00:00Z'), accountFor };
  });
  afterAll(async () => db.drop());

  it('refuses a prod request from a user with no identity in the prod account, naming the account, and writes nothing', async () => {
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const before = await db.prisma.accessRequest.count();
    const events = await db.prisma.auditEvent.count();
    await expect(createRequest(deps, minji, read('sec_prod_payments_stripe_api_key'), null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining(PROD_ACCOUNT),
    });
    expect(await db.prisma.accessRequest.count()).toBe(before);
    expect(await db.prisma.auditEvent.count()).toBe(events);
    // Dev is the account she has an identity in.
    const dev = await createRequest(deps, minji, read('sec_dev_payments_stripe_api_key'), null);
    expect(dev.status).toBe('PENDING');
    devRequestId = dev.id;
  });

  it("attaches an approved prod grant to the requester's prod principal, and a dev grant to the dev one", async () => {
    await db.prisma.awsPrincipal.create({
      data: {
        userId: 'usr_minji_kim',
        accountId: PROD_ACCOUNT,
        kind: 'IAM_ROLE',
        name: 'minji-prod',
        arn: `arn:aws:iam::${PROD_ACCOUNT}:role/people/minji-prod`,
      },
    });
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const prod = await createRequest(deps, minji, read('sec_prod_payments_stripe_api_key'), null);
    for (const id of ['usr_seoyeon_park', 'usr_lucas_meyer']) {
      await decideRequest(deps, signedIn((await findActiveActor(id, db.prisma))!, deps.now()), { requestId: prod.id, kind: 'APPROVE', comment: '' }, null);
    }
    expect(
      await db.prisma.grant.findUniqueOrThrow({ where: { requestId: prod.id }, select: { principalKind: true, principalName: true, principalArn: true } }),
    ).toEqual({
      principalKind: 'IAM_ROLE',
      principalName: 'minji-prod',
      principalArn: `arn:aws:iam::${PROD_ACCOUNT}:role/people/minji-prod`,
    });
    await decideRequest(
      deps,
      signedIn((await findActiveActor('usr_seoyeon_park', db.prisma))!, deps.now()),
      { requestId: devRequestId, kind: 'APPROVE', comment: '' },
      null,
    );
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { requestId: devRequestId }, select: { principalArn: true } })).principalArn).toBe(
      `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:user/minji.kim`,
    );
  });
});
