'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { fetchJson } from '@/components/fetch-json';
import { useI18n } from '@/components/i18n-provider';
import { Badge } from '@/components/ui/badge';
import type { HealthReport } from '@/lib/portal-health/check-health';
import type { MessageKey } from '@/lib/i18n/messages';

// A degraded portal answers 503 with the same report: that is the answer, not a failure.
const fetchHealth = () => fetchJson<HealthReport>('/api/health', { accept: [503] });

/** Live status of the portal's own dependencies, polled every 30 s. */
export function HealthStatus() {
  const { t } = useI18n();
  const { data, error, dataUpdatedAt } = useQuery({ queryKey: ['health'], queryFn: fetchHealth, refetchInterval: 30_000 });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(id);
  }, []);

  if (!data) return <p className="text-sm text-muted">{error ? t('health.unreachable') : t('health.loading')}</p>;
  return (
    <div data-testid="health-status">
      <p className="mb-2 flex items-center gap-2">
        <Badge tone={data.status === 'ok' ? 'ok' : 'danger'}>{data.status === 'ok' ? t('health.ok') : t('health.fail')}</Badge>
        <span className="text-xs text-muted">{t('health.updated', { seconds: Math.max(0, Math.round((now - dataUpdatedAt) / 1000)) })}</span>
      </p>
      <ul className="space-y-1 text-sm">
        {Object.entries(data.checks).map(([name, check]) => (
          <li key={name} className="flex items-center justify-between gap-4">
            <span>{name.startsWith('aws:') ? t('health.check.awsAccount', { account: name.slice(4) }) : t(`health.check.${name}` as MessageKey)}</span>
            <span className={check.status === 'ok' ? 'text-ok' : 'text-danger'}>
              {check.status === 'ok' ? t('health.latency', { ms: check.latencyMs }) : check.error}
            </span>
          </li>
        ))}
      </ul>
      {error ? <p className="mt-2 text-xs text-danger">{t('health.unreachable')}</p> : null}
    </div>
  );
}
