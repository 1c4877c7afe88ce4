import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { expect, test } from '../fixtures/test';
import { CHECKPOINT_LOG_GROUP, HOME_ACCOUNT_ID, motoClientConfig } from './emulator';

interface Report {
  ok: boolean;
  head: { seq: number; hash: string } | null;
  checkpoints: { read: number; written: { seq: number; hash: string; at: string } | null };
}

// In aws mode the chain head is checkpointed in a CloudWatch Logs stream (docs/decisions/030): an
// intact verification writes one, signed. Read back from the emulator, not from the portal.
test('verifying the audit history writes a signed checkpoint of the head to CloudWatch Logs', async ({ page, loginAs }) => {
  await loginAs('SECURITY');
  const res = await page.request.post('/api/v1/audit/verify', { data: {} });
  expect(res.status(), await res.text()).toBe(200);
  const report = (await res.json()) as Report;
  expect(report.ok).toBe(true);
  expect(report.head).not.toBeNull();
  expect(report.checkpoints.written).toMatchObject({ seq: report.head!.seq, hash: report.head!.hash });

  const logs = new CloudWatchLogsClient(motoClientConfig(HOME_ACCOUNT_ID));
  const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: CHECKPOINT_LOG_GROUP, logStreamName: 'checkpoints', startFromHead: true }));
  const lines = (events ?? []).map((e) => JSON.parse(e.message!) as { seq: number; hash: string; sig: string });
  const last = lines.at(-1)!;
  expect(last).toMatchObject({ seq: report.head!.seq, hash: report.head!.hash });
  expect(last.sig).toMatch(/^[0-9a-f]{64}$/);

  // A second verification reads what the first wrote.
  const again = (await (await page.request.post('/api/v1/audit/verify', { data: {} })).json()) as Report;
  expect(again.ok).toBe(true);
  expect(again.checkpoints.read).toBeGreaterThanOrEqual(1);
});
