import { AwsAccount } from '@/components/cloud/aws-account';
import { PolicyJson } from '@/components/iam-audit/policy-json';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { DataTable, type DataTableRow } from '@/components/ui/data-table';
import { MiddleTruncate } from '@/components/ui/middle-truncate';
import { PAGE_TABLE_PREFIX } from '@/components/ui/table-url';
import type { Finding, Severity } from '@/lib/iam-audit/rules';
import type { Translate } from '@/lib/i18n/messages';

const TONE: Record<Severity, 'danger' | 'warn' | 'info' | 'neutral'> = { critical: 'danger', high: 'warn', medium: 'info', low: 'neutral' };

/** Why a finding is one, in the reader's language (the stored `why` is the English of exports). */
function whyText(f: Finding, t: Translate): string {
  const facts = f.facts;
  const base =
    f.kind === 'UNUSED_ROLE'
      ? t(facts.lastUsedDays !== undefined ? 'iamAudit.why.UNUSED_ROLE.lastUsed' : 'iamAudit.why.UNUSED_ROLE.never', facts)
      : (f.kind === 'INLINE_ADMIN' || f.kind === 'ADMIN_WILDCARD') && facts.except
        ? t(`iamAudit.why.${f.kind}.except`, facts)
        : t(`iamAudit.why.${f.kind}`, facts);
  const extra = [facts.members !== undefined ? t('iamAudit.why.members', facts) : null, facts.conditioned ? t('iamAudit.why.conditioned') : null].filter(
    Boolean,
  );
  return [base, ...extra].join(' ');
}

function SuggestionCell({ f, t }: { f: Finding; t: Translate }) {
  const s = f.suggestion;
  if (!s) return <p className="text-sm">{t('iamAudit.suggestion.unusedRole')}</p>;
  return (
    <div className="space-y-1 text-xs">
      {s.fillIn.length ? (
        <p className="max-w-sm break-words">
          <Badge tone="warn">{t('iamAudit.suggestion.fillIn')}</Badge>{' '}
          <span className="font-mono">{t('iamAudit.suggestion.fillInList', { placeholders: s.fillIn.join(' ') })}</span>
        </p>
      ) : null}
      <PolicyJson value={s.statement} label={t('iamAudit.col.suggestion')} />
      {s.scope.team && s.scope.source ? (
        <p className="text-muted">
          {t('iamAudit.suggestion.scope', {
            team: s.scope.team,
            env: s.scope.env ?? t('iamAudit.suggestion.anyEnv'),
            source: t(`iamAudit.suggestion.source.${s.scope.source}`),
          })}
        </p>
      ) : null}
      {s.readOnly ? <p className="text-muted">{t('iamAudit.suggestion.readOnly')}</p> : null}
      {f.kind === 'INLINE_ADMIN' || f.kind === 'ADMIN_WILDCARD' ? <p className="text-muted">{t('iamAudit.suggestion.template')}</p> : null}
    </div>
  );
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function findingRow(f: Finding, t: Translate): DataTableRow {
  const policyArn = f.policy ? (f.policy.kind === 'managed' ? f.policy.arn : f.policy.ownerArn) : null;
  return {
    id: f.id,
    attrs: { 'data-finding-id': f.id, 'data-kind': f.kind, 'data-principal': f.principal.name },
    // Severity sorts by rank (critical first), not alphabetically.
    values: { severity: SEVERITY_RANK[f.severity], kind: f.kind, principal: f.principal.name, policy: f.policy?.name ?? null },
    search: [t(`iamAudit.kind.${f.kind}`), f.principal.arn, policyArn ?? '', whyText(f, t)].join(' '),
    cells: {
      severity: <Badge tone={TONE[f.severity]}>{t(`iamAudit.severity.${f.severity}`)}</Badge>,
      kind: (
        <div className="text-sm">
          <p className="font-medium">{t(`iamAudit.kind.${f.kind}`)}</p>
          <p className="max-w-xs text-muted">{whyText(f, t)}</p>
        </div>
      ),
      principal: (
        <div className="text-xs">
          <p>
            <span className="text-muted">{t(`iamAudit.principalType.${f.principal.type}`)} </span>
            <span className="font-mono">{f.principal.name}</span>
          </p>
          <MiddleTruncate text={f.principal.arn} max={40} className="font-mono text-muted" />
          <AwsAccount account={f.account} />
        </div>
      ),
      policy: f.policy ? (
        <div className="text-xs">
          <p>
            <span className="text-muted">
              {f.policy.kind === 'inline'
                ? t('iamAudit.policy.inline')
                : f.policy.awsManaged
                  ? t('iamAudit.policy.awsManaged')
                  : t('iamAudit.policy.managed')}{' '}
            </span>
            <span className="font-mono">{f.policy.name}</span>
          </p>
          {policyArn ? <MiddleTruncate text={policyArn} max={40} className="font-mono text-muted" /> : null}
        </div>
      ) : (
        '—'
      ),
      statement: f.statement ? (
        <>
          <p className="text-xs text-muted">{t('iamAudit.statementIndex', { index: f.statementIndex ?? 0 })}</p>
          <PolicyJson value={f.statement} label={t('iamAudit.col.statement')} />
        </>
      ) : (
        '—'
      ),
      suggestion: <SuggestionCell f={f} t={t} />,
    },
  };
}

/** The findings a filter selects out of the last scan's `total`, with export links for the same selection. */
export function FindingsTable({
  findings,
  total,
  exportHrefs,
  t,
}: {
  findings: Finding[];
  total: number;
  exportHrefs: { csv: string; json: string };
  t: Translate;
}) {
  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3 text-sm">
        <p role="status" className="font-medium">
          {t('iamAudit.count', { shown: findings.length, total })}
        </p>
        <div className="flex gap-2">
          <Button asChild variant="secondary" size="sm">
            <a href={exportHrefs.csv} download>
              {t('iamAudit.export.csv')}
            </a>
          </Button>
          <Button asChild variant="secondary" size="sm">
            <a href={exportHrefs.json} download>
              {t('iamAudit.export.json')}
            </a>
          </Button>
        </div>
      </div>
      {findings.length === 0 ? (
        <p className="text-sm text-muted">{total === 0 ? t('iamAudit.none') : t('iamAudit.noneFiltered')}</p>
      ) : (
        <DataTable
          data-testid="iam-findings"
          urlPrefix={PAGE_TABLE_PREFIX}
          caption={t('iamAudit.title')}
          columns={[
            { id: 'severity', header: t('iamAudit.col.severity') },
            { id: 'kind', header: t('iamAudit.col.kind') },
            { id: 'principal', header: t('iamAudit.col.principal') },
            { id: 'policy', header: t('iamAudit.col.policy') },
            { id: 'statement', header: t('iamAudit.col.statement'), sortable: false },
            { id: 'suggestion', header: t('iamAudit.col.suggestion'), sortable: false },
          ]}
          rows={findings.map((f) => findingRow(f, t))}
        />
      )}
    </Card>
  );
}
