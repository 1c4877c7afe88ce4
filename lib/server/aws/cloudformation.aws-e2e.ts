/**
 * Opt-in end-to-end check of the CloudFormation adapter and the template upload against a real AWS
 * API: `npm run test:aws` with AWS_ENDPOINT_URL (moto, LocalStack) or GATEHOUSE_AWS_E2E=1 and
 * credentials for a sandbox account (then GATEHOUSE_DEPLOY_TEMPLATE_BUCKET names a bucket it may
 * write to). It deploys a one-queue stack named gatehouse-e2e-<random> and deletes it in afterAll;
 * a second one (…-amb) executes through a proxy that loses the first ExecuteChangeSet's answer.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeExecution } from '@/lib/deployments/progress';
import { startExecution } from '@/lib/deployments/service';
import { awsClientConfig } from '@/lib/server/aws/clients';
import { createAwsCloudFormation, TEMPLATE_BODY_LIMIT } from '@/lib/server/aws/cloudformation';
import { createS3TemplateUploader } from '@/lib/server/aws/s3-template-upload';

// The suite's own switches, not portal configuration.
// eslint-disable-next-line no-restricted-properties -- test-only switches, read once here
const { AWS_ENDPOINT_URL, GATEHOUSE_AWS_E2E, GATEHOUSE_DEPLOY_TEMPLATE_BUCKET } = process.env;
const enabled = Boolean(AWS_ENDPOINT_URL) || GATEHOUSE_AWS_E2E === '1';
if (!enabled) console.info('skipped: set AWS_ENDPOINT_URL (LocalStack, moto) or GATEHOUSE_AWS_E2E=1 with credentials for a sandbox account');

const id = randomBytes(4).toString('hex');
const STACK = `gatehouse-e2e-${id}`;
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Visibility: { Type: Number, Default: 30, MinValue: 0, MaxValue: 43200 }
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !Ref Visibility
Outputs:
  QueueUrl: { Value: !Ref Queue }
`;
// Over CloudFormation's inline limit, so it must go through S3 (TemplateURL), as infra/template.yaml does.
const LARGE = `${TEMPLATE}# ${'padding '.repeat(Math.ceil(TEMPLATE_BODY_LIMIT / 8))}\n`;

describe.skipIf(!enabled)('CloudFormation adapter against AWS', () => {
  const config: { region: string; endpoint?: string } = enabled ? awsClientConfig() : { region: 'us-east-1' };
  const client = new CloudFormationClient(config);
  // moto finds an uploaded template only on a path-style URL whose host is "localhost".
  const endpoint = config.endpoint?.replace('//127.0.0.1', '//localhost');
  const bucket = GATEHOUSE_DEPLOY_TEMPLATE_BUCKET ?? (endpoint ? `gatehouse-e2e-${id}` : undefined);
  const upload = bucket
    ? createS3TemplateUploader({ bucket, region: config.region, endpoint, credentials: () => client.config.credentials(), sha256: client.config.sha256 })
    : undefined;
  const cfn = createAwsCloudFormation(client, { uploadTemplate: upload });

  afterAll(async () => {
    await client
      .send(new DeleteStackCommand({ StackName: STACK }))
      .catch((e: unknown) => console.warn(`[aws-e2e] delete ${STACK} failed; remove it by hand`, e));
  });

  it('uploads the large template to S3 and creates the stack from its URL, then follows it to CREATE_COMPLETE', async () => {
    if (!GATEHOUSE_DEPLOY_TEMPLATE_BUCKET && endpoint) {
      // An emulator: make the bucket (S3 CreateBucket is a plain PUT on the bucket's path).
      const res = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
      expect(res.ok).toBe(true);
    }
    expect(await cfn.describeStack(STACK)).toBeNull();
    const { changeSetId } = await cfn.createChangeSet({
      stackName: STACK,
      changeSetName: `gatehouse-${id}`,
      changeSetType: 'CREATE',
      templateBody: LARGE,
      parameters: { Visibility: '30' },
      description: 'Gatehouse aws-e2e',
    });
    await expect.poll(async () => (await cfn.describeChangeSet(STACK, changeSetId)).status, { timeout: 60_000, interval: 1_000 }).toBe('CREATE_COMPLETE');
    const cs = await cfn.describeChangeSet(STACK, changeSetId);
    expect(cs.changes.map((c) => `${c.action}:${c.logicalId}:${c.resourceType}`)).toEqual(['Add:Queue:AWS::SQS::Queue']);

    const baseline = await cfn.latestStackEventId(STACK);
    const startedAt = new Date();
    await cfn.executeChangeSet(STACK, changeSetId, `gatehouse-${id}`);
    await expect.poll(async () => (await cfn.describeStack(STACK))?.status, { timeout: 120_000, interval: 2_000 }).toBe('CREATE_COMPLETE');
    // CloudFormation deployed exactly what was uploaded.
    expect(await cfn.getTemplateBody(STACK)).toBe(LARGE);
    const events = await cfn.listStackEvents(STACK, { afterEventId: baseline, notBefore: new Date(startedAt.getTime() - 300_000) });
    expect(events.at(-1)).toMatchObject({ logicalId: STACK, status: 'CREATE_COMPLETE' });
    expect(events.every((e, i) => i === 0 || e.timestamp >= events[i - 1]!.timestamp)).toBe(true);
    expect(events.map((e) => e.eventId)).not.toContain(baseline);
  });

  it('plans an update with an inline template and deletes the change set', async () => {
    const { changeSetId } = await cfn.createChangeSet({
      stackName: STACK,
      changeSetName: `gatehouse-${id}-u`,
      changeSetType: 'UPDATE',
      templateBody: TEMPLATE,
      parameters: { Visibility: '60' },
      description: 'Gatehouse aws-e2e update',
    });
    await expect
      .poll(async () => (await cfn.describeChangeSet(STACK, changeSetId)).status, { timeout: 60_000, interval: 1_000 })
      .toMatch(/^(CREATE_COMPLETE|FAILED)$/);
    await cfn.deleteChangeSet(STACK, changeSetId);
  });

  it('after ExecuteChangeSet ran but its answer was lost (HTTP 500), asks the emulator what happened instead of resending: one execution, progress only from events', async () => {
    // A proxy in front of the endpoint that lets the first ExecuteChangeSet happen, then answers 500.
    const target = new URL(config.endpoint ?? 'https://cloudformation.us-east-1.amazonaws.com');
    let executes = 0;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const isExecute = /(^|&)Action=ExecuteChangeSet(&|$)/.test(body.toString('utf8'));
        if (isExecute) executes++;
        const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
          const answer: Buffer[] = [];
          up.on('data', (c: Buffer) => answer.push(c));
          up.on('end', () => {
            if (isExecute && executes === 1) {
              res.writeHead(500, { 'content-type': 'text/xml' });
              res.end(
                '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>injected after the call ran</Message></Error><RequestId>lost</RequestId></ErrorResponse>',
              );
              return;
            }
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(answer));
          });
        });
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const via = { ...config, endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
      // As the portal wires it (lib/server/deployments/wiring.ts): ExecuteChangeSet gets one SDK attempt.
      const viaClient = new CloudFormationClient(via);
      const proxied = createAwsCloudFormation(viaClient, { executeClient: new CloudFormationClient({ ...via, maxAttempts: 1 }) });
      const stackName = `${STACK}-amb`;
      const { changeSetId } = await proxied.createChangeSet({
        stackName,
        changeSetName: `gatehouse-${id}-amb`,
        changeSetType: 'CREATE',
        templateBody: TEMPLATE,
        parameters: { Visibility: '30' },
        description: 'Gatehouse aws-e2e ambiguous execute',
      });
      await expect
        .poll(async () => (await proxied.describeChangeSet(stackName, changeSetId)).status, { timeout: 60_000, interval: 1_000 })
        .toBe('CREATE_COMPLETE');
      const baseline = await proxied.latestStackEventId(stackName);
      const startedAt = new Date();

      const run = await startExecution(proxied, { id: `${id}-amb`, stackName, changeSetId });

      // The emulator ran it once; nothing sent it again (with the SDK's own retry it runs twice:
      // moto does not refuse an executed change set, as CloudFormation does with InvalidChangeSetStatus).
      expect(executes).toBe(1);
      expect(run.result).toBe('started');
      expect(run.error).toMatchObject({ code: 'UNAVAILABLE', details: { awsError: 'InternalFailure' } });
      expect((await proxied.describeChangeSet(stackName, changeSetId)).executionStatus).toBe('EXECUTE_COMPLETE');
      await expect.poll(async () => (await proxied.describeStack(stackName))?.status, { timeout: 60_000, interval: 1_000 }).toBe('CREATE_COMPLETE');
      const events = await proxied.listStackEvents(stackName, { afterEventId: baseline, notBefore: new Date(startedAt.getTime() - 300_000) });
      expect(events.filter((e) => e.logicalId === stackName && e.status === 'CREATE_IN_PROGRESS')).toHaveLength(1);
      // What moto cannot show: it emits only the stack's own events (no per-resource events, no
      // ClientRequestToken), so progress read from events is 0 of 1 even after success — the
      // portal reports that rather than claiming 1/1.
      expect(events.filter((e) => e.logicalId !== stackName)).toEqual([]);
      expect(summarizeExecution(events, { stackName, total: 1 })).toMatchObject({ outcome: 'SUCCEEDED', done: 0, total: 1 });
      await client.send(new DeleteStackCommand({ StackName: stackName })).catch(() => undefined);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
