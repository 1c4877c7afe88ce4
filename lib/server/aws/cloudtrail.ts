import 'server-only';
import { LookupEventsCommand, type CloudTrailClient, type Event } from '@aws-sdk/client-cloudtrail';
import { AppError } from '@/lib/errors';
import type { CloudTrailPort } from '@/lib/reports/ports';
import { toAppError } from '@/lib/server/aws/errors';

/** Pages of 50 events read per check at most: a resource busier than that in a grant's window is "too many events", not "unused". */
export const LOOKUP_MAX_PAGES = 5;

interface Identity {
  arn?: string;
  sessionContext?: { sessionIssuer?: { arn?: string } };
}

/**
 * Whether an event was made by the principal: an IAM user's own ARN, or a session of the IAM role
 * (an assumed role's events name the role as the session's issuer).
 */
function madeBy(event: Event, principalArn: string): boolean {
  if (!event.CloudTrailEvent) return false;
  try {
    const identity = (JSON.parse(event.CloudTrailEvent) as { userIdentity?: Identity }).userIdentity;
    return identity?.arn === principalArn || identity?.sessionContext?.sessionIssuer?.arn === principalArn;
  } catch {
    return false;
  }
}

/**
 * CloudTrail's event history of one account (docs/decisions/051-reports.md): LookupEvents on the
 * grant's resource (a ResourceName attribute: the secret's or the role's ARN) within the window,
 * newest first, keeping the events the grant's principal made. LookupEvents takes one attribute,
 * so the principal is matched in each event's record. Needs cloudtrail:LookupEvents; it answers
 * management events of the client's region for the last 90 days.
 */
export function createAwsCloudTrail(client: CloudTrailClient): CloudTrailPort {
  return {
    async findActivity({ principalArn, resourceArn, start, end }) {
      let token: string | undefined;
      for (let page = 0; page < LOOKUP_MAX_PAGES; page++) {
        let out;
        try {
          out = await client.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: resourceArn }],
              StartTime: start,
              EndTime: end,
              MaxResults: 50,
              ...(token ? { NextToken: token } : {}),
            }),
          );
        } catch (e) {
          throw toAppError(e, 'CloudTrail LookupEvents');
        }
        const found = (out.Events ?? []).find((e) => madeBy(e, principalArn));
        if (found) return { at: found.EventTime ?? start, eventName: found.EventName ?? '' };
        token = out.NextToken;
        if (!token) return null;
      }
      throw new AppError('UNAVAILABLE', `CloudTrail holds more than ${LOOKUP_MAX_PAGES * 50} events on ${resourceArn} in the window`, { tooManyEvents: true });
    },
  };
}
