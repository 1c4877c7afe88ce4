import { z } from 'zod';
import { alarmNameSchema, metricsQuerySchema } from '@/lib/alarms/schemas';
import { getAlarmMetrics } from '@/lib/alarms/service';
import { alarmDeps } from '@/lib/server/alarms/wiring';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ name: alarmNameSchema });

/** The alarm's metric over range=3h|24h|7d with the threshold and the ALARM periods. */
export const GET = route<{ name: string }>('alarms.read', async ({ request, params }) => {
  const { name } = paramsSchema.parse(params);
  const { region, account, range } = parseQuery(request, metricsQuerySchema);
  return { ...(await getAlarmMetrics(alarmDeps(), name, range, region, account)), serverTime: new Date().toISOString() };
});
