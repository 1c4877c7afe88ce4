/**
 * Opt-in end-to-end check of the CloudFormation adapter and the template upload against a real AWS
 * API: `npm run test:aws` with AWS_ENDPOINT_URL (moto, LocalStack) or GATEHOUSE_AWS_E2E=1 and
 * credentials for a sandbox account (then GATEHOUSE_DEPLOY_TEMPLATE_BUCKET names a bucket it may
 * write to). It deploys a one-queue stack named gatehouse-e2e-<random> and deletes it in afterAll.
 */
import { randomBytes } from 'node:crypto';
import { CloudFormationClient, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, describe, expect, it } from 'vitest';
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
  const upload = bucket ? createS3TemplateUploader({ bucket, region: config.region, endpoint, credentials: () => client.config.credentials() }) : undefined;
  const cfn = createAwsCloudFormation(client, { uploadTemplate: upload });

  afterAll(async () => {
    await client.send(new DeleteStackCommand({ StackName: STACK })).catch((e: unknown) => console.warn(`[aws-e2e] delete ${STACK} failed; remove it by hand`, e));
  });

  it('uploads the large template to S3 and creates the stack from its URL, then follows it to CREATE_COMPLETE', async () => {
    if (!GATEHOUSE_DEPLOY_TEMPLATE_BUCKET && endpoint) {
      // An emulator: make the bucket (S3 CreateBucket is a plain PUT on the bucket's path).
      const res = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
      expect(res.ok).toBe(true);
    }
    expect(await cfn.describeStack(STACK)).toBeNull();
    const { changeSetId } = await cfn.createChangeSet({ stackName: STACK, changeSetName: `gatehouse-${id}`, changeSetType: 'CREATE', templateBody: LARGE, parameters: { Visibility: '30' }, description: 'Gatehouse aws-e2e' });
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
    const { changeSetId } = await cfn.createChangeSet({ stackName: STACK, changeSetName: `gatehouse-${id}-u`, changeSetType: 'UPDATE', templateBody: TEMPLATE, parameters: { Visibility: '60' }, description: 'Gatehouse aws-e2e update' });
    await expect.poll(async () => (await cfn.describeChangeSet(STACK, changeSetId)).status, { timeout: 60_000, interval: 1_000 }).toMatch(/^(CREATE_COMPLETE|FAILED)$/);
    await cfn.deleteChangeSet(STACK, changeSetId);
  });
});
