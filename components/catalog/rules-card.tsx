import type { CatalogAction } from '@/components/catalog/catalog-form';
import { EditDisclosure } from '@/components/catalog/edit-disclosure';
import { RuleForm } from '@/components/catalog/rule-form';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { REQUEST_TYPES, type ApprovalRuleValues, type RequestType } from '@/lib/access/model';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import { formatMinutes } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

/** The approval rule of every (type, environment), `stored` or the built-in default. */
export type RuleGrid = Record<RequestType, Record<Environment, ApprovalRuleValues & { stored: boolean }>>;

/** Every approval rule; with `update` (rule writers), each can be edited (future requests only). */
export function RulesCard({ rules, update, t }: { rules: RuleGrid; update: CatalogAction | null; t: Translate }) {
  return (
    <Card>
      <CardTitle>{t('access.catalog.rules')}</CardTitle>
      <p className="mb-3 text-sm text-muted">{t('access.rules.futureOnly')}</p>
      <Table data-testid="rules-table">
        <thead>
          <tr>
            <Th>{t('access.rules.type')}</Th>
            <Th>{t('access.col.env')}</Th>
            <Th>{t('access.rules.approvals')}</Th>
            <Th>{t('access.rules.group')}</Th>
            <Th>{t('access.rules.max')}</Th>
            <Th>{t('access.rules.ttl')}</Th>
            <Th>{t('access.rules.breakGlass')}</Th>
            {update ? <Th /> : null}
          </tr>
        </thead>
        <tbody>
          {REQUEST_TYPES.flatMap((type) =>
            ENVIRONMENTS.map((env) => {
              const r = rules[type][env];
              return (
                <tr key={`${type}-${env}`} data-rule={`${type}/${env}`}>
                  <Td>{t(`access.type.${type}`)}</Td>
                  <Td>{t(`access.env.${env}`)}</Td>
                  <Td>{r.approvalsRequired}</Td>
                  <Td>{t(`access.group.${r.approverGroup}`)}</Td>
                  <Td>{formatMinutes(r.maxDurationMinutes, t.locale)}</Td>
                  <Td>{formatMinutes(r.pendingTtlMinutes, t.locale)}</Td>
                  <Td>
                    {r.breakGlassAllowed ? t('access.yes') : t('access.no')}
                    {r.stored ? '' : ` (${t('access.rules.default')})`}
                  </Td>
                  {update ? (
                    <Td>
                      <EditDisclosure label={t('access.catalog.edit')} target={`${t(`access.type.${type}`)} ${t(`access.env.${env}`)}`}>
                        <RuleForm requestType={type} environment={env} rule={r} action={update} />
                      </EditDisclosure>
                    </Td>
                  ) : null}
                </tr>
              );
            }),
          )}
        </tbody>
      </Table>
    </Card>
  );
}
