import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import type { DiffAction, DiffProperty, DiffRow } from '@/lib/deployments/diff';
import type { Translate } from '@/lib/i18n/messages';

const ACTION_TONE: Record<DiffAction, 'ok' | 'warn' | 'danger' | 'info'> = { Add: 'ok', Modify: 'warn', Remove: 'danger', Import: 'info', Dynamic: 'warn' };

function Value({ value }: { value: string | null }) {
  if (value === null) return <span className="text-muted">—</span>;
  return value.includes('\n') ? (
    <pre className="max-h-48 overflow-auto rounded bg-slate-100 p-1 text-xs">{value}</pre>
  ) : (
    <code className="break-all text-xs">{value}</code>
  );
}

function PropertyChange({ p, t }: { p: DiffProperty; t: Translate }) {
  const replaces = p.requiresRecreation === 'Always';
  const mayReplace = p.requiresRecreation === 'Conditionally';
  return (
    <li className={replaces ? 'rounded border border-red-300 bg-red-50 p-1' : 'p-1'} data-property={p.name ?? p.attribute}>
      <span className="font-mono text-xs font-medium">{p.path ?? p.name ?? p.attribute}</span>{' '}
      {replaces ? <span className="text-xs font-semibold text-danger">{t('deploy.diff.forcesReplacement')}</span> : null}
      {mayReplace ? <span className="text-xs font-semibold text-amber-700">{t('deploy.diff.mayForceReplacement')}</span> : null}
      {p.causingEntity ? <span className="text-xs text-muted"> · {t('deploy.diff.causedBy', { entity: p.causingEntity })}</span> : null}
      <div className="mt-1 grid grid-cols-[fit-content(40%)_minmax(0,1fr)] [overflow-wrap:anywhere] gap-x-2 text-xs">
        <span className="text-muted">{t('deploy.diff.before')}</span>
        <Value value={p.before} />
        <span className="text-muted">{t('deploy.diff.after')}</span>
        <Value value={p.after} />
      </div>
    </li>
  );
}

/** A change set as a readable diff: what is added, modified (and whether replaced: red) or removed, and which properties change. */
export function ChangeDiff({ rows, t }: { rows: DiffRow[]; t: Translate }) {
  return (
    <Table data-testid="change-diff">
      <thead>
        <tr>
          <Th>{t('deploy.diff.action')}</Th>
          <Th>{t('deploy.diff.resource')}</Th>
          <Th>{t('deploy.diff.properties')}</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr
            key={r.logicalId}
            data-logical-id={r.logicalId}
            data-action={r.action}
            data-replacement={r.replacement ?? ''}
            className={r.replacement === 'True' ? 'bg-red-50' : undefined}
          >
            <Td className="whitespace-nowrap">
              <Badge tone={ACTION_TONE[r.action]}>{t(`deploy.diff.action.${r.action}`)}</Badge>
              {r.replacement === 'True' ? (
                <Badge tone="danger" className="ml-1">
                  {t('deploy.diff.replacement.True')}
                </Badge>
              ) : null}
              {r.replacement === 'Conditional' ? (
                <Badge tone="warn" className="ml-1">
                  {t('deploy.diff.replacement.Conditional')}
                </Badge>
              ) : null}
            </Td>
            <Td>
              <div className="font-mono text-sm">{r.logicalId}</div>
              <div className="font-mono text-xs text-muted">{r.resourceType}</div>
              {r.physicalId ? <div className="break-all font-mono text-xs text-muted">{r.physicalId}</div> : null}
            </Td>
            <Td>
              {r.properties.length ? (
                <ul className="space-y-1">
                  {r.properties.map((p, i) => (
                    <PropertyChange key={`${p.path ?? p.name}-${i}`} p={p} t={t} />
                  ))}
                </ul>
              ) : null}
              {(r.action === 'Add' && r.after) || (r.action === 'Remove' && r.before) ? (
                <details>
                  <summary className="cursor-pointer text-xs text-primary">{t('deploy.diff.allProperties')}</summary>
                  <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{r.action === 'Add' ? r.after : r.before}</pre>
                </details>
              ) : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
