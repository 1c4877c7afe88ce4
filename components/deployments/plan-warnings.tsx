import type { Translate } from '@/lib/i18n/messages';
import type { PlanWarning } from '@/lib/deployments/warnings';

/** The line of one warning: what happens to which resource. */
export function warningText(w: PlanWarning, t: Translate): string {
  const vars = { resource: w.logicalId, type: w.resourceType };
  switch (w.kind) {
    case 'ENGINE_VERSION':
      return t('deploy.warnings.ENGINE_VERSION', { ...vars, before: w.before ?? '—', after: w.after ?? '—' });
    case 'STATEFUL_REMOVE':
      return t('deploy.warnings.STATEFUL_REMOVE', vars);
    case 'STATEFUL_REPLACE':
      return t(w.after === 'Conditional' ? 'deploy.warnings.STATEFUL_REPLACE_MAYBE' : 'deploy.warnings.STATEFUL_REPLACE', vars);
    case 'IAM': {
      const action = (['Add', 'Modify', 'Remove', 'Import', 'Dynamic'] as const).find((a) => a === w.action) ?? 'Modify';
      return t('deploy.warnings.IAM', { ...vars, action: t(`deploy.warnings.action.${action}`) });
    }
  }
}

/** A plan's warnings (engine versions, stateful resources replaced or deleted, IAM), shown above the approval; nothing when there are none. */
export function PlanWarnings({ warnings, t }: { warnings: readonly PlanWarning[]; t: Translate }) {
  if (!warnings.length) return null;
  return (
    <div
      role="region"
      aria-label={t('deploy.warnings.title')}
      className="rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="plan-warnings"
    >
      <p className="mb-2 font-semibold">{t('deploy.warnings.title')}</p>
      <ul className="list-disc space-y-1 pl-5">
        {warnings.map((w, i) => (
          <li key={`${w.kind}-${w.logicalId}-${i}`} data-warning={w.kind} data-logical-id={w.logicalId}>
            {warningText(w, t)}
          </li>
        ))}
      </ul>
    </div>
  );
}
