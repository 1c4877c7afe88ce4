import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCloudWatchCheckpointStore } from '@/lib/server/aws/checkpoint-log';

const client = new CloudWatchLogsClient({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const logs = mockClient(client);
const GROUP = '/gatehouse/audit-checkpoints';
const STREAM = 'checkpoints';
const NOW = new Date('2026-12-01T09:00:30.000Z');
const store = createCloudWatchCheckpointStore(client, { logGroupName: GROUP, logStreamName: STREAM, now: () => NOW });
const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });

beforeEach(() => logs.reset());

describe('CloudWatch Logs checkpoint store', () => {
  it('appends one log event per checkpoint, stamped now', async () => {
    logs.on(PutLogEventsCommand).resolves({});
    await store.append('{"seq":1}');
    expect(logs).toHaveReceivedCommandTimes(PutLogEventsCommand, 1);
    expect(logs).toHaveReceivedCommandWith(PutLogEventsCommand, {
      logGroupName: GROUP,
      logStreamName: STREAM,
      logEvents: [{ timestamp: NOW.getTime(), message: '{"seq":1}' }],
    });
    expect(logs).not.toHaveReceivedCommand(CreateLogStreamCommand);
    expect(store.location).toBe(`cloudwatch-logs:${GROUP}:${STREAM}`);
  });

  it('creates the stream on the first write, and accepts one another replica just created', async () => {
    logs.on(PutLogEventsCommand).rejectsOnce(notFound('The specified log stream does not exist.')).resolves({});
    logs.on(CreateLogStreamCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));
    await store.append('{"seq":1}');
    expect(logs).toHaveReceivedCommandWith(CreateLogStreamCommand, { logGroupName: GROUP, logStreamName: STREAM });
    expect(logs).toHaveReceivedCommandTimes(PutLogEventsCommand, 2);
  });

  it('maps a missing group and a denial to typed errors', async () => {
    logs.on(PutLogEventsCommand).rejects(notFound('The specified log group does not exist.'));
    logs.on(CreateLogStreamCommand).rejects(notFound('The specified log group does not exist.'));
    await expect(store.append('x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'CloudWatch Logs PutLogEvents (audit checkpoint): The specified log group does not exist.',
    });
    logs.reset();
    logs.on(PutLogEventsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: {} }));
    await expect(store.append('x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reads every event from the head, page by page, until the token comes back unchanged', async () => {
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({
        events: [
          { message: 'a', timestamp: 1 },
          { message: 'b', timestamp: 2 },
        ],
        nextForwardToken: 'f/1',
      })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [{ message: 'c', timestamp: 3 }], nextForwardToken: 'f/3' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/3' });
    expect(await store.readAll()).toEqual(['a', 'b', 'c']);
    const inputs = logs.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      { logGroupName: GROUP, logStreamName: STREAM, startFromHead: true },
      { logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, nextToken: 'f/1' },
      { logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, nextToken: 'f/2' },
      { logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, nextToken: 'f/3' },
    ]);
  });

  it('reads the newest event only for the latest', async () => {
    logs.on(GetLogEventsCommand).resolves({ events: [{ message: 'z', timestamp: 9 }], nextForwardToken: 'f', nextBackwardToken: 'b' });
    expect(await store.readLatest()).toBe('z');
    expect(logs).toHaveReceivedCommandWith(GetLogEventsCommand, { logGroupName: GROUP, logStreamName: STREAM, startFromHead: false, limit: 1 });
  });

  it('reads nothing before the stream exists, and maps other failures', async () => {
    logs.on(GetLogEventsCommand).rejects(notFound('The specified log stream does not exist.'));
    expect(await store.readAll()).toEqual([]);
    expect(await store.readLatest()).toBeNull();
    logs.reset();
    logs.on(GetLogEventsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));
    await expect(store.readAll()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(store.readLatest()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
