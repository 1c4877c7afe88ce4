import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeDeployment, planDeployment, runDeploymentJobs, startDriftDetection, decideDeployment, type DeploymentDeps } from '@/lib/deployments/service';
import type { Environment } from '@/lib/environments';
import type { Actor } from '@/lib/identity/actor';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createDeploymentStore, findDeploymentView } from '@/lib/server/db/repositories/deployments';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { recordTestRelease, createTestDatabase } from '@/lib/server/db/test-databases';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';
import { createSandboxCloudFormation, type SandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';
import { seedSandboxStacks } from '@/lib/server/sandbox/seed-stacks';
import { seed } from '@/prisma/seed';

// Two accounts (docs/decisions/039), each its own sandbox CloudFormation on its own database: the
// dev account has no stacks yet, the prod account has the seeded prod stack. Each environment's
// stack is planned, executed, watched and drift-checked in its own account only.

const DURATION = 20_000;
// A simulated minute of a traffic shift: prod's 10-minute canary takes 1.1 s here (traffic-shift.test.ts follows one closely).
const SHIFT_MINUTE_MS = 100;

describe('deployments across accounts', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let prodAccountDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let t = Date.parse('2026-11-29T10:00:00Z');
  const clock = () => new Date(t);
  let deps: DeploymentDeps;
  let devAccount: SandboxCloudFormation;
  let prodAccount: SandboxCloudFormation;
  const asked: Environment[] = [];
  let ids = 0;
  const users: Record<string, Actor> = {};

  async function advance(ms: number) {
    for (let done = 0; done < ms; done += 3_000) {
      t += Math.min(3_000, ms - done);
      await runDeploymentJobs(deps);
    }
  }

  beforeAll(async () => {
    [db, prodAccountDb] = await Promise.all([createTestDatabase('embedded'), createTestDatabase('embedded')]);
    await seed(db.prisma);
    const templates = createFileTemplateSource();
    await seedSandboxStacks(createSandboxStore(prodAccountDb.prisma), templates, 'eu-central-1', clock());
    devAccount = createSandboxCloudFormation(createSandboxStore(db.prisma), {
      region: 'eu-central-1',
      durationMs: DURATION,
      shiftMinuteMs: SHIFT_MINUTE_MS,
      now: clock,
    });
    prodAccount = createSandboxCloudFormation(createSandboxStore(prodAccountDb.prisma), {
      region: 'eu-central-1',
      durationMs: DURATION,
      shiftMinuteMs: SHIFT_MINUTE_MS,
      now: clock,
    });
    deps = {
      store: createDeploymentStore(db.prisma),
      cfn: (environment) => {
        asked.push(environment);
        return environment === 'PROD' ? prodAccount : devAccount;
      },
      templates,
      releases: createReleaseStore(db.prisma),
      now: clock,
      newId: () => `acct${++ids}`,
      config: { approvals: { dev: 0, staging: 0, prod: 1 }, planTtlMs: 24 * 3_600_000, pollMs: 3_000, sandbox: true },
    };
    await recordTestRelease(db.prisma, 'test');
    for (const id of ['usr_priya_raman', 'usr_seoyeon_park']) users[id] = (await findActiveActor(id, db.prisma))!;
  });
  afterAll(async () => {
    await Promise.all([db.drop(), prodAccountDb.drop()]);
  });

  it('plans and executes prod in the prod account, which holds its stack, and leaves the dev account without it', async () => {
    const { id } = await planDeployment(deps, users.usr_priya_raman!, { environment: 'prod', parameters: {} }, null);
    // The prod account has the stack: an update. (Asked of the dev account it would be a creation.)
    expect(await findDeploymentView(id, db.prisma)).toMatchObject({
      changeSetType: 'UPDATE',
      stackName: 'serverless-prod',
      stackVersion: expect.not.stringMatching(/^none$/),
    });
    await decideDeployment(deps, users.usr_seoyeon_park!, { id, kind: 'APPROVE', comment: 'ok', confirmStackName: 'serverless-prod' }, null);
    await executeDeployment(deps, users.usr_priya_raman!, id, null);
    await advance(DURATION + 6_000);
    expect((await deps.store.find(id))!.status).toBe('SUCCEEDED');
    expect((await prodAccount.describeStack('serverless-prod'))?.status).toBe('UPDATE_COMPLETE');
    expect(await devAccount.describeStack('serverless-prod')).toBeNull();
    expect(new Set(asked)).toEqual(new Set(['PROD']));
  });

  it('creates dev in the dev account; the prod account gets no dev stack', async () => {
    asked.length = 0;
    const { id } = await planDeployment(deps, users.usr_priya_raman!, { environment: 'dev', parameters: {} }, null);
    expect(await findDeploymentView(id, db.prisma)).toMatchObject({ changeSetType: 'CREATE', stackName: 'serverless-dev' });
    await executeDeployment(deps, users.usr_priya_raman!, id, null);
    await advance(DURATION + 6_000);
    expect((await deps.store.find(id))!.status).toBe('SUCCEEDED');
    expect((await devAccount.describeStack('serverless-dev'))?.status).toBe('CREATE_COMPLETE');
    expect(await prodAccount.describeStack('serverless-dev')).toBeNull();
    expect(new Set(asked)).toEqual(new Set(['DEV']));
  });

  it('detects drift on the prod stack in the prod account', async () => {
    asked.length = 0;
    await prodAccount.simulateDrift('serverless-prod', 'Database', 'edit');
    const { id } = await startDriftDetection(deps, users.usr_priya_raman!, 'prod', null);
    await advance(6_000);
    expect(await deps.store.findDriftCheck(id)).toMatchObject({ status: 'COMPLETE', stackDriftStatus: 'DRIFTED' });
    expect(new Set(asked)).toEqual(new Set(['PROD']));
  });
});
