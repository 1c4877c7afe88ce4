import 'server-only';
import { CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CheckpointStore } from '@/lib/audit/checkpoint';
import { toAppError } from '@/lib/server/aws/errors';

export interface CheckpointLogOptions {
  logGroupName: string;
  logStreamName: string;
  now?: () => Date;
}

const isNotFound = (e: unknown) => (e as { name?: string } | null)?.name === 'ResourceNotFoundException';
const isAlreadyThere = (e: unknown) => (e as { name?: string } | null)?.name === 'ResourceAlreadyExistsException';

/**
 * Checkpoints in a CloudWatch Logs stream, one log event each: the aws mode's store
 * (docs/decisions/030-audit-history-integrity.md). CloudWatch Logs has no API that edits or
 * deletes one event; the portal's role needs logs:PutLogEvents, logs:GetLogEvents and
 * logs:CreateLogStream on the group, and must not have DeleteLogStream, DeleteLogGroup or
 * PutRetentionPolicy. The log group is provisioned with the stack (with its retention); the stream
 * is created on the first write.
 */
export function createCloudWatchCheckpointStore(client: CloudWatchLogsClient, options: CheckpointLogOptions): CheckpointStore {
  const { logGroupName, logStreamName } = options;
  const now = options.now ?? (() => new Date());
  const put = (record: string) =>
    client.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents: [{ timestamp: now().getTime(), message: record }] }));
  return {
    location: `cloudwatch-logs:${logGroupName}:${logStreamName}`,
    async append(record) {
      try {
        try {
          await put(record);
        } catch (e) {
          if (!isNotFound(e)) throw e;
          // The first checkpoint: make the stream (another replica may just have made it).
          await client.send(new CreateLogStreamCommand({ logGroupName, logStreamName })).catch((c: unknown) => {
            if (!isAlreadyThere(c)) throw c;
          });
          await put(record);
        }
      } catch (e) {
        throw toAppError(e, 'CloudWatch Logs PutLogEvents (audit checkpoint)');
      }
    },
    async readAll() {
      const records: string[] = [];
      let nextToken: string | undefined;
      try {
        // GetLogEvents signals the end by giving back the token it was sent.
        for (let page = 0; page < 100_000; page++) {
          const out = await client.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, ...(nextToken ? { nextToken } : {}) }));
          for (const event of out.events ?? []) if (event.message) records.push(event.message);
          if (!out.nextForwardToken || out.nextForwardToken === nextToken) break;
          nextToken = out.nextForwardToken;
        }
      } catch (e) {
        if (isNotFound(e)) return records;
        throw toAppError(e, 'CloudWatch Logs GetLogEvents (audit checkpoints)');
      }
      return records;
    },
    async readLatest() {
      try {
        const out = await client.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: false, limit: 1 }));
        return out.events?.at(-1)?.message ?? null;
      } catch (e) {
        if (isNotFound(e)) return null;
        throw toAppError(e, 'CloudWatch Logs GetLogEvents (latest audit checkpoint)');
      }
    },
  };
}
