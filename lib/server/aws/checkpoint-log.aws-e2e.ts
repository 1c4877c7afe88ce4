/**
 * Opt-in check of the CloudWatch Logs checkpoint store against a real API: `npm run test:aws` with
 * AWS_ENDPOINT_URL (moto answers CloudWatch Logs) or GATEHOUSE_AWS_E2E=1 and credentials for a
 * sandbox account. It creates a log group of its own and deletes it at the end.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointIfAdvanced, readCheckpoints, type CheckpointDeps } from '@/lib/audit/checkpoint';
import { awsClientConfig } from '@/lib/server/aws/clients';
import { createCloudWatchCheckpointStore } from '@/lib/server/aws/checkpoint-log';

// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL, GATEHOUSE_AWS_E2E } = process.env;
const enabled = Boolean(AWS_ENDPOINT_URL) || GATEHOUSE_AWS_E2E === '1';
if (!enabled) console.info('skipped: set AWS_ENDPOINT_URL (moto) or GATEHOUSE_AWS_E2E=1 with credentials for a sandbox account');

describe.skipIf(!enabled)('CloudWatch Logs checkpoint store against AWS', () => {
  const client = new CloudWatchLogsClient(enabled ? awsClientConfig() : { region: 'us-east-1' });
  const logGroupName = `/gatehouse/e2e-audit-checkpoints-${Date.now().toString(36)}`;
  const store = createCloudWatchCheckpointStore(client, { logGroupName, logStreamName: 'checkpoints' });
  const deps: CheckpointDeps = { store, key: Buffer.from('e2e-only-audit-checkpoint-key-0123456789'), now: () => new Date() };

  beforeAll(async () => {
    await client.send(new CreateLogGroupCommand({ logGroupName }));
  });
  afterAll(async () => {
    await client.send(new DeleteLogGroupCommand({ logGroupName })).catch(() => {});
  });

  it('starts empty, creates the stream on the first checkpoint, and reads checkpoints back in order', async () => {
    expect(await store.readAll()).toEqual([]);
    expect(await store.readLatest()).toBeNull();
    const first = await checkpointIfAdvanced(deps, { seq: 3, hash: 'a'.repeat(64) });
    expect(first).toMatchObject({ seq: 3 });
    expect(await checkpointIfAdvanced(deps, { seq: 3, hash: 'a'.repeat(64) })).toBeNull();
    await checkpointIfAdvanced(deps, { seq: 5, hash: 'b'.repeat(64) });
    const { valid, forged } = await readCheckpoints(deps);
    expect(forged).toEqual([]);
    expect(valid.map((c) => [c.seq, c.hash])).toEqual([
      [3, 'a'.repeat(64)],
      [5, 'b'.repeat(64)],
    ]);
    expect(JSON.parse((await store.readLatest())!)).toMatchObject({ seq: 5 });
  });
});
