'use server';

import { setAlarmStateSchema } from '@/lib/alarms/schemas';
import { setAlarmStateAs } from '@/lib/server/alarms/wiring';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';

/** Sets an alarm's state (CloudWatch SetAlarmState), audited; the page offers it in the sandbox. */
export const setAlarmStateAction = serverAction('alarms.state.set', setAlarmStateSchema, async (input, actor) =>
  setAlarmStateAs(actor, input, await requestOrigin()),
);
