import { notFound } from 'next/navigation';
import { setAlarmStateAction } from '@/app/alarms/actions';
import { AlarmDetailView } from '@/components/alarms/alarm-detail';
import { Alert } from '@/components/ui/alert';
import { QueryProvider } from '@/components/query-provider';
import { Card } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { alarmNameSchema, alarmRefQuerySchema } from '@/lib/alarms/schemas';
import { getAlarmDetail, getAlarmMetrics } from '@/lib/alarms/service';
import { alarmDeps } from '@/lib/server/alarms/wiring';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { cloudMode } from '@/lib/server/cloud/adapters';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.alarm');

/** Route segments arrive percent-encoded or not depending on the path taken; decode once, safely. */
function segment(raw: string): string {
  if (!/%[0-9a-fA-F]{2}/.test(raw)) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export default async function AlarmPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const name = segment((await params).name);
  const actor = await requirePermission('alarms.read', `/alarms/${encodeURIComponent(name)}`);
  const raw = await searchParams;
  const ref = alarmRefQuerySchema.safeParse({
    ...(typeof raw.region === 'string' ? { region: raw.region } : {}),
    ...(typeof raw.account === 'string' ? { account: raw.account } : {}),
  });
  if (!alarmNameSchema.safeParse(name).success || !ref.success) notFound();
  const deps = alarmDeps();
  let detail;
  try {
    detail = await getAlarmDetail(deps, name, ref.data.region, ref.data.account);
  } catch (e) {
    if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'BAD_REQUEST')) notFound();
    if (isAppError(e) && e.code === 'UNAVAILABLE') {
      // CloudWatch never answered: say so and let the reader come back, rather than an error page.
      const { t } = await getTranslator();
      return (
        <Card>
          <h1 className="mb-2 font-mono text-xl font-bold">{name}</h1>
          <Alert>{t('alarms.fetchFailed', { message: e.message })}</Alert>
        </Card>
      );
    }
    throw e;
  }
  const metrics = await getAlarmMetrics(deps, name, '3h', detail.alarm.region, ref.data.account).catch(() => null);
  const serverTime = new Date().toISOString();
  const maySetState = cloudMode() === 'sandbox' && can(actor, 'alarms.state.set');
  return (
    <QueryProvider>
      <AlarmDetailView
        initial={{ ...detail, serverTime }}
        initialMetrics={metrics ? { ...metrics, serverTime } : null}
        setState={maySetState ? setAlarmStateAction : undefined}
      />
    </QueryProvider>
  );
}
