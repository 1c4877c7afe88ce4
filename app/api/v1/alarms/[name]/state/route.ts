import { z } from 'zod';
import { alarmNameSchema, setAlarmStateSchema } from '@/lib/alarms/schemas';
import { setAlarmStateAs } from '@/lib/server/alarms/deps';
import { readJson } from '@/lib/server/http/body';
import { requestOrigin } from '@/lib/server/http/origin';
import { route } from '@/lib/server/http/route';

const paramsSchema = z.object({ name: alarmNameSchema });
const bodySchema = setAlarmStateSchema.omit({ name: true });

/**
 * Sets the alarm's state (CloudWatch SetAlarmState) until its next evaluation, firing its actions:
 * how ops test the alert path. Audited.
 */
export const POST = route<{ name: string }>('alarms.state.set', async ({ actor, request, params }) => {
  const { name } = paramsSchema.parse(params);
  const body = bodySchema.parse(await readJson(request));
  return setAlarmStateAs(actor!, { ...body, name }, await requestOrigin());
});
