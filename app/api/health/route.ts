import { runHealthChecks } from '@/lib/server/portal-health';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** 200 when every dependency answers, 503 otherwise; each check with its latency. */
export const GET = route('health.read', async () => {
  const report = await runHealthChecks();
  return Response.json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
