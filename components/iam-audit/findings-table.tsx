import { AwsAccount } from '@/components/cloud/aws-account';
import { PolicyJson } from '@/components/iam-audit/policy-json';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
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

function FindingRow({ f, t }: { f: Finding; t: Translate }) {
  return (
    <tr data-finding-id={f.id} data-kind={f.kind} data-principal={f.principal.name}>
      <Td>
        <Badge tone={TONE[f.severity]}>{t(`iamAudit.severity.${f.severity}`)}</Badge>
      </Td>
      <Td className="text-sm">
        <p className="font-medium">{t(`iamAudit.kind.${f.kind}`)}</p>
        <p className="max-w-xs text-muted">{whyText(f, t)}</p>
      </Td>
      <Td className="text-xs">
        <p>
          <span className="text-muted">{t(`iamAudit.principalType.${f.principal.type}`)} </span>
          <span className="font-mono">{f.principal.name}</span>
        </p>
        <p className="break-all font-mono text-muted">{f.principal.arn}</p>
        <AwsAccount account={f.account} />
      </Td>
      <Td className="text-xs">
        {f.policy ? (
          <>
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
            <p className="break-all font-mono text-muted">{f.policy.kind === 'managed' ? f.policy.arn : f.policy.ownerArn}</p>
          </>
        ) : (
          '—'
        )}
      </Td>
      <Td>
        {f.statement ? (
          <>
            <p className="text-xs text-muted">{t('iamAudit.statementIndex', { index: f.statementIndex ?? 0 })}</p>
            <PolicyJson value={f.statement} label={t('iamAudit.col.statement')} />
          </>
        ) : (
          '—'
        )}
      </Td>
      <Td>
        <SuggestionCell f={f} t={t} />
      </Td>
    </tr>
  );
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
        <Table data-testid="iam-findings">
          <thead>
            <tr>
              <Th>{t('iamAudit.col.severity')}</Th>
              <Th>{t('iamAudit.col.kind')}</Th>
              <Th>{t('iamAudit.col.principal')}</Th>
              <Th>{t('iamAudit.col.policy')}</Th>
              <Th>{t('iamAudit.col.statement')}</Th>
              <Th>{t('iamAudit.col.suggestion')}</Th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <FindingRow key={f.id} f={f} t={t} />
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
