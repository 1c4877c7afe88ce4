'use client';

import { useMemo, useState } from 'react';
import dynamic from 'next/dynamic';
import { formulaText } from '@/components/costs/format';
import { useI18n } from '@/components/i18n-provider';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Checkbox, Field, Input, Select } from '@/components/ui/field';
import { Table, Td, Th } from '@/components/ui/table';
import { computeCostModel, costCurve, findBreakEven, reproduceDocument, type Architecture, type ArchitectureCost, type DocumentClaim } from '@/lib/costs/model';
import { DB_INSTANCE_CLASSES, PRICE_TABLE, REGIONS, type PriceEntry, type RegionCode } from '@/lib/costs/prices';
import { costModelInputsSchema, DB_KINDS, EGRESS, modelInputsToParams, type CostModelField, type CostModelInputs } from '@/lib/costs/schemas';
import { moneyFormat, numberFormat, type AmountFormat } from '@/lib/i18n/format';
import type { MessageKey } from '@/lib/i18n/messages';

// recharts is fetched only for the chart, after the form and the totals (docs/decisions/052-page-weight-budget.md).
const CostCurveChart = dynamic(() => import('@/components/costs/cost-curve-chart'), {
  ssr: false,
  loading: () => <div className="h-full w-full animate-pulse rounded-md bg-border/30" />,
});

type Raw = Record<CostModelField, string | boolean>;

interface Field {
  key: CostModelField;
  kind: 'number' | 'select' | 'checkbox';
  options?: readonly (string | number)[];
  optionLabel?: (v: string) => MessageKey;
  step?: number;
  hint?: MessageKey;
  /** Shown only when this is true of the current inputs. */
  when?: (i: CostModelInputs) => boolean;
}

const GROUPS: { title: MessageKey; fields: Field[] }[] = [
  {
    title: 'costs.model.group.traffic',
    fields: [
      { key: 'normalPerHour', kind: 'number', step: 10, hint: 'costs.model.hint.normalPerHour' },
      { key: 'peakPerHour', kind: 'number', step: 100, hint: 'costs.model.hint.peakPerHour' },
      { key: 'peakDays', kind: 'number', step: 1, hint: 'costs.model.hint.peakDays' },
      { key: 'payloadKb', kind: 'number', step: 1, hint: 'costs.model.hint.assumed' },
    ],
  },
  {
    title: 'costs.model.group.lambda',
    fields: [
      { key: 'lambdaMemoryMb', kind: 'number', step: 64, hint: 'costs.model.hint.assumed' },
      { key: 'lambdaDurationMs', kind: 'number', step: 10, hint: 'costs.model.hint.assumed' },
    ],
  },
  {
    title: 'costs.model.group.fargate',
    fields: [
      { key: 'taskVcpu', kind: 'select', options: [0.25, 0.5, 1, 2, 4], hint: 'costs.model.hint.taskSize' },
      { key: 'taskMemoryGb', kind: 'number', step: 0.5, hint: 'costs.model.hint.taskSize' },
      { key: 'tasksNormal', kind: 'number', step: 1, hint: 'costs.model.hint.tasks' },
      { key: 'tasksPeak', kind: 'number', step: 1, hint: 'costs.model.hint.tasks' },
      { key: 'taskCapacityPerHour', kind: 'number', step: 1000, hint: 'costs.model.hint.assumed' },
    ],
  },
  {
    title: 'costs.model.group.database',
    fields: [
      { key: 'dbKind', kind: 'select', options: DB_KINDS, optionLabel: (v) => `costs.model.dbKind.${v}` as MessageKey },
      { key: 'dbClass', kind: 'select', options: DB_INSTANCE_CLASSES, when: (i) => i.dbKind === 'provisioned' },
      { key: 'auroraAcu', kind: 'number', step: 0.5, when: (i) => i.dbKind === 'aurora-serverless' },
      { key: 'dbStorageGb', kind: 'number', step: 10 },
    ],
  },
  {
    title: 'costs.model.group.network',
    fields: [
      { key: 'region', kind: 'select', options: REGIONS },
      { key: 'azCount', kind: 'number', step: 1 },
      { key: 'freeTier', kind: 'checkbox' },
      { key: 'omitted', kind: 'checkbox' },
      { key: 'multiAz', kind: 'checkbox', when: (i) => i.omitted },
      { key: 'egress', kind: 'select', options: EGRESS, optionLabel: (v) => `costs.model.egress.${v}` as MessageKey, when: (i) => i.omitted },
      { key: 'secrets', kind: 'number', step: 1, when: (i) => i.omitted },
      { key: 'alarms', kind: 'number', step: 1, when: (i) => i.omitted },
    ],
  },
];

