import { Time } from '@/components/time';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import type { ResourceDrift } from '@/lib/deployments/model';
import type { DriftCheckRecord } from '@/lib/deployments/ports';
import type { Translate } from '@/lib/i18n/messages';

function Differences({ differences, t }: { differences: ResourceDrift['differences']; t: Translate }) {
  return (
    <Table className="mt-1 text-xs">
      <thead>
        <tr>
          <Th className="px-0 py-0 pr-2 font-normal">{t('deploy.drift.property')}</Th>
          <Th className="px-0 py-0 pr-2 font-normal">{t('deploy.drift.expected')}</Th>
          <Th className="px-0 py-0 font-normal">{t('deploy.drift.actual')}</Th>
        </tr>
      </thead>
      <tbody>
        {differences.map((d) => (
          <tr key={d.path}>
            <Td className="px-0 py-0 pr-2 font-mono">{d.path}</Td>
            <Td className="break-all px-0 py-0 pr-2 font-mono">{d.expected ?? '—'}</Td>
            <Td className="break-all px-0 py-0 font-mono text-danger">{d.actual ?? '—'}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The outcome of an environment's last drift check: not checked, running, failed, or what drifted. */
export function DriftStatus({ drift, t }: { drift: DriftCheckRecord | null; t: Translate }) {
  if (!drift) return <p className="text-muted">{t('deploy.drift.notChecked')}</p>;
  if (drift.status === 'DETECTING') return <p>{t('deploy.drift.detecting')}</p>;
  if (drift.status === 'FAILED') return <p className="text-danger">{t('deploy.drift.failed', { error: drift.error ?? '' })}</p>;
  return (
    <>
      <p>
        <Badge tone={drift.driftedCount ? 'danger' : 'ok'}>
          {drift.driftedCount ? t('deploy.drift.drifted', { count: drift.driftedCount }) : t('deploy.drift.inSync')}
        </Badge>{' '}
        <span className="text-xs text-muted">
          {t('deploy.drift.checkedAt')} <Time value={drift.completedAt ?? drift.createdAt} />
        </span>
      </p>
      {drift.resources?.length ? (
        <ul className="mt-2 space-y-2">
          {drift.resources.map((r) => (
            <li key={r.logicalId} data-drifted={r.logicalId}>
              <span className="font-mono text-xs font-medium">{r.logicalId}</span> <span className="font-mono text-xs text-muted">{r.resourceType}</span>
              {r.status === 'DELETED' ? <p className="text-xs text-danger">{t('deploy.drift.deleted')}</p> : <Differences differences={r.differences} t={t} />}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
