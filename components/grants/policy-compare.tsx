import { cn } from '@/components/ui/cn';
import { diffLines, sideBySide } from '@/lib/grants/line-diff';
import type { Translate } from '@/lib/i18n/messages';

/**
 * Two JSON documents side by side, whole: kept lines face each other, changed lines are
 * highlighted (red: only in the left document, green: only in the right one). The block scrolls
 * sideways inside its own box; nothing is cut.
 */
export function PolicyCompare({
  left,
  right,
  leftLabel,
  rightLabel,
  t,
}: {
  left: unknown;
  right: unknown;
  leftLabel: string;
  rightLabel: string;
  t: Translate;
}) {
  const rows = sideBySide(diffLines(JSON.stringify(left, null, 2).split('\n'), JSON.stringify(right, null, 2).split('\n')));
  const changed = rows.filter((r) => r.changed).length;
  return (
    <div className="space-y-2" data-testid="policy-compare">
      <p className="text-xs text-muted" data-testid="policy-compare-summary">
        {changed === 0 ? (
          t('tables.reconcile.same')
        ) : (
          <>
            {t('tables.reconcile.diff')}: <span className="rounded bg-red-100 px-1 text-red-900">− {t('tables.reconcile.removed')}</span>{' '}
            <span className="rounded bg-green-100 px-1 text-green-900">+ {t('tables.reconcile.added')}</span>
          </>
        )}
      </p>
      <div className="max-w-full overflow-x-auto rounded border border-border">
        <table className="w-full border-collapse font-mono text-xs">
          <thead>
            <tr className="bg-slate-100 text-left">
              <th scope="col" className="w-1/2 px-2 py-1 font-sans font-medium">
                {leftLabel}
              </th>
              <th scope="col" className="w-1/2 border-l border-border px-2 py-1 font-sans font-medium">
                {rightLabel}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} data-changed={r.changed ? 'true' : undefined}>
                <td
                  className={cn(
                    'whitespace-pre px-2 align-top',
                    r.changed && r.left !== null && 'bg-red-100 text-red-900',
                    r.changed && r.left === null && 'bg-slate-50',
                  )}
                >
                  {r.changed && r.left !== null ? <span aria-label={t('tables.reconcile.removed')}>− </span> : '  '}
                  {r.left ?? ''}
                </td>
                <td
                  className={cn(
                    'whitespace-pre border-l border-border px-2 align-top',
                    r.changed && r.right !== null && 'bg-green-100 text-green-900',
                    r.changed && r.right === null && 'bg-slate-50',
                  )}
                >
                  {r.changed && r.right !== null ? <span aria-label={t('tables.reconcile.added')}>+ </span> : '  '}
                  {r.right ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
