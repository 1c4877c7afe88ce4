import { z } from 'zod';
import { alarmNameSchema, setAlarmStateSchema } from '@/lib/alarms/schemas';
import { setAlarmStateAs } from '@/lib/server/alarms/wiring';
import { requestOrigin } from '@/lib/server/http/origin';
import { route } from '@/lib/server/http/route';

const paramsSchema = z.object({ name: alarmNameSchema });
const bodySchema = setAlarmStateSchema.omit({ name: true });

/**
 * Sets the alarm's state (CloudWatch SetAlarmState) until its next evaluation, firing its actions:
 * how ops test the alert path. Audited.
 */
export const POST = route<{ name: string }>('alarms.state.set', async ({ actor, params, body }) => {
  const { name } = paramsSchema.parse(params);
  const input = bodySchema.parse(body);
  return setAlarmStateAs(actor, { ...input, name }, await requestOrigin());
});
