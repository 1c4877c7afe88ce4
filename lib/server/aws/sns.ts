import 'server-only';
import { paginateListSubscriptionsByTopic, type SNSClient } from '@aws-sdk/client-sns';
import type { Subscription } from '@/lib/alarms/model';
import type { SnsPort } from '@/lib/alarms/ports';
import { toAppError } from '@/lib/server/aws/errors';

/** The SNS adapter: the subscriptions of an alarm's topic (where the alarm is delivered). */
export function createAwsSns(clientFor: (region: string) => SNSClient): SnsPort {
  return {
    async listSubscriptions(region, topicArn) {
      try {
        const out: Subscription[] = [];
        for await (const page of paginateListSubscriptionsByTopic({ client: clientFor(region) }, { TopicArn: topicArn })) {
          for (const s of page.Subscriptions ?? []) out.push({ arn: s.SubscriptionArn ?? '', protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '' });
        }
        return out;
      } catch (e) {
        throw toAppError(e, 'SNS ListSubscriptionsByTopic');
      }
    },
  };
}
