import * as access from '@/lib/i18n/catalog/access';
import * as alarms from '@/lib/i18n/catalog/alarms';
import * as audit from '@/lib/i18n/catalog/audit';
import * as controlPlane from '@/lib/i18n/catalog/control-plane';
import * as core from '@/lib/i18n/catalog/core';
import * as costs from '@/lib/i18n/catalog/costs';
import * as deployments from '@/lib/i18n/catalog/deployments';
import * as grants from '@/lib/i18n/catalog/grants';
import * as format from '@/lib/i18n/catalog/format';
import * as forms from '@/lib/i18n/catalog/forms';
import * as home from '@/lib/i18n/catalog/home';
import * as iamAudit from '@/lib/i18n/catalog/iam-audit';
import * as labels from '@/lib/i18n/catalog/labels';
import * as stepUp from '@/lib/i18n/catalog/step-up';
import * as tokens from '@/lib/i18n/catalog/tokens';
import * as reports from '@/lib/i18n/catalog/reports';
import * as releases from '@/lib/i18n/catalog/releases';
import * as tables from '@/lib/i18n/catalog/tables';
import { translatorFrom } from '@/lib/i18n/translate';

import { LOCALES, type Locale } from '@/lib/i18n/locales';

export type { Locale };
export const DEFAULT_LOCALE: Locale = 'en';

// One catalog, kept in a file per area so that features do not edit the same lines.
const en = {
  ...core.en,
  ...access.en,
  ...audit.en,
  ...grants.en,
  ...alarms.en,
  ...costs.en,
  ...deployments.en,
  ...iamAudit.en,
  ...controlPlane.en,
  ...format.en,
  ...labels.en,
  ...home.en,
  ...stepUp.en,
  ...tokens.en,
  ...reports.en,
  ...tables.en,
  ...releases.en,
  ...forms.en,
} as const;

export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const ko: Catalog = {
  ...core.ko,
  ...access.ko,
  ...audit.ko,
  ...grants.ko,
  ...alarms.ko,
  ...costs.ko,
  ...deployments.ko,
  ...iamAudit.ko,
  ...controlPlane.ko,
  ...format.ko,
  ...labels.ko,
  ...home.ko,
  ...stepUp.ko,
  ...tokens.ko,
  ...reports.ko,
  ...tables.ko,
  ...releases.ko,
  ...forms.ko,
};

export const MESSAGES: Record<Locale, Catalog> = { en, ko };

/** A translator; it carries its locale so that what it is handed to can format numbers and times alike. */
export type Translate = ((key: MessageKey, vars?: Record<string, string | number>) => string) & { readonly locale: Locale };

/** A translator for one locale; `{name}` placeholders and `{count, plural, …}` blocks are filled from vars. */
export function createTranslator(locale: Locale): Translate {
  return translatorFrom<MessageKey>(MESSAGES[locale], locale, en);
}

/** True when value is a supported locale. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header (q-values honoured). */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { base: tag.toLowerCase().split('-')[0] ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((c) => c.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((c) => c.base).find(isLocale) ?? DEFAULT_LOCALE;
}
