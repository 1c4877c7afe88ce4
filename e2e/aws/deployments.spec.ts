/**
 * A deployment of the serverless stack (infra/template.yaml, the real one: the portal reads its
 * template from infra/ and has no other template path) planned and executed against moto.
 *
 * What moto models and this spec asserts:
 * - the 85 kB template goes through S3 (over CloudFormation's 51,200-byte inline limit): the object
 *   in the template bucket is byte for byte infra/template.yaml, read by moto from a path-style
 *   TemplateURL on the `localhost` host;
 * - CreateChangeSet / DescribeChangeSet: the change set moto made has one Add per resource, the same
 *   logical ids the portal's diff shows;
 * - the execution as DescribeStacks and DescribeStackEvents report it: the portal's status and stack
 *   status are moto's, its events are moto's events, and there is exactly one execution in the
 *   portal's history and audit log however often the SDK retried ExecuteChangeSet.
 *
 * What moto cannot model, so nothing here asserts it:
 * - `Fn::Cidr` (the subnets' CIDR blocks): moto's ExecuteChangeSet of this template fails inside its
 *   template parser with HTTP 500 and creates no resource. A retried ExecuteChangeSet then marks
 *   the stack CREATE_COMPLETE with only the stack's own events, and ListStackResources answers 500
 *   on that stack: no resource of the stack can be checked in moto (issue 14, item 6);
 * - resource types moto's CloudFormation does not create at all: CloudWatch alarms, network ACLs
 *   and their entries, RDS Proxy (DBProxy, target groups), Lambda aliases, CodeDeploy applications
 *   and deployment groups, API Gateway v2 (HTTP API, stages, integrations, routes), Secrets Manager
 *   secrets; nor drift detection.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import {
  CloudFormationClient,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ListChangeSetsCommand,
  type Change,
} from '@aws-sdk/client-cloudformation';
import { expect, test, USERS } from '../fixtures/test';
import { emulatorCalls, endpoints, motoClientConfig, TEMPLATE_BUCKET } from './emulator';
import { contextAs } from './helpers';

const STACK = 'serverless-dev';

test('plan and execute the serverless stack in dev: the template via S3, moto’s change set, and the execution as moto reports it', async ({
  page,
  loginAs,
  browser,
}) => {
  test.setTimeout(90_000);
  const template = fs.readFileSync('infra/template.yaml', 'utf8');
  const cfn = new CloudFormationClient(motoClientConfig());

  await loginAs('OPS');
  await page.goto('/deployments');
  const dev = page.getByTestId('environment-dev');
  await expect(dev).toContainText('Not deployed yet: the first plan creates the stack.');
  await dev.getByRole('button', { name: 'Plan Dev' }).click();
  await expect(page).toHaveURL(/\/deployments\/[a-z0-9]+$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.getByText('Creates the stack')).toBeVisible();
  const summary = page.getByTestId('diff-summary');
  await expect(summary).toHaveText(/^\d+ to add, 0 to modify \(0 replaced\), 0 to remove$/);
  const portalAdds = Number((await summary.innerText()).split(' ')[0]);
  await expect(page.getByTestId('change-diff').locator('tr[data-logical-id="ApiFunction"]')).toHaveAttribute('data-action', 'Add');

  // The template moto read is the one in infra/, uploaded under its sha256.
  const key = `gatehouse/templates/${createHash('sha256').update(template, 'utf8').digest('hex')}.yaml`;
  // moto refuses anonymous reads but does not verify signatures: any SigV4-shaped header will do.
  const object = await fetch(`${endpoints().moto}/${TEMPLATE_BUCKET}/${key}`, {
    headers: { authorization: 'AWS4-HMAC-SHA256 Credential=moto-e2e-only/20261207/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
  });
  expect(object.status).toBe(200);
  expect(await object.text()).toBe(template);
  expect(Buffer.byteLength(template)).toBeGreaterThan(51_200);

  // moto's change set: one Add per resource, the logical ids the portal shows.
  const sets = (await cfn.send(new ListChangeSetsCommand({ StackName: STACK }))).Summaries ?? [];
  expect(sets).toHaveLength(1);
  const changes: Change[] = [];
  let token: string | undefined;
  do {
    const out = await cfn.send(new DescribeChangeSetCommand({ StackName: STACK, ChangeSetName: sets[0]!.ChangeSetId, NextToken: token }));
    expect(out.Status).toBe('CREATE_COMPLETE');
    changes.push(...(out.Changes ?? []));
    token = out.NextToken;
  } while (token);
  expect(changes.length).toBe(portalAdds);
  expect(changes.every((c) => c.ResourceChange?.Action === 'Add')).toBe(true);
  const portalIds = await page
    .getByTestId('change-diff')
    .locator('tr[data-logical-id]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-logical-id')));
  expect(new Set(portalIds)).toEqual(new Set(changes.map((c) => c.ResourceChange?.LogicalResourceId)));

  // Execute (dev needs no approval) and follow it to an end.
  const executesBefore = (await emulatorCalls()).ExecuteChangeSet ?? 0;
  await page.getByRole('button', { name: 'Execute change set' }).click();
  let view: { status: string; stackStatus: string | null; executedAt: string | null; events: { id: string }[] } | undefined;
  await expect
    .poll(
      async () => {
        view = await (await page.request.get(`/api/v1/deployments/${id}`)).json();
        return view!.status;
      },
      { timeout: 60_000 },
    )
    .toMatch(/^(SUCCEEDED|FAILED|ROLLED_BACK)$/);
  expect((await emulatorCalls()).ExecuteChangeSet ?? 0).toBeGreaterThan(executesBefore);

  // The portal says what DescribeStacks and DescribeStackEvents say, nothing else.
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0]!;
  expect(view!.stackStatus).toBe(stack.StackStatus);
  expect(view!.status === 'SUCCEEDED').toBe(stack.StackStatus === 'CREATE_COMPLETE');
  const motoEvents = new Set(((await cfn.send(new DescribeStackEventsCommand({ StackName: STACK }))).StackEvents ?? []).map((e) => e.EventId));
  expect(view!.events.length).toBeGreaterThan(0);
  expect(view!.events.every((e) => motoEvents.has(e.id))).toBe(true);
  await page.reload();
  await expect(page.locator('h1 + [data-deployment-status]')).toHaveAttribute('data-deployment-status', view!.status);

  // One execution, whatever the SDK retried.
  const history = await (await page.request.get('/api/v1/deployments/history?format=csv&environment=dev')).text();
  expect(history.split('\r\n').filter((l) => l.startsWith(`${id},`))).toHaveLength(1);
  const security = await contextAs(browser, USERS.SECURITY.id);
  const audit = await security.request.get(`/api/v1/audit?action=deployment.executed&q=${id}`);
  expect(audit.status()).toBe(200);
  expect(((await audit.json()) as { events: unknown[] }).events).toHaveLength(1);
  await security.close();
});
