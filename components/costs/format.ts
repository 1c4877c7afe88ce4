import type { Formula } from '@/lib/costs/model';
import { formatMoney, formatNumber } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

/** A line's arithmetic in the reader's language: numbers and unit prices formatted in the locale. */
export function formulaText(formula: Formula, t: Translate): string {
  const locale = t.locale;
  const values: Record<string, string> = {};
  for (const [name, v] of Object.entries(formula.values))
    values[name] = 'usd' in v ? formatMoney(v.usd, locale, { significant: 6 }) : 'n' in v ? formatNumber(v.n, locale, v.digits ?? 2) : v.text;
  return t(`costs.formula.${formula.key}`, values);
}

/** Series colours, one per service (stable by position in the stacking order). */
export const SERIES_COLORS = ['#1d4ed8', '#b45309', '#15803d', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf', '#475569', '#c2410c'];
