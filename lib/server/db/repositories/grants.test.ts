import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest, decideRequest, type AccessDeps } from '@/lib/access/service';
import type { CreateRequestInput } from '@/lib/access/schemas';
import { AppError } from '@/lib/errors';
import { createMemoryIam, createMemorySecrets } from '@/lib/grants/fakes';
import { GRANT_POLICY_PATH } from '@/lib/grants/policy';
import type { IamPort } from '@/lib/grants/ports';
import { principalLabel } from '@/lib/grants/principals';
import { applyGrant, applyGrantOfRequest, endGrant, runGrantLifecycle, shortenGrant, type GrantDeps } from '@/lib/grants/service';
import type { Actor } from '@/lib/identity/actor';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { createGrantStore } from '@/lib/server/db/repositories/grants';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, testDatabaseKinds, seededAccountFor, signedIn } from '@/lib/server/db/test-databases';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { createSandboxSecrets } from '@/lib/server/sandbox/secrets';
import { seedSandboxAccount } from '@/lib/server/sandbox/seed-account';
import { seed } from '@/prisma/seed';

const DEV_STRIPE = 'sec_dev_payments_stripe_api_key';

/** Counts calls and can fail the next N calls of a method, like a throttled or broken AWS. */
function instrument(iam: IamPort) {
  const calls: string[] = [];
  const failures: Record<string, number> = {};
  const wrapped = Object.fromEntries(
    Object.entries(iam).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        calls.push(name);
        if ((failures[name] ?? 0) > 0) {
          failures[name]!--;
          throw Object.assign(new Error(`${name}: Rate exceeded`), { name: 'Throttling' });
        }
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as IamPort;
  return { iam: wrapped, calls, failNext: (name: keyof IamPort, times: number) => (failures[name] = times) };
}

describe.each(testDatabaseKinds())('grant engine on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let clock = new Date('2026-11-29T10:00:00Z');
  let access: AccessDeps;
  let grants: GrantDeps;
  let probe: ReturnType<typeof instrument>;
  const users: Record<string, Actor> = {};
  const sandboxIam = () => createSandboxIam(createSandboxStore(db.prisma), () => clock);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    await seedSandboxAccount(db.prisma);
    access = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => clock };
    probe = instrument(sandboxIam());
    grants = {
      store: createGrantStore(db.prisma),
      iam: () => probe.iam,
      secrets: () => createSandboxSecrets(createSandboxStore(db.prisma), () => clock),
      now: () => clock,
      random: () => 0.5,
    };
    for (const id of ['usr_minji_kim', 'usr_seoyeon_park', 'usr_lucas_meyer', 'usr_daniel_okafor']) users[id] = (await findActiveActor(id, db.prisma))!;
  });
  afterAll(async () => db.drop());

  async function approvedRequest(duration = 60, requester = 'usr_minji_kim', startsAt?: Date) {
    const r = await createRequest(
      access,
      users[requester]!,
      {
        type: 'SECRET_READ',
        secretId: DEV_STRIPE,
        justification: 'Checking the payout job config',
        durationMinutes: duration,
        breakGlass: false,
        ...(startsAt ? { startsAt } : {}),
      } as CreateRequestInput,
      null,
    );
    await decideRequest(access, signedIn(users.usr_seoyeon_park!, access.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, null);
    const grant = await db.prisma.grant.findUniqueOrThrow({ where: { requestId: r.id } });
    return { request: r, grant };
  }
  const attachedTo = async (policyName: string) =>
    (await sandboxIam().listPolicies(GRANT_POLICY_PATH)).find((p) => p.name === policyName)?.attachedTo.map(principalLabel) ?? null;

  it('an approval records a grant with an exact, time-bounded policy; the job applies it and the request becomes ACTIVE', async () => {
    const { request, grant } = await approvedRequest();
    expect(grant).toMatchObject({ status: 'PENDING', principalArn: 'arn:aws:iam::111122223333:user/minji.kim', policyName: `gatehouse-grant-${grant.id}` });
    expect(grant.endsAt.toISOString()).toBe('2026-11-29T11:00:00.000Z');
    expect(grant.policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadOneSecret',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: [grant.resourceArn],
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-29T11:00:00.000Z' } },
        },
      ],
    });
    expect(grant.resourceArn).toMatch(/^arn:aws:secretsmanager:us-east-1:111122223333:secret:dev\/payments\/stripe-api-key-[A-Za-z0-9]{6}$/);
    expect(await runGrantLifecycle(grants)).toMatchObject({ applied: 1 });
    const after = await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(after.status).toBe('ACTIVE');
    expect(after.policyArn).toBe(`arn:aws:iam::111122223333:policy/gatehouse/gatehouse-grant-${grant.id}`);
    expect(await attachedTo(grant.policyName)).toEqual(['user/minji.kim']);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('ACTIVE');
  });

  it('two replicas running the job at once apply each grant exactly once', async () => {
    const { grant } = await approvedRequest();
    probe.calls.length = 0;
    await Promise.all([runGrantLifecycle(grants), runGrantLifecycle(grants), applyGrant(grants, grant.id)]);
    expect(probe.calls.filter((c) => c === 'ensurePolicy')).toHaveLength(1);
    expect(probe.calls.filter((c) => c === 'attachPolicy')).toHaveLength(1);
    expect(await db.prisma.auditEvent.count({ where: { targetId: grant.id, action: 'grant.applied' } })).toBe(1);
  });

  it("right after an approval, that request's grant alone is applied, once even when another replica and the job race it; a scheduled start waits", async () => {
    await runGrantLifecycle(grants);
    const waiting = await approvedRequest();
    const approved = await approvedRequest();
    probe.calls.length = 0;
    expect(await applyGrantOfRequest(grants, approved.request.id)).toBe('applied');
    expect(probe.calls).toEqual(['ensurePolicy', 'attachPolicy']);
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: approved.grant.id } })).status).toBe('ACTIVE');
    expect(await attachedTo(approved.grant.policyName)).toEqual(['user/minji.kim']);
    // Only that one: another approval's grant is still the job's (or its own immediate apply's).
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: waiting.grant.id } })).status).toBe('PENDING');
    expect(await applyGrantOfRequest(grants, approved.request.id)).toBe('skipped');

    // Two replicas' immediate applies and the job at the same time: one policy, one attachment, one event.
    probe.calls.length = 0;
    const results = await Promise.all([
      applyGrantOfRequest(grants, waiting.request.id),
      applyGrantOfRequest(grants, waiting.request.id),
      runGrantLifecycle(grants),
    ]);
    expect(results.slice(0, 2).filter((r) => r === 'applied').length + (results[2] as { applied: number }).applied).toBe(1);
    expect(probe.calls.filter((c) => c === 'ensurePolicy')).toHaveLength(1);
    expect(probe.calls.filter((c) => c === 'attachPolicy')).toHaveLength(1);
    expect(await db.prisma.auditEvent.count({ where: { targetId: waiting.grant.id, action: 'grant.applied' } })).toBe(1);

    // A grant that starts later is not applied early; the job applies it when it is due.
    const later = await approvedRequest(60, 'usr_minji_kim', new Date(clock.getTime() + 30 * 60_000));
    probe.calls.length = 0;
    expect(await applyGrantOfRequest(grants, later.request.id)).toBe('skipped');
    expect(probe.calls).toEqual([]);
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: later.grant.id } })).status).toBe('PENDING');
    expect(await applyGrantOfRequest(grants, 'req_does_not_exist')).toBe('none');
  });

  it('a throttled AWS leaves GRANT_FAILED with the error, and the retry finishes it', async () => {
    const { grant } = await approvedRequest();
    probe.failNext('attachPolicy', 1);
    expect(await applyGrant(grants, grant.id)).toBe('failed');
    const failed = await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(failed).toMatchObject({ status: 'GRANT_FAILED', attempts: 1, lastError: 'attachPolicy: Rate exceeded' });
    // Not retried before its time (15 s backoff, half of it jitter: 11.25 s with random 0.5).
    expect(failed.nextAttemptAt.getTime() - clock.getTime()).toBe(11_250);
    expect(await applyGrant(grants, grant.id)).toBe('skipped');
    clock = new Date(clock.getTime() + 12_000);
    expect(await applyGrant(grants, grant.id)).toBe('applied');
    expect(await attachedTo(grant.policyName)).toEqual(['user/minji.kim']);
  });

  it('giving back removes the policy at once; overlapping grants keep their own access', async () => {
    const a = await approvedRequest();
    const b = await approvedRequest();
    await runGrantLifecycle(grants);
    await expect(endGrant(grants, a.grant.id, 'GIVEN_BACK', { actor: users.usr_daniel_okafor!, comment: '', origin: null })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await endGrant(grants, a.grant.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: 'done', origin: null })).toEqual({ status: 'ENDED' });
    expect(await attachedTo(a.grant.policyName)).toBeNull();
    expect(await attachedTo(b.grant.policyName)).toEqual(['user/minji.kim']);
    expect((await db.prisma.accessRequest.findUniqueOrThrow({ where: { id: a.request.id } })).status).toBe('ENDED');
    await expect(endGrant(grants, a.grant.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: '', origin: null })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('security revokes with a reason; an engineer cannot', async () => {
    const { grant } = await approvedRequest();
    await runGrantLifecycle(grants);
    await expect(endGrant(grants, grant.id, 'REVOKED', { actor: users.usr_minji_kim!, comment: 'no', origin: null })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(endGrant(grants, grant.id, 'REVOKED', { actor: users.usr_lucas_meyer!, comment: '', origin: null })).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
    expect(await endGrant(grants, grant.id, 'REVOKED', { actor: users.usr_lucas_meyer!, comment: 'Ticket closed early', origin: null })).toEqual({
      status: 'ENDED',
    });
    expect(await attachedTo(grant.policyName)).toBeNull();
  });

  it('a give-back answers ENDING when AWS is slow, and the removal it started still finishes', async () => {
    const { grant } = await approvedRequest();
    await runGrantLifecycle(grants);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const errors: unknown[] = [];
    // IAM hangs on the detach (a throttled AWS deep in its retries) until the test releases it.
    const slow: GrantDeps = {
      ...grants,
      endWaitMs: 50,
      onBackgroundError: (e) => errors.push(e),
      iam: () => ({ ...probe.iam, detachPolicy: async (...a) => (await gate, probe.iam.detachPolicy(...a)) }),
    };
    const started = Date.now();
    expect(await endGrant(slow, grant.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: 'done early', origin: null })).toEqual({ status: 'ENDING' });
    expect(Date.now() - started).toBeLessThan(5_000);
    // The end is recorded before the answer: a second give-back is a conflict, and the audit has it.
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('ENDING');
    await expect(endGrant(slow, grant.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: '', origin: null })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await db.prisma.auditEvent.count({ where: { action: 'grant.given_back', targetId: grant.id } })).toBe(1);
    // The job leaves the leased removal alone meanwhile; once AWS answers, the removal ends it.
    expect((await runGrantLifecycle(grants)).removed).toBe(0);
    release();
    await expect.poll(async () => (await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('ENDED');
    expect(await attachedTo(grant.policyName)).toBeNull();
    expect(await db.prisma.auditEvent.count({ where: { action: 'grant.removed', targetId: grant.id } })).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a give-back whose removal fails (the database gone after the end was recorded) answers ENDING, logs once, and the job finishes it', async () => {
    const { grant } = await approvedRequest();
    await runGrantLifecycle(grants);
    const errors: unknown[] = [];
    let failLease = true;
    const store = {
      ...grants.store,
      lease: (...a: Parameters<GrantDeps['store']['lease']>) =>
        failLease ? Promise.reject(new Error('Connection terminated unexpectedly')) : grants.store.lease(...a),
    };
    const flaky: GrantDeps = { ...grants, store, endWaitMs: 3_000, onBackgroundError: (e) => errors.push(e) };
    expect(await endGrant(flaky, grant.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: '', origin: null })).toEqual({ status: 'ENDING' });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('Connection terminated');
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('ENDING');
    failLease = false;
    await runGrantLifecycle(grants);
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('ENDED');
    expect(await attachedTo(grant.policyName)).toBeNull();
  });

  it('a give-back answers at once when AWS is quick, with the wait set', async () => {
    const { grant } = await approvedRequest();
    await runGrantLifecycle(grants);
    expect(await endGrant({ ...grants, endWaitMs: 3_000 }, grant.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: '', origin: null })).toEqual({
      status: 'ENDED',
    });
    expect(await attachedTo(grant.policyName)).toBeNull();
  });

  it('expires grants at their end, and a removal that fails is retried until the policy is gone', async () => {
    const { grant } = await approvedRequest(15);
    await runGrantLifecycle(grants);
    clock = new Date(clock.getTime() + 16 * 60_000);
    probe.failNext('deletePolicy', 1);
    const first = await runGrantLifecycle(grants);
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('ENDING');
    clock = new Date(clock.getTime() + 60_000);
    await runGrantLifecycle(grants);
    expect(await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ status: 'ENDED', endReason: 'EXPIRED' });
    expect(await attachedTo(grant.policyName)).toBeNull();
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('a registration creates the secret (tagged, random value, exact ARN in the policy) and puts it in the catalog', async () => {
    const r = await createRequest(
      access,
      users.usr_minji_kim!,
      {
        type: 'SECRET_REGISTER',
        environment: 'DEV',
        teamId: 'team_payments',
        secretName: `webhook-key-${kind}`,
        description: 'Signs payout webhooks',
        justification: 'New payout webhook signing key',
        durationMinutes: 60,
        breakGlass: false,
      } as CreateRequestInput,
      null,
    );
    await decideRequest(access, signedIn(users.usr_seoyeon_park!, access.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, null);
    const name = `dev/payments/webhook-key-${kind}`;
    const pending = await db.prisma.grant.findUniqueOrThrow({ where: { requestId: r.id } });
    // What the approver saw: the new name's ARN up to AWS's random suffix.
    expect(pending).toMatchObject({
      kind: 'SECRET_REGISTER',
      status: 'PENDING',
      resourceArn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-??????`,
      setupAt: null,
    });
    // AWS is throttled right after the secret was created: the retry does not create it twice.
    probe.failNext('ensurePolicy', 1);
    expect(await applyGrant(grants, pending.id)).toBe('failed');
    const created = await db.prisma.grant.findUniqueOrThrow({ where: { id: pending.id } });
    expect(created.setupAt).not.toBeNull();
    expect(created.resourceArn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-[A-Za-z0-9]{6}$`));
    clock = new Date(clock.getTime() + 12_000);
    expect(await applyGrant(grants, pending.id)).toBe('applied');
    const active = await db.prisma.grant.findUniqueOrThrow({ where: { id: pending.id } });
    expect(active.resourceArn).toBe(created.resourceArn);
    expect(active.policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SetTheNewSecretsValue',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
          Resource: [created.resourceArn],
          Condition: { DateLessThan: { 'aws:CurrentTime': active.endsAt.toISOString() } },
        },
      ],
    });
    const secrets = (await createSandboxSecrets(createSandboxStore(db.prisma)).listSecrets()).filter((x) => x.name === name);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.tags).toEqual({
      team: 'payments',
      env: 'dev',
      owner: 'minji.kim@example.com',
      'gatehouse:request': r.id,
      'gatehouse:grant': pending.id,
    });
    expect(secrets[0]!.valueSetAt).toBeTruthy();
    expect(await db.prisma.catalogSecret.findUniqueOrThrow({ where: { name } })).toMatchObject({
      arn: created.resourceArn,
      environment: 'DEV',
      teamId: 'team_payments',
      description: 'Signs payout webhooks',
    });
    expect(await db.prisma.auditEvent.count({ where: { targetId: pending.id, action: 'grant.secret_created' } })).toBe(1);
    // The same name from another grant is somebody else's secret.
    await expect(
      createSandboxSecrets(createSandboxStore(db.prisma)).createSecret({ name, description: '', tags: {}, idempotencyKey: 'another-grant' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // Giving back removes the write access; the secret stays, in the catalog.
    expect(await endGrant(grants, pending.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: 'value set', origin: null })).toEqual({ status: 'ENDED' });
    expect(await attachedTo(pending.policyName)).toBeNull();
    expect(await db.prisma.catalogSecret.count({ where: { name } })).toBe(1);
  });

  it('a role grant materialises the team role; its end cuts its own sessions and leaves another holder alone', async () => {
    const role = 'role_payments_dev_on_call';
    const ask = async (userId: string) => {
      const r = await createRequest(
        access,
        users[userId]!,
        { type: 'ROLE', roleId: role, justification: 'On call this week for payouts', durationMinutes: 120, breakGlass: false } as CreateRequestInput,
        null,
      );
      await decideRequest(access, signedIn(users.usr_seoyeon_park!, access.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, null);
      return db.prisma.grant.findUniqueOrThrow({ where: { requestId: r.id } });
    };
    const mine = await ask('usr_minji_kim');
    const theirs = await ask('usr_lucas_meyer');
    const arn = 'arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-payments-dev-on-call';
    expect(mine).toMatchObject({ kind: 'ROLE', resourceArn: arn });
    expect((mine.policy as { Statement: { Condition: Record<string, unknown> }[] }).Statement[1]!.Condition.StringEquals).toEqual({
      'aws:RequestTag/gatehouse-grant': mine.id,
    });
    await runGrantLifecycle(grants);
    const roles = await sandboxIam().listRoles('/gatehouse/roles/');
    const materialised = roles.find((x) => x.arn === arn)!;
    expect(materialised).toMatchObject({ maxSessionDuration: 3600, tags: { team: 'payments', env: 'dev', function: 'on-call', 'gatehouse:managed': 'true' } });
    // The seed's policy, one statement per service on the team's resources in the environment.
    expect(materialised.inlinePolicies['gatehouse-permissions']!.Statement.map((st) => ({ Action: st.Action, Resource: st.Resource }))).toEqual([
      { Action: ['sqs:StartMessageMoveTask', 'sqs:GetQueueAttributes'], Resource: ['arn:aws:sqs:*:111122223333:dev-payments-*'] },
      { Action: ['logs:FilterLogEvents'], Resource: ['arn:aws:logs:*:111122223333:log-group:/aws/lambda/dev-payments-*'] },
      { Action: ['cloudwatch:DescribeAlarms'], Resource: ['arn:aws:cloudwatch:*:111122223333:alarm:dev-payments-*'] },
    ]);
    expect(materialised.trustPolicy.Statement.every((st) => st.Condition.Null?.['aws:RequestTag/gatehouse-grant'] === 'false')).toBe(true);
    expect(await attachedTo(mine.policyName)).toEqual(['user/minji.kim']);

    expect(await endGrant(grants, mine.id, 'GIVEN_BACK', { actor: users.usr_minji_kim!, comment: 'handed over', origin: null })).toEqual({ status: 'ENDED' });
    const after = (await sandboxIam().listRoles('/gatehouse/roles/')).find((x) => x.arn === arn)!;
    const revoked = after.inlinePolicies['gatehouse-revoked-sessions']!;
    expect(revoked.Statement).toHaveLength(1);
    expect(revoked.Statement[0]).toMatchObject({ Effect: 'Deny', Action: ['*'], Condition: { StringEquals: { 'aws:PrincipalTag/gatehouse-grant': mine.id } } });
    expect(Date.parse(revoked.Statement[0]!.Condition!.DateLessThan!['aws:TokenIssueTime'] as string)).toBeGreaterThan(clock.getTime());
    expect(await attachedTo(mine.policyName)).toBeNull();
    expect(await attachedTo(theirs.policyName)).toEqual(['user/lucas.meyer']);
    expect(await db.prisma.auditEvent.count({ where: { targetId: mine.id, action: 'grant.role_ensured' } })).toBe(1);
  });

  it('shortening moves the end in the stored and the applied policy; the job then ends it by itself', async () => {
    const { grant } = await approvedRequest(60);
    await runGrantLifecycle(grants);
    const soon = new Date(clock.getTime() + 5 * 60_000);
    await expect(shortenGrant(grants, grant.id, soon, { actor: users.usr_daniel_okafor!, comment: '', origin: null })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // Security shortens anyone's grant from the portal, but not through an API token: 404 as for anyone else.
    const securityToken = { ...users.usr_seoyeon_park!, token: { id: 'tok_1', scopes: ['request' as const] } };
    await expect(shortenGrant(grants, grant.id, soon, { actor: securityToken, comment: '', origin: null })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      shortenGrant(grants, grant.id, new Date(clock.getTime() + 2 * 3_600_000), { actor: users.usr_minji_kim!, comment: '', origin: null }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    await expect(
      shortenGrant(grants, grant.id, new Date(clock.getTime() - 1000), { actor: users.usr_minji_kim!, comment: '', origin: null }),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await shortenGrant(grants, grant.id, soon, { actor: users.usr_minji_kim!, comment: 'done sooner', origin: null })).toMatchObject({
      status: 'ACTIVE',
      appliedInAws: true,
    });
    const inAws = (await sandboxIam().listPolicies(GRANT_POLICY_PATH)).find((p) => p.name === grant.policyName)!;
    expect(inAws.document.Statement[0]!.Condition).toEqual({ DateLessThan: { 'aws:CurrentTime': soon.toISOString() } });
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).endsAt).toEqual(soon);
    clock = new Date(soon.getTime() + 1000);
    await runGrantLifecycle(grants);
    expect(await db.prisma.grant.findUniqueOrThrow({ where: { id: grant.id } })).toMatchObject({ status: 'ENDED', endReason: 'EXPIRED' });
    expect(await attachedTo(grant.policyName)).toBeNull();
    expect(await db.prisma.auditEvent.count({ where: { targetId: grant.id, action: 'grant.shortened' } })).toBe(1);
  });

  it('a PROD grant acts in prod’s account only: the policy, a registered secret and a team role land there, and giving back removes them there', async () => {
    // Two accounts: dev's must never be touched by a PROD grant (any call there fails the grant).
    const dev = createMemoryIam('111122223333');
    dev.failWith = new Error('dev’s account was asked about a PROD grant');
    const prod = createMemoryIam('444455556666');
    const prodSecrets = createMemorySecrets('444455556666', 'eu-central-1');
    const devSecrets = createMemorySecrets('111122223333', 'us-east-1');
    const asked: string[] = [];
    const accounts: GrantDeps = {
      ...grants,
      iam: (environment) => (asked.push(`iam:${environment}`), environment === 'PROD' ? prod : dev),
      secrets: (environment) => (asked.push(`secrets:${environment}`), environment === 'PROD' ? prodSecrets : devSecrets),
    };
    const jaewon = (await findActiveActor('usr_jaewon_choi', db.prisma))!;
    const approveTwice = async (requestId: string, second: Actor = users.usr_lucas_meyer!) => {
      await decideRequest(access, signedIn(users.usr_seoyeon_park!, access.now()), { requestId, kind: 'APPROVE', comment: '' }, null);
      await decideRequest(access, signedIn(second, access.now()), { requestId, kind: 'APPROVE', comment: '' }, null);
      return db.prisma.grant.findUniqueOrThrow({ where: { requestId } });
    };
    const ask = (input: Partial<CreateRequestInput>) =>
      createRequest(
        access,
        users.usr_minji_kim!,
        { justification: 'Incident follow-up in production', durationMinutes: 60, breakGlass: false, ...input } as CreateRequestInput,
        null,
      );

    const read = await approveTwice((await ask({ type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key' })).id);
    expect(await applyGrant(accounts, read.id)).toBe('applied');
    const policyArn = `arn:aws:iam::444455556666:policy/gatehouse/${read.policyName}`;
    expect(prod.policies.get(read.policyName)).toMatchObject({ arn: policyArn, attachedTo: [{ kind: 'IAM_USER', name: 'minji.kim' }] });
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: read.id } })).policyArn).toBe(policyArn);

    const register = await approveTwice(
      (await ask({ type: 'SECRET_REGISTER', environment: 'PROD', teamId: 'team_payments', secretName: `cross-${kind}`, description: 'A prod key' })).id,
    );
    expect(await applyGrant(accounts, register.id)).toBe('applied');
    const created = prodSecrets.secrets.get(`prod/payments/cross-${kind}`)!;
    expect(created.arn).toBe(`arn:aws:secretsmanager:eu-central-1:444455556666:secret:prod/payments/cross-${kind}-AbCdEf`);
    expect((await db.prisma.grant.findUniqueOrThrow({ where: { id: register.id } })).resourceArn).toBe(created.arn);
    expect(prod.policies.get(register.policyName)?.attachedTo).toEqual([{ kind: 'IAM_USER', name: 'minji.kim' }]);

    const role = await approveTwice((await ask({ type: 'ROLE', roleId: 'role_payments_prod_on_call' })).id, jaewon);
    expect(await applyGrant(accounts, role.id)).toBe('applied');
    expect(prod.roles.get('gatehouse-payments-prod-on-call')?.arn).toBe('arn:aws:iam::444455556666:role/gatehouse/roles/gatehouse-payments-prod-on-call');

    // Giving back and revoking remove each policy in prod's account, and cut the role's sessions there.
    for (const [g, reason, actor] of [
      [read, 'GIVEN_BACK', users.usr_minji_kim!],
      [register, 'GIVEN_BACK', users.usr_minji_kim!],
      [role, 'REVOKED', users.usr_lucas_meyer!],
    ] as const)
      expect(await endGrant(accounts, g.id, reason, { actor, comment: 'Done with it', origin: null })).toEqual({ status: 'ENDED' });
    expect([...prod.policies.keys()]).toEqual([]);
    expect(prod.roles.get('gatehouse-payments-prod-on-call')?.inline.get('gatehouse-revoked-sessions')?.Statement).toHaveLength(1);
    expect(dev.policies.size + devSecrets.secrets.size).toBe(0);
    expect(new Set(asked)).toEqual(new Set(['iam:PROD', 'secrets:PROD']));
  });

  it('an account whose role cannot be assumed fails only its own grants: they wait for a retry, the other account’s apply', async () => {
    const dev = createMemoryIam('111122223333');
    const prod = createMemoryIam('444455556666');
    prod.failWith = new AppError('UNAVAILABLE', 'AWS STS AssumeRole of arn:aws:iam::444455556666:role/gatehouse-prod failed: AccessDenied');
    const accounts: GrantDeps = { ...grants, iam: (environment) => (environment === 'PROD' ? prod : dev) };
    const devGrant = (await approvedRequest()).grant;
    const r = await createRequest(
      access,
      users.usr_minji_kim!,
      {
        type: 'SECRET_READ',
        secretId: 'sec_prod_payments_stripe_api_key',
        justification: 'Incident follow-up in production',
        durationMinutes: 60,
        breakGlass: false,
      } as CreateRequestInput,
      null,
    );
    for (const approver of [users.usr_seoyeon_park!, users.usr_lucas_meyer!])
      await decideRequest(access, signedIn(approver, access.now()), { requestId: r.id, kind: 'APPROVE', comment: '' }, null);
    const prodGrant = await db.prisma.grant.findUniqueOrThrow({ where: { requestId: r.id } });
    expect(await applyGrant(accounts, prodGrant.id)).toBe('failed');
    expect(await applyGrant(accounts, devGrant.id)).toBe('applied');
    expect(await db.prisma.grant.findUniqueOrThrow({ where: { id: prodGrant.id } })).toMatchObject({
      status: 'GRANT_FAILED',
      lastError: expect.stringContaining('arn:aws:iam::444455556666:role/gatehouse-prod'),
    });
    expect(dev.policies.get(devGrant.policyName)?.attachedTo).toEqual([{ kind: 'IAM_USER', name: 'minji.kim' }]);
    // Once prod's role can be assumed again, the retry applies it there.
    prod.failWith = null;
    clock = new Date(clock.getTime() + 12_000);
    expect(await applyGrant(accounts, prodGrant.id)).toBe('applied');
    expect(prod.policies.get(prodGrant.policyName)?.attachedTo).toEqual([{ kind: 'IAM_USER', name: 'minji.kim' }]);
  });

  it('refuses a request from a user without an AWS identity', async () => {
    await db.prisma.awsPrincipal.deleteMany({ where: { userId: 'usr_daniel_okafor' } });
    await expect(
      createRequest(
        access,
        users.usr_daniel_okafor!,
        {
          type: 'SECRET_READ',
          secretId: DEV_STRIPE,
          justification: 'Checking the payout job config',
          durationMinutes: 60,
          breakGlass: false,
        } as CreateRequestInput,
        null,
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE', message: expect.stringMatching(/no AWS identity mapped/) });
  });
});
