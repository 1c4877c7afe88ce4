import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseParameterFile, resolveParameters, resourcesFor } from '@/lib/deployments/template-model';
import { parseTemplate } from '@/lib/deployments/template-parse';
import { summarizeExecution } from '@/lib/deployments/progress';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { createSandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';

const TEMPLATE = readFileSync(path.join(process.cwd(), 'infra/template.yaml'), 'utf8');
const DEV = parseParameterFile(readFileSync(path.join(process.cwd(), 'infra/parameters/dev.json'), 'utf8'));
const STAGING = parseParameterFile(readFileSync(path.join(process.cwd(), 'infra/parameters/staging.json'), 'utf8'));
const DURATION = 30_000;

describe('sandbox CloudFormation', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t = Date.parse('2026-11-29T10:00:00Z');
  const clock = () => new Date(t);
  let cfn: ReturnType<typeof createSandboxCloudFormation>;
  beforeAll(async () => {
    db = await createTestDatabase('embedded');
    // Traffic shifts take no time here (they have their own suite, traffic-shift.test.ts): an execution takes DURATION.
    cfn = createSandboxCloudFormation(createSandboxStore(db.prisma), { region: 'eu-central-1', durationMs: DURATION, shiftMinuteMs: 0, now: clock });
  });
  afterAll(async () => db.drop());

  const plan = (stackName: string, changeSetName: string, parameters: Record<string, string>, extra: { type?: 'CREATE' | 'UPDATE'; fail?: string } = {}) =>
    cfn.createChangeSet({
      stackName,
      changeSetName,
      changeSetType: extra.type ?? 'UPDATE',
      templateBody: TEMPLATE,
      parameters,
      description: 'test',
      ...(extra.fail ? { sandboxFailResource: extra.fail } : {}),
    });

  it('creates a stack: a CREATE change set adds every resource, the execution walks through events to CREATE_COMPLETE', async () => {
    expect(await cfn.describeStack('serverless-dev')).toBeNull();
    const { changeSetId } = await plan('serverless-dev', 'gatehouse-c1', DEV, { type: 'CREATE' });
    expect((await cfn.describeStack('serverless-dev'))?.status).toBe('REVIEW_IN_PROGRESS');
    const cs = await cfn.describeChangeSet('serverless-dev', changeSetId);
    const expected = resourcesFor(parseTemplate(TEMPLATE), resolveParameters(parseTemplate(TEMPLATE), DEV)).length;
    expect(cs).toMatchObject({ status: 'CREATE_COMPLETE', executionStatus: 'AVAILABLE' });
    expect(cs.changes).toHaveLength(expected);
    expect(new Set(cs.changes.map((c) => c.action))).toEqual(new Set(['Add']));
    // References to resources not created yet are known only after the execution.
    expect(cs.changes.find((c) => c.logicalId === 'ApiFunction')!.afterContext).toContain('{{changeSet:KNOWN_AFTER_APPLY}}');
    // The parameter files send egress through the proxy: the notifier gets the proxy endpoint's DNS name (a list attribute, split).
    expect(DEV.EgressMode).toBe('proxy');
    expect(cs.changes.find((c) => c.logicalId === 'NotifierFunction')!.afterContext).toMatch(/"EGRESS_PROXY_URL":"http:\/\/[^"]+:3128"/);

    const baseline = await cfn.latestStackEventId('serverless-dev');
    const start = t;
    await cfn.executeChangeSet('serverless-dev', changeSetId, 'tok-1');
    // Idempotent with the same token.
    await cfn.executeChangeSet('serverless-dev', changeSetId, 'tok-1');
    expect((await cfn.describeStack('serverless-dev'))?.status).toBe('CREATE_IN_PROGRESS');
    t = start + DURATION / 2;
    const mid = await cfn.listStackEvents('serverless-dev', { afterEventId: baseline, notBefore: new Date(start - 1000) });
    const midSummary = summarizeExecution(mid, { stackName: 'serverless-dev', total: expected });
    expect(midSummary.done).toBeGreaterThan(0);
    expect(midSummary.done).toBeLessThan(expected);
    t = start + DURATION + 1;
    const all = await cfn.listStackEvents('serverless-dev', { afterEventId: baseline, notBefore: new Date(start - 1000) });
    expect(all.slice(0, mid.length)).toEqual(mid);
    expect(summarizeExecution(all, { stackName: 'serverless-dev', total: expected })).toMatchObject({
      done: expected,
      percent: 100,
      outcome: 'SUCCEEDED',
      failure: null,
    });
    const stack = await cfn.describeStack('serverless-dev');
    expect(stack).toMatchObject({ status: 'CREATE_COMPLETE', lastUpdatedAt: null, parameters: expect.objectContaining({ Environment: 'dev' }) });
    expect(stack!.outputs.find((o) => o.key === 'ApiUrl')?.value).toMatch(/^https:\/\/[0-9a-f]+\.execute-api\.eu-central-1\.amazonaws\.com$/);
    expect(await cfn.getTemplateBody('serverless-dev')).toBe(TEMPLATE);
    expect((await cfn.describeChangeSet('serverless-dev', changeSetId)).executionStatus).toBe('EXECUTE_COMPLETE');
  });

  it('plans an update as CloudFormation would: the changed code, the version replaced, the alias after it', async () => {
    const { changeSetId } = await plan('serverless-dev', 'gatehouse-u1', { ...DEV, ApiCodeKey: 'api/abc123.zip' });
    const cs = await cfn.describeChangeSet('serverless-dev', changeSetId);
    const byId = Object.fromEntries(cs.changes.map((c) => [c.logicalId, c]));
    expect(Object.keys(byId).sort()).toEqual(['ApiAlias', 'ApiFunction', 'ApiVersion']);
    expect(byId.ApiFunction).toMatchObject({
      action: 'Modify',
      replacement: 'False',
      details: [
        { path: '/Properties/Code/S3Key', beforeValue: 'api/unbuilt.zip', afterValue: 'api/abc123.zip', requiresRecreation: 'Never', evaluation: 'Static' },
      ],
    });
    expect(byId.ApiVersion).toMatchObject({
      replacement: 'True',
      details: [{ name: 'Description', requiresRecreation: 'Always', afterValue: 'api/abc123.zip (release initial)' }],
    });
    expect(byId.ApiAlias!.details).toEqual([
      expect.objectContaining({
        name: 'FunctionVersion',
        evaluation: 'Dynamic',
        causingEntity: 'ApiVersion.Version',
        beforeValue: '1',
        afterValue: '{{changeSet:KNOWN_AFTER_APPLY}}',
      }),
    ]);
  });

  it('says when nothing would change, and refuses parameters CloudFormation would refuse', async () => {
    const { changeSetId } = await plan('serverless-dev', 'gatehouse-same', DEV);
    expect(await cfn.describeChangeSet('serverless-dev', changeSetId)).toMatchObject({
      status: 'FAILED',
      statusReason: expect.stringContaining("didn't contain changes"),
      changes: [],
    });
    await expect(plan('serverless-dev', 'gatehouse-bad', { ...DEV, EgressMode: 'vpn' })).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      details: { awsError: 'ValidationError' },
    });
    await expect(plan('serverless-dev', 'gatehouse-exists', DEV, { type: 'CREATE' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('fails the named resource, cancels what ran beside it, rolls the update back and keeps the stack as it was', async () => {
    const before = await cfn.listResources('serverless-dev');
    const { changeSetId } = await plan('serverless-dev', 'gatehouse-fail', { ...DEV, ApiCodeKey: 'api/broken.zip' }, { fail: 'ApiFunction' });
    const baseline = await cfn.latestStackEventId('serverless-dev');
    const start = t;
    await cfn.executeChangeSet('serverless-dev', changeSetId, 'tok-f');
    t = start + DURATION * 3;
    const events = await cfn.listStackEvents('serverless-dev', { afterEventId: baseline, notBefore: new Date(start - 1000) });
    const statuses = events.filter((e) => e.logicalId === 'serverless-dev').map((e) => e.status);
    expect(statuses).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
    const s = summarizeExecution(events, { stackName: 'serverless-dev', total: 3 });
    expect(s.outcome).toBe('ROLLED_BACK');
    expect(s.failure).toMatchObject({
      logicalId: 'ApiFunction',
      status: 'UPDATE_FAILED',
      reason: expect.stringContaining('Simulated failure in the local sandbox account: AWS::Lambda::Function ApiFunction'),
    });
    expect((await cfn.describeStack('serverless-dev'))?.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(await cfn.listResources('serverless-dev')).toEqual(before);
    await expect(plan('serverless-dev', 'gatehouse-fail2', DEV, { fail: 'NotAResource' })).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
  });

  it('makes a change set obsolete once the stack changed, and refuses a second execution while one runs', async () => {
    const a = await plan('serverless-dev', 'gatehouse-a', { ...DEV, ReleaseLabel: 'a' });
    const b = await plan('serverless-dev', 'gatehouse-b', { ...DEV, ReleaseLabel: 'b' });
    const start = t;
    await cfn.executeChangeSet('serverless-dev', a.changeSetId, 'tok-a');
    await expect(cfn.executeChangeSet('serverless-dev', b.changeSetId, 'tok-b')).rejects.toMatchObject({ code: 'CONFLICT' });
    t = start + DURATION + 1;
    expect((await cfn.describeStack('serverless-dev'))?.status).toBe('UPDATE_COMPLETE');
    expect((await cfn.describeChangeSet('serverless-dev', b.changeSetId)).executionStatus).toBe('OBSOLETE');
    await expect(cfn.executeChangeSet('serverless-dev', b.changeSetId, 'tok-b')).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { awsError: 'InvalidChangeSetStatusException' },
    });
  });

  it('finds drift where a resource was changed or deleted behind its back, and a deployment that touches it clears it', async () => {
    expect((await cfn.describeStack('serverless-dev'))?.driftStatus).toBe('NOT_CHECKED');
    const edit = await cfn.simulateDrift('serverless-dev', 'ApiFunction', 'edit');
    expect(edit.description).toBe('ApiFunction.MemorySize was changed from 256 to 512 outside CloudFormation.');
    await cfn.simulateDrift('serverless-dev', 'JobsDeadLetterQueue', 'delete');
    const id = await cfn.detectStackDrift('serverless-dev');
    expect(await cfn.describeDriftDetection(id)).toEqual({ state: 'DETECTION_COMPLETE', stackDriftStatus: 'DRIFTED', driftedCount: 2, reason: null });
    const drifts = await cfn.listResourceDrifts('serverless-dev');
    expect(drifts).toEqual(
      [
        expect.objectContaining({ logicalId: 'JobsDeadLetterQueue', status: 'DELETED' }),
        expect.objectContaining({
          logicalId: 'ApiFunction',
          status: 'MODIFIED',
          differences: [{ path: '/MemorySize', expected: '256', actual: '512', type: 'NOT_EQUAL' }],
        }),
      ].sort((a, b) => (a.logicalId < b.logicalId ? 1 : -1)),
    );
    expect((await cfn.describeStack('serverless-dev'))?.driftStatus).toBe('DRIFTED');

    const { changeSetId } = await plan('serverless-dev', 'gatehouse-d2', { ...DEV, ApiCodeKey: 'api/fixed.zip' });
    const start = t;
    await cfn.executeChangeSet('serverless-dev', changeSetId, 'tok-d2');
    t = start + DURATION + 1;
    const again = await cfn.detectStackDrift('serverless-dev');
    expect((await cfn.describeDriftDetection(again)).driftedCount).toBe(1);
    expect((await cfn.listResourceDrifts('serverless-dev')).map((d) => d.logicalId)).toEqual(['JobsDeadLetterQueue']);
  });

  it('seeds a deployed stack with its creation history once', async () => {
    const created = new Date(Date.parse('2026-10-30T09:00:00Z'));
    expect(await cfn.seedStack('serverless-staging', TEMPLATE, { ...STAGING, ReleaseLabel: 'r2026.10.30' }, created)).toBe(true);
    expect(await cfn.seedStack('serverless-staging', TEMPLATE, STAGING, created)).toBe(false);
    const stack = await cfn.describeStack('serverless-staging');
    expect(stack).toMatchObject({ status: 'CREATE_COMPLETE', createdAt: created, parameters: expect.objectContaining({ ReleaseLabel: 'r2026.10.30' }) });
    const events = await cfn.listStackEvents('serverless-staging', { afterEventId: null, notBefore: new Date(0) });
    expect(events[0]).toMatchObject({ status: 'CREATE_IN_PROGRESS', reason: 'User Initiated' });
    expect(events.at(-1)).toMatchObject({ status: 'CREATE_COMPLETE', logicalId: 'serverless-staging' });
    const { changeSetId } = await plan('serverless-staging', 'gatehouse-s1', STAGING);
    const changes = (await cfn.describeChangeSet('serverless-staging', changeSetId)).changes;
    expect(
      changes
        .filter((c) => c.replacement === 'True')
        .map((c) => c.logicalId)
        .sort(),
    ).toEqual(['ApiVersion', 'NotifierVersion', 'WorkerVersion']);
  });
});
