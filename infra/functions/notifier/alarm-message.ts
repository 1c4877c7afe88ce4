import { z } from 'zod';

/**
 * The JSON CloudWatch publishes to SNS when an alarm changes state (metric and composite alarms
 * share these fields). Unknown fields are kept out; absent optional ones are tolerated.
 */
export const alarmNotificationSchema = z.object({
  AlarmName: z.string().min(1),
  AlarmDescription: z.string().nullish(),
  AWSAccountId: z.string().regex(/^\d{12}$/),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  OldStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']).nullish(),
  NewStateReason: z.string(),
  StateChangeTime: z.string(),
  /** The region's long name ("EU (Frankfurt)"); the code comes from AlarmArn. */
  Region: z.string().nullish(),
  AlarmArn: z.string().regex(/^arn:[a-z-]+:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/).nullish(),
  AlarmRule: z.string().nullish(),
  Trigger: z
    .object({
      MetricName: z.string().nullish(),
      Namespace: z.string().nullish(),
      Dimensions: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
    })
    .nullish(),
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