function toRaw(inputs: CostModelInputs): Raw {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === 'boolean' ? v : String(v)])) as Raw;
}

const fieldClass = 'px-2 py-1.5';

/** The cost model: inputs, both architectures line by line, the document reproduced, cost against traffic. */
export function CostModel({ initial }: { initial: CostModelInputs }) {
  const { t, locale } = useI18n();
  const [raw, setRaw] = useState<Raw>(() => toRaw(initial));
  const [inputs, setInputs] = useState<CostModelInputs>(initial);

  const parsed = costModelInputsSchema.safeParse(raw);
  const errors: Partial<Record<CostModelField, string>> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path[0] as CostModelField] ??= issue.message;

  const update = (key: CostModelField, value: string | boolean) => {
    const next = { ...raw, [key]: value };
    setRaw(next);
    const p = costModelInputsSchema.safeParse(next);
    if (!p.success) return;
    setInputs(p.data);
    // The URL carries the inputs (only those that differ from the document's) so a comparison can be shared.
    const qs = modelInputsToParams(p.data).toString();
    window.history.replaceState(null, '', qs ? `?${qs}` : window.location.pathname);
  };

  const result = useMemo(() => computeCostModel(inputs), [inputs]);
  const curve = useMemo(() => costCurve(inputs), [inputs]);
  const breakEven = useMemo(() => findBreakEven(inputs, PRICE_TABLE, curve), [inputs, curve]);
  const doc = useMemo(() => reproduceDocument(), []);

  const money = moneyFormat(locale);
  const cents = moneyFormat(locale, { significant: 4 });
  const num = numberFormat(locale, 0);
  const dec = numberFormat(locale, 2);
  const archName = (a: Architecture) => t(`costs.model.arch.${a}`);
  const cheaper: Architecture = result.lambda.total <= result.fargate.total ? 'lambda' : 'fargate';
  const region = inputs.region as RegionCode;

  const claimImplies = (c: DocumentClaim): string => {
    const v = c.implied;
    switch (c.id) {
      case 'fargate.tasks':
        return t('costs.implies.fargate.tasks', {
          tasks: dec.format(v.alwaysOnTasks ?? 0),
          two: money.format(v.twoTasksUsd ?? 0),
          computed: money.format(c.computedUsd),
        });
      case 'alb':
        return t('costs.implies.alb', {
          lcu: dec.format(v.averageLcu ?? 0),
          lcuHours: dec.format(v.modelledLcuHours ?? 0),
          fixed: money.format(v.fixedUsd ?? 0),
        });
      case 'lambda.eni':
        return t('costs.implies.lambda.eni', { nat: money.format(v.natGatewayUsd ?? 0) });
      case 'lambda.run':
        return t('costs.implies.lambda.run', {
          requests: num.format(v.monthlyRequests ?? 0),
          gbs: dec.format(v.gbSecondsPerRequest ?? 0),
          without: money.format(v.withoutFreeTierUsd ?? 0),
        });
      case 'rdsProxy':
        return t('costs.implies.rdsProxy', { vcpus: dec.format(v.vcpus ?? 0), aurora: money.format(v.auroraMinimumUsd ?? 0) });
    }
  };

  const priceRows = Object.entries(PRICE_TABLE.regions[region]).flatMap(([key, entry]) =>
    'usd' in entry
      ? [[key, entry as PriceEntry] as const]
      : Object.entries(entry as Record<string, PriceEntry>).map(([cls, e]) => [`rdsInstanceHour ${cls}`, e] as const),
  );

  return (
    <div className="space-y-5">
      <p className="text-sm text-muted" data-testid="price-version">
        {t('costs.model.prices', { version: PRICE_TABLE.version, region, date: PRICE_TABLE.retrievedOn })}
      </p>

      <Card>
        <CardTitle>{t('costs.model.inputs')}</CardTitle>
        <form className="grid gap-5 lg:grid-cols-2" onSubmit={(e) => e.preventDefault()} aria-label={t('costs.model.inputs')}>
          {GROUPS.map((g) => (
            <fieldset key={g.title} className="space-y-3 rounded-md border border-border p-3">
              <legend className="px-1 text-sm font-semibold">{t(g.title)}</legend>
              <div className="grid gap-3 sm:grid-cols-2">
                {g.fields
                  .filter((f) => !f.when || f.when(inputs))
                  .map((f) => {
                    const label = t(`costs.model.field.${f.key}` as MessageKey);
                    const error = errors[f.key];
                    if (f.kind === 'checkbox') {
                      return (
                        <Checkbox
                          key={f.key}
                          name={f.key}
                          checked={raw[f.key] === true}
                          onChange={(e) => update(f.key, e.target.checked)}
                          label={label}
                          className="sm:col-span-2"
                        />
                      );
                    }
                    return (
                      <Field key={f.key} id={`cost-${f.key}`} label={label} error={error} hint={!error && f.hint ? t(f.hint) : undefined}>
                        {f.kind === 'select' ? (
                          <Select name={f.key} value={String(raw[f.key])} onChange={(e) => update(f.key, e.target.value)} className={fieldClass}>
                            {f.options!.map((o) => (
                              <option key={String(o)} value={String(o)}>
                                {f.optionLabel ? t(f.optionLabel(String(o))) : String(o)}
                              </option>
                            ))}
                          </Select>
                        ) : (
                          <Input
                            type="number"
                            inputMode="decimal"
                            name={f.key}
                            step={f.step}
                            value={String(raw[f.key])}
                            onChange={(e) => update(f.key, e.target.value)}
                            className={`${fieldClass} tabular-nums`}
                          />
                        )}
                      </Field>
                    );
                  })}
              </div>
              {g.title === 'costs.model.group.network' && inputs.omitted && inputs.egress === 'endpoints' ? (
                <p className="text-xs text-warn">{t('costs.model.endpointsSlack')}</p>
              ) : null}
            </fieldset>
          ))}
        </form>
      </Card>

      <div className="grid gap-4 md:grid-cols-2">
        {(['lambda', 'fargate'] as const).map((a) => (
          <Card key={a} data-testid={`total-${a}`}>
            <p className="text-sm text-muted">{archName(a)}</p>
            <p className="text-3xl font-bold tabular-nums" data-testid={`total-${a}-amount`}>
              {money.format(result[a].total)}
            </p>
            <p className="text-xs text-muted">
              {t('costs.model.total')} · {t('costs.model.documentPart', { amount: money.format(result[a].documentUsd) })}
            </p>
          </Card>
        ))}
      </div>
      <p className="text-sm" data-testid="model-verdict">
        {t('costs.model.requests', { requests: num.format(result.traffic.monthlyRequests) })} ·{' '}
        {t('costs.model.cheaper', { arch: archName(cheaper), amount: money.format(Math.abs(result.lambda.total - result.fargate.total)) })}
      </p>

      <Card>
        <CardTitle>{t('costs.model.chart')}</CardTitle>
        <figure data-testid="model-chart" className="w-full">
          <div className="h-80 w-full">
            <CostCurveChart
              curve={curve}
              normalPerHour={inputs.normalPerHour}
              breakEvenPerHour={breakEven?.normalPerHour ?? null}
              names={{ lambda: archName('lambda'), fargate: archName('fargate') }}
              money={money}
              num={num}
            />
          </div>
          <figcaption className="mt-1 text-xs text-muted">{t('costs.model.chartAxis')}</figcaption>
        </figure>
        <p className="mt-2 text-sm font-medium" data-testid="break-even">
          {breakEven
            ? t('costs.model.breakEven', {
                perHour: num.format(breakEven.normalPerHour),
                requests: num.format(breakEven.monthlyRequests),
                amount: money.format(breakEven.usd),
              })
            : t('costs.model.noBreakEven', { arch: archName(curve[0] && curve[0].lambda <= curve[0].fargate ? 'lambda' : 'fargate') })}
        </p>
      </Card>

      <div className="grid gap-4 xl:grid-cols-2">
        {(['lambda', 'fargate'] as const).map((a) => (
          <LineTable key={a} cost={result[a]} title={archName(a)} money={cents} />
        ))}
      </div>

      <Card>
        <CardTitle>{t('costs.model.reproduction')}</CardTitle>
        <Table data-testid="document-reproduction">
          <thead>
            <tr>
              <Th>{t('costs.model.col.item')}</Th>
              <Th className="text-right">{t('costs.model.col.claim')}</Th>
              <Th className="text-right">{t('costs.model.col.computed')}</Th>
              <Th>{t('costs.model.col.implies')}</Th>
            </tr>
          </thead>
          <tbody>
            {doc.claims.map((c) => (
              <tr key={c.id}>
                <Td>
                  <div>{t(`costs.claim.${c.id}`)}</div>
                  <div className="text-xs text-muted">{archName(c.arch)}</div>
                </Td>
                <Td className="text-right tabular-nums">{money.format(c.claimedUsd)}</Td>
                <Td className="text-right tabular-nums">{money.format(c.computedUsd)}</Td>
                <Td className="text-sm">{claimImplies(c)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
        <p className="mt-2 text-sm" data-testid="document-totals">
          {t('costs.model.totals', {
            lambda: money.format(doc.claimedTotals.lambda),
            fargate: money.format(doc.claimedTotals.fargate),
            lambdaComputed: money.format(doc.computedTotals.lambda),
            fargateComputed: money.format(doc.computedTotals.fargate),
          })}
        </p>
      </Card>

      <Card>
        <details>
          <summary className="cursor-pointer text-sm font-semibold">{t('costs.model.priceTable', { version: PRICE_TABLE.version })}</summary>
          <Table className="mt-2">
            <thead>
              <tr>
                <Th>{t('costs.model.col.item')}</Th>
                <Th className="text-right">{t('costs.model.col.price')}</Th>
                <Th>{t('costs.model.col.source')}</Th>
                <Th>{t('costs.model.col.checked')}</Th>
              </tr>
            </thead>
            <tbody>
              {priceRows.map(([key, e]) => (
                <tr key={key}>
                  <Td className="font-mono text-xs">{key}</Td>
                  <Td className="text-right tabular-nums">
                    ${e.usd} <span className="text-xs text-muted">{e.unit}</span>
                  </Td>
                  <Td className="text-xs">
                    <a href={e.source} className="text-primary underline" rel="noreferrer" target="_blank">
                      {e.source.replace('https://', '')}
                    </a>{' '}
                    ({e.date})
                  </Td>
                  <Td className="text-xs">{e.checked}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </details>
      </Card>
    </div>
  );
}

function LineTable({ cost, title, money }: { cost: ArchitectureCost; title: string; money: AmountFormat }) {
  const { t } = useI18n();
  return (
    <Card>
      <CardTitle>{title}</CardTitle>
      <Table data-testid={`lines-${cost.arch}`}>
        <thead>
          <tr>
            <Th>{t('costs.model.col.item')}</Th>
            <Th>{t('costs.model.col.how')}</Th>
            <Th className="text-right">{t('costs.model.col.cost')}</Th>
          </tr>
        </thead>
        <tbody>
          {cost.lines.map((l) => (
            <tr key={l.id}>
              <Td>
                <div>{t(`costs.line.${l.id}`)}</div>
                <Badge tone={l.group === 'document' ? 'neutral' : 'warn'}>
                  {l.group === 'document' ? t('costs.model.inDocument') : t('costs.model.leftOut')}
                </Badge>
              </Td>
              <Td className="font-mono text-xs text-muted">{formulaText(l.formula, t)}</Td>
              <Td className="text-right tabular-nums">{money.format(l.usd)}</Td>
            </tr>
          ))}
          <tr>
            <Td className="font-semibold">{t('costs.model.total')}</Td>
            <Td />
            <Td className="text-right font-semibold tabular-nums">{money.format(cost.total)}</Td>
          </tr>
        </tbody>
      </Table>
    </Card>
  );
}
