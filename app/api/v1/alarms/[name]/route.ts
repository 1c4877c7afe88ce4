import { z } from 'zod';
import { alarmNameSchema, alarmRefQuerySchema } from '@/lib/alarms/schemas';
import { getAlarmDetail } from '@/lib/alarms/service';
import { alarmDeps } from '@/lib/server/alarms/wiring';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ name: alarmNameSchema });

/** One alarm: definition, state, history, actions with their SNS subscriptions, console link. */
export const GET = route<{ name: string }>('alarms.read', async ({ request, params }) => {
  const { name } = paramsSchema.parse(params);
  const { region, account } = parseQuery(request, alarmRefQuerySchema);
  return { ...(await getAlarmDetail(alarmDeps(), name, region, account)), serverTime: new Date().toISOString() };
});
