import { expect, sessionCookie, test, USERS } from './fixtures/test';

// The e2e server runs sandbox deployments in 6 s (GATEHOUSE_SANDBOX_DEPLOY_SECONDS in e2e/serve.mjs);
// the poll job looks every 3 s and the page every 2 s. Each test uses its own environment's stack.
const FOLLOW = { timeout: 40_000 };

test.describe('deployments', () => {
  test('plan dev with an earlier release, execute, then the newest: the code diff by release, the traffic shift, the history', async ({ page, loginAs }) => {
    test.setTimeout(150_000);
    await loginAs('OPS');
    await page.goto('/deployments');
    const dev = page.getByTestId('environment-dev');
    await expect(dev).toContainText('Not deployed yet: the first plan creates the stack.');
    await expect(dev).toContainText('Deploys without approval');
    // Two real releases (e2e/serve.mjs): an earlier one, built from a copy of the functions with one
    // message as it once read and recorded with npm run release -- --dir, then the build the server
    // started with (recorded at startup, as npm start does): the newest.
    const api = await page.request.get('/api/v1/releases');
    expect(api.status()).toBe(200);
    type Release = { id: string; gitCommit: string; gitDirty: boolean; builtBy: string; functions: { name: string; sha256: string; key: string }[] };
    const [newest, earlier, ...more] = (await api.json()).releases as Release[];
    expect(more).toEqual([]);
    expect(earlier!.builtBy).toBe('e2e/serve.mjs (an earlier release)');
    expect(earlier!.gitDirty).toBe(true);
    expect(newest!.builtBy).toMatch(/\(npm start\)$/);
    for (const r of [newest!, earlier!]) expect(r.id).toMatch(/^r-[0-9a-f]{12}$/);
    expect(newest!.id).not.toBe(earlier!.id);
    // Every function's zip differs: the code every function bundles differs.
    for (const i of [0, 1, 2]) expect(newest!.functions[i]!.sha256).not.toBe(earlier!.functions[i]!.sha256);
    const short = (r: Release, fn: string) => r.functions.find((f) => f.name === fn)!.sha256.slice(0, 12);
    const ref = (r: Release, fn: string) => `release ${r.id} (sha256 ${short(r, fn)})`;
    const releases = page.getByTestId('releases');
    await expect(releases).toContainText(newest!.id);
    await expect(releases).toContainText(earlier!.id);
    await expect(releases).toContainText(`api ${short(newest!, 'api')}`);
    await expect(releases).toContainText(`api ${short(earlier!, 'api')}`);
    await expect(dev.getByLabel('Release', { exact: true })).toHaveValue('');

    // The release sets ReleaseLabel: shown as the release picked, not editable.
    await dev.getByText('Parameters (', { exact: false }).click();
    const label = dev.getByLabel('ReleaseLabel', { exact: true });
    await expect(label).not.toBeEditable();
    await expect(label).toHaveValue(newest!.id);
    await dev.getByLabel('Release', { exact: true }).selectOption(earlier!.id);
    await expect(label).toHaveValue(earlier!.id);
    await dev.getByRole('button', { name: 'Plan Dev' }).click();
    await expect(page).toHaveURL(/\/deployments\/[a-z0-9]+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;

    await expect(page.getByRole('heading', { name: 'Dev: serverless-dev' })).toBeVisible();
    await expect(page.getByText('Creates the stack')).toBeVisible();
    // The plan deploys the release picked; the new stack had no code before.
    await expect(page.getByTestId('code-changes')).toContainText(`api: code: none -> ${ref(earlier!, 'api')}`);
    await expect(page.getByTestId('code-changes').locator('li')).toHaveCount(3);
    await expect(page.getByTestId('diff-summary')).toHaveText(/^\d{3} to add, 0 to modify \(0 replaced\), 0 to remove$/);
    await expect(page.getByTestId('change-diff').locator('tr[data-logical-id="ApiFunction"]')).toHaveAttribute('data-action', 'Add');

    await page.getByRole('button', { name: 'Execute change set' }).click();
    const bar = page.getByRole('progressbar', { name: 'Resources deployed' });
    await expect(bar).toBeVisible();
    await expect(bar).toHaveAttribute('aria-valuenow', '100', FOLLOW);
    await expect(page.getByTestId('deployment-live')).toContainText('Deployed.');
    await expect(page.getByTestId('progress-text')).toHaveText(/^100 % · (\d+) of \1 resources$/);
    // A created stack's aliases start on their first version: nothing to shift.
    await expect(page.getByTestId('traffic-shift')).toContainText('A new stack: each function’s alias is created on its first version');
    // Newest first: the stack's own completion is on top.
    const firstEvent = page.getByTestId('events').locator('tbody tr').first();
    await expect(firstEvent).toHaveAttribute('data-event-status', 'CREATE_COMPLETE');
    await expect(firstEvent).toContainText('serverless-dev');

    await page.goto('/deployments/history');
    const row = page.locator(`tr[data-deployment-id="${id}"]`);
    await expect(row).toContainText('Succeeded');
    await expect(row.getByTestId('deployment-result')).toHaveAttribute('data-result', 'SUCCEEDED');
    await expect(row.getByTestId('deployment-result')).toHaveText('Succeeded');
    await expect(row).toContainText(USERS.OPS.name);
    await expect(row).toContainText(/\d+ to add/);
    await expect(row.getByTestId('deployment-release')).toHaveText(earlier!.id);
    const csv = await page.request.get('/api/v1/deployments/history?format=csv&environment=dev');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toMatch(/^id,environment,stack,status,change_set_type,planned_by/);
    expect(lines.find((l) => l.startsWith(`${id},`))).toContain(`dev,serverless-dev,SUCCEEDED,CREATE,${USERS.OPS.name}`);
    expect(lines[0]).toContain(',change_summary,result,failed_resource,result_detail');
    expect(lines.find((l) => l.startsWith(`${id},`))).toMatch(/ to remove",succeeded,,$/);
    expect(lines[0]).toContain(',template_revision,release,parameters,');
    expect(lines.find((l) => l.startsWith(`${id},`))).toMatch(new RegExp(`,[0-9a-f]{64},${earlier!.id},`));

    // Dev runs the earlier release: behind what infra/ deploys with the newest.
    await page.goto('/deployments');
    await expect(dev).toContainText('Differs from infra/');
    // A label that contradicts the release is refused, naming why, and nothing is planned.
    const mislabelled = await page.request.post('/api/v1/deployments', { data: { environment: 'dev', parameters: { ReleaseLabel: earlier!.id } } });
    expect(mislabelled.status()).toBe(422);
    expect((await mislabelled.json()).error.message).toBe(
      `ReleaseLabel ${earlier!.id} does not name the release this plan deploys (${newest!.id}): the release sets it. Leave ReleaseLabel out, or pick the release to deploy.`,
    );

    // Release A -> release B: an update publishes new versions, and CodeDeploy shifts each alias (all at once in dev).
    await dev.getByRole('button', { name: 'Plan Dev' }).click();
    await expect(page).toHaveURL(/\/deployments\/[a-z0-9]+$/);
    const update = new URL(page.url()).pathname.split('/').pop()!;
    await expect(page.getByText('Updates the stack')).toBeVisible();
    const code = page.getByTestId('code-changes').locator('li');
    await expect(code).toHaveText(['api', 'worker', 'notifier'].map((fn) => `${fn}: code: ${ref(earlier!, fn)} -> ${ref(newest!, fn)}`));
    await expect(page.getByTestId('parameter-changes').locator('li[data-parameter="ReleaseLabel"]')).toHaveText(`ReleaseLabel: ${earlier!.id} → ${newest!.id}`);
    await expect(page.getByTestId('parameter-changes').locator('li[data-parameter="ApiCodeKey"]')).toHaveText(
      `ApiCodeKey: ${earlier!.functions[0]!.key} → ${newest!.functions[0]!.key}`,
    );
    for (const version of ['ApiVersion', 'WorkerVersion', 'NotifierVersion'])
      await expect(page.locator(`tr[data-logical-id="${version}"]`)).toHaveAttribute('data-replacement', 'True');
    console.info(`[e2e] plan diff: ${await code.first().textContent()}`);
    await page.getByRole('button', { name: 'Execute change set' }).click();
    const devShift = page.getByTestId('traffic-shift');
    for (const fn of ['api', 'worker', 'notifier']) {
      const row = devShift.locator(`tr[data-function="${fn}"]`);
      await expect(row).toHaveAttribute('data-percent', '100', FOLLOW);
      await expect(row).toHaveAttribute('data-shift-status', 'Succeeded');
      await expect(row).toHaveAttribute('data-rolled-back', 'false');
      await expect(row).toContainText('LambdaAllAtOnce');
      await expect(row).toContainText('v1 → v2');
      await expect(row.locator(`[data-alarm="serverless-dev-${fn}-errors"]`)).toHaveCount(1);
    }
    await expect(page.getByRole('meter', { name: 'Traffic of api on the new version' })).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByRole('progressbar', { name: 'Resources deployed' })).toHaveAttribute('aria-valuenow', '100', FOLLOW);
    await expect(page.getByTestId('deployment-live')).toContainText('Deployed.');
    await expect(page.locator('h1 ~ [data-deployment-status]')).toHaveAttribute('data-deployment-status', 'SUCCEEDED');

    await page.goto('/deployments/history?environment=dev');
    const updated = page.locator(`tr[data-deployment-id="${update}"]`);
    await expect(updated.getByTestId('deployment-result')).toHaveAttribute('data-result', 'SUCCEEDED');
    await expect(updated.getByTestId('deployment-release')).toHaveText(newest!.id);
    await page.goto('/deployments');
    await expect(dev).toContainText('Same as infra/');
  });

  test('prod: the author cannot approve, another user approves, then it runs', async ({ page, loginAs, browser }) => {
    test.setTimeout(90_000);
    await loginAs('OPS');
    await page.goto('/deployments');
    const prod = page.getByTestId('environment-prod');
    await expect(prod).toContainText('Differs from infra/');
    await prod.getByRole('button', { name: 'Plan Prod' }).click();
    await expect(page).toHaveURL(/\/deployments\/[a-z0-9]+$/);
    const url = page.url();
    const id = new URL(url).pathname.split('/').pop()!;

    // An update of a stack deployed from an older release: the versions are replaced (red), the database modified in place.
    await expect(page.getByText('Updates the stack')).toBeVisible();
    for (const version of ['ApiVersion', 'WorkerVersion', 'NotifierVersion'])
      await expect(page.locator(`tr[data-logical-id="${version}"]`)).toHaveAttribute('data-replacement', 'True');
    const database = page.locator('tr[data-logical-id="Database"]');
    await expect(database).toHaveAttribute('data-replacement', 'False');
    await expect(database.locator('[data-property="EngineVersion"]')).toContainText('16.3');
    await expect(database.locator('[data-property="EngineVersion"]')).toContainText('16.4');
    // The code by release, and every parameter that changes on the stack (the engine too), old -> new.
    const [release] = (await (await page.request.get('/api/v1/releases')).json()).releases as { id: string; functions: { name: string; sha256: string }[] }[];
    await expect(page.getByTestId('code-changes').locator('li')).toHaveCount(3);
    await expect(page.getByTestId('code-changes')).toContainText(`-> release ${release!.id}`);
    const parameterChanges = page.getByTestId('parameter-changes');
    await expect(parameterChanges.locator('li[data-parameter="DbEngineVersion"]')).toHaveText('DbEngineVersion: 16.3 → 16.4');
    await expect(parameterChanges.locator('li[data-parameter="ReleaseLabel"]')).toContainText(`→ ${release!.id}`);
    const apiSha = release!.functions.find((f) => f.name === 'api')!.sha256;
    await expect(parameterChanges.locator('li[data-parameter="ApiCodeKey"]')).toContainText(`→ gatehouse/artifacts/api/${apiSha}.zip`);

    await expect(page.getByTestId('author-cannot-approve')).toHaveText('You planned this deployment: another ops or security user must approve it.');
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Execute change set' })).toHaveCount(0);
    const early = await page.request.post(`/api/v1/deployments/${id}/execute`);
    expect(early.status()).toBe(409);
    expect((await early.json()).error.message).toContain('needs 1 approval from someone other than its author');
    const self = await page.request.post(`/api/v1/deployments/${id}/approve`, { data: {} });
    expect(self.status()).toBe(403);

    const security = await browser.newContext();
    await security.addCookies([await sessionCookie(USERS.SECURITY.id)]);
    const approver = await security.newPage();
    const approverErrors: string[] = [];
    approver.on('pageerror', (e) => approverErrors.push(e.message));
    await approver.goto(url);
    // The engine upgrade is a warning, shown before approving; prod needs the stack name typed.
    await expect(approver.getByTestId('plan-warnings')).toContainText('Database (AWS::RDS::DBInstance): engine version 16.3 -> 16.4');
    await approver.getByLabel('Comment (required to reject)').fill('Diff checked: versions and engine minor.');
    const approve = approver.getByRole('button', { name: 'Approve' });
    await expect(approve).toBeDisabled();
    const json = await (await approver.request.get(`/api/v1/deployments/${id}`)).json();
    expect(json.confirmationRequired).toBe(true);
    expect(json.warnings).toContainEqual(expect.objectContaining({ kind: 'ENGINE_VERSION', logicalId: 'Database', before: '16.3', after: '16.4' }));
    const untyped = await approver.request.post(`/api/v1/deployments/${id}/approve`, { data: { comment: 'no name', confirmStackName: 'serverless-pro' } });
    expect(untyped.status()).toBe(422);
    expect((await untyped.json()).error.message).toContain('type the stack name serverless-prod exactly to approve it');
    await approver.getByLabel('This prod plan has warnings: type the stack name serverless-prod to approve it').fill('serverless-prod');
    await approve.click();
    await expect(approver.getByTestId('deployment-approvals')).toContainText(USERS.SECURITY.name);
    await expect(approver.getByRole('heading', { name: 'Approvals (1/1)' })).toBeVisible();
    // Security approves but does not execute (deploy.execute is ops' and admins').
    await expect(approver.getByRole('button', { name: 'Execute change set' })).toHaveCount(0);
    expect(approverErrors).toEqual([]);
    await security.close();

    await page.reload();
    await expect(page.getByTestId('deployment-approvals')).toContainText('Diff checked: versions and engine minor.');
    await page.getByRole('button', { name: 'Execute change set' }).click();
    // CodeDeploy shifts each function's alias: prod's canary holds 10 % on the new version (a simulated
    // ten minutes, ten seconds here), watching the function's error alarm, then moves all of it.
    const shift = page.getByTestId('traffic-shift');
    const apiShift = shift.locator('tr[data-function="api"]');
    await expect(page.getByRole('meter', { name: 'Traffic of api on the new version' })).toHaveAttribute('aria-valuenow', '10', FOLLOW);
    await expect(apiShift).toContainText('10 % on the new version');
    await expect(apiShift).toContainText('LambdaCanary10Percent10Minutes');
    await expect(apiShift.locator('[data-alarm="serverless-prod-api-errors"]')).toHaveAttribute('data-alarm-state', 'OK');
    await expect(apiShift).toHaveAttribute('data-shift-status', 'InProgress');
    await expect(page.getByRole('progressbar', { name: 'Resources deployed' })).toHaveAttribute('aria-valuenow', '100', FOLLOW);
    for (const fn of ['api', 'worker', 'notifier']) {
      const row = shift.locator(`tr[data-function="${fn}"]`);
      await expect(row).toHaveAttribute('data-percent', '100');
      await expect(row).toHaveAttribute('data-shift-status', 'Succeeded');
      await expect(row).toHaveAttribute('data-rolled-back', 'false');
    }
    await expect(apiShift).toContainText(/v\d+ → v\d+/);

    await page.goto('/deployments/history?environment=prod');
    const row = page.locator(`tr[data-deployment-id="${id}"]`);
    await expect(row).toContainText(`✓ ${USERS.SECURITY.name}`);
    await expect(row).toContainText('Succeeded');
  });

  test('a forced failure shows the first failure on top and the rollback; a fired error alarm rolls the traffic shift back', async ({ page, loginAs }) => {
    test.setTimeout(150_000);
    await loginAs('ADMIN');
    await page.goto('/deployments');
    const staging = page.getByTestId('environment-staging');
    await staging.getByLabel('Sandbox: make this resource fail (to see a rollback)').selectOption('ApiFunction');
    await staging.getByRole('button', { name: 'Plan Staging' }).click();
    await expect(page).toHaveURL(/\/deployments\/[a-z0-9]+$/);
    await expect(page.getByText('Sandbox: ApiFunction will fail, to show a rollback.')).toBeVisible();
    await page.getByRole('button', { name: 'Execute change set' }).click();

    const failure = page.getByTestId('failure-reason');
    await expect(failure).toContainText('ApiFunction failed first', FOLLOW);
    await expect(failure).toContainText('Simulated failure in the local sandbox account: AWS::Lambda::Function ApiFunction refused the change');
    // On top: the reason comes before the progress and the events.
    const live = page.getByTestId('deployment-live');
    await expect(live.locator(':scope > *').first()).toHaveAttribute('data-testid', 'failure-reason');
    await expect(page.getByTestId('rollback')).toContainText('Rolled back: the stack is as it was before this deployment.', FOLLOW);
    const events = page.getByTestId('events');
    await expect(events.locator('tbody tr').first()).toHaveAttribute('data-event-status', 'UPDATE_ROLLBACK_COMPLETE');
    await expect(events.locator('tr[data-event-status="UPDATE_ROLLBACK_IN_PROGRESS"]')).toContainText(
      'The following resource(s) failed to update: [ApiFunction].',
    );
    await expect(events.locator('tr[data-event-status="UPDATE_FAILED"]').first()).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Resources deployed' })).not.toHaveAttribute('aria-valuenow', '100');
    // The heading is followed by the stack's account (three sandbox accounts), then the status.
    await expect(page.locator('h1 ~ [data-deployment-status]')).toHaveAttribute('data-deployment-status', 'ROLLED_BACK');
    const id = new URL(page.url()).pathname.split('/').pop()!;

    // The history says it was rolled back, and why.
    await page.goto('/deployments/history?environment=staging');
    const result = page.locator(`tr[data-deployment-id="${id}"]`).getByTestId('deployment-result');
    await expect(result).toHaveAttribute('data-result', 'ROLLED_BACK');
    await expect(result).toContainText('Rolled back');
    await expect(result).toContainText('ApiFunction: Resource handler returned message: "Simulated failure in the local sandbox account');

    // The stack is as it was: plan it again, this time with the API's error alarm fired (the sandbox
    // control): the traffic shift stops once traffic moves, goes back to the old version, and the
    // deployment is rolled back naming the alarm.
    await page.goto('/deployments');
    const control = page.getByTestId('fail-shift-staging');
    await control.getByLabel('Sandbox: fire a function’s error alarm, so that its next traffic shift rolls back').selectOption('api');
    await control.getByRole('button', { name: 'Fire the error alarm' }).click();
    await expect(control).toContainText('serverless-staging-api-errors is in ALARM for ten minutes');
    await page.getByTestId('environment-staging').getByRole('button', { name: 'Plan Staging' }).click();
    await expect(page).toHaveURL(/\/deployments\/[a-z0-9]+$/);
    const second = new URL(page.url()).pathname.split('/').pop()!;
    expect(second).not.toBe(id);
    await page.getByRole('button', { name: 'Execute change set' }).click();
    const apiShift = page.getByTestId('traffic-shift').locator('tr[data-function="api"]');
    await expect(page.getByTestId('shift-rollback-api')).toContainText('Rolled back automatically', FOLLOW);
    await expect(page.getByTestId('shift-rollback-api')).toContainText('was stopped by alarm serverless-staging-api-errors');
    await expect(apiShift).toHaveAttribute('data-percent', '0');
    await expect(apiShift).toHaveAttribute('data-shift-status', 'Stopped');
    await expect(apiShift.locator('[data-alarm="serverless-staging-api-errors"]')).toHaveAttribute('data-alarm-state', 'ALARM');
    await expect(page.getByTestId('rollback')).toContainText('Rolled back: the stack is as it was before this deployment.', FOLLOW);
    await expect(page.getByTestId('failure-reason')).toContainText('ApiAlias failed first');
    await expect(page.getByTestId('failure-reason')).toContainText('stopped by alarm serverless-staging-api-errors');

    await page.goto('/deployments/history?environment=staging');
    const rolledBack = page.locator(`tr[data-deployment-id="${second}"]`);
    await expect(rolledBack.getByTestId('deployment-result')).toHaveAttribute('data-result', 'ROLLED_BACK');
    await expect(rolledBack.getByTestId('deployment-result')).toContainText('ApiAlias: CodeDeploy deployment d-');
    await expect(rolledBack.getByTestId('deployment-result')).toContainText('was stopped by alarm serverless-staging-api-errors');
    await expect(rolledBack.getByTestId('deployment-release')).toHaveText(/^r-[0-9a-f]{12}$/);
  });

  test('bad input gets clear errors and writes nothing', async ({ page, loginAs }) => {
    await loginAs('OPS');
    const unknown = await page.request.post('/api/v1/deployments', { data: { environment: 'qa' } });
    expect(unknown.status()).toBe(400);
    expect((await unknown.json()).error.message).toBe('environment: Unknown environment: pick dev, staging or prod.');
    const outside = await page.request.post('/api/v1/deployments', { data: { environment: 'dev', parameters: { EgressMode: 'vpn' } } });
    expect(outside.status()).toBe(422);
    expect((await outside.json()).error.message).toBe('Parameter EgressMode="vpn" is not one of nat, proxy.');
    const missing = await page.request.get('/api/v1/deployments/doesnotexist');
    expect(missing.status()).toBe(404);
    await loginAs('ENGINEER');
    const engineer = await page.request.post('/api/v1/deployments', { data: { environment: 'dev' } });
    expect(engineer.status()).toBe(403);
    await page.goto('/deployments');
    await expect(page.getByRole('button', { name: 'Plan Dev' })).toHaveCount(0);
  });
});
