import * as z from 'zod/mini';

/**
 * The JSON CloudWatch publishes to SNS when an alarm changes state (metric and composite alarms
 * share these fields). Unknown fields are kept out; absent optional ones are tolerated.
 */
const state = z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']);

export const alarmNotificationSchema = z.object({
  AlarmName: z.string().check(z.minLength(1)),
  AlarmDescription: z.nullish(z.string()),
  AWSAccountId: z.string().check(z.regex(/^\d{12}$/)),
  NewStateValue: state,
  OldStateValue: z.nullish(state),
  NewStateReason: z.string(),
  StateChangeTime: z.string(),
  /** The region's long name ("EU (Frankfurt)"); the code comes from AlarmArn. */
  Region: z.nullish(z.string()),
  AlarmArn: z.nullish(z.string().check(z.regex(/^arn:[a-z-]+:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/))),
  AlarmRule: z.nullish(z.string()),
  Trigger: z.nullish(
    z.object({
      MetricName: z.nullish(z.string()),
      Namespace: z.nullish(z.string()),
      Dimensions: z.nullish(z.array(z.object({ name: z.string(), value: z.string() }))),
    }),
  ),
});

export type AlarmNotification = z.infer<typeof alarmNotificationSchema>;

/** Parses an SNS message body; null when it is not an alarm notification (e.g. SNS's subscription test). */
export function parseAlarmNotification(message: string): AlarmNotification | null {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return null;
  }
  const parsed = alarmNotificationSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Region and partition from the alarm's ARN, falling back to the function's own region. */
export function alarmLocation(alarm: AlarmNotification, fallbackRegion: string): { partition: string; region: string } {
  const parts = alarm.AlarmArn?.split(':');
  return { partition: parts?.[1] ?? 'aws', region: parts?.[3] ?? fallbackRegion };
}
