/**
 * Message templates: `{name}` placeholders and ICU plural blocks such as
 * `{count, plural, one {# policy} other {# policies}}`, chosen with Intl.PluralRules so each
 * language uses its own categories (Korean has only `other`). See docs/decisions/048-time-zone-policy.md.
 */

const rulesCache = new Map<string, Intl.PluralRules>();

/** The plural category of count in locale (`one`, `other`, …). */
export function pluralCategory(locale: string, count: number): Intl.LDMLPluralRule {
  let rules = rulesCache.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    rulesCache.set(locale, rules);
  }
  return rules.select(count);
}

/** Picks the form of count's category (an `=N` exact form first, else `other`); `#` becomes the count. */
export function plural(
  locale: string,
  count: number,
  forms: Partial<Record<Intl.LDMLPluralRule | `=${number}`, string>> & { other: string },
  /** What `#` shows instead of the count formatted in the locale. */
  shown?: string,
): string {
  const form = forms[`=${count}`] ?? forms[pluralCategory(locale, count)] ?? forms.other;
  return form.replace(/#/g, shown ?? new Intl.NumberFormat(locale).format(count));
}

/** Index of the brace closing the one opened at `open` (nesting counted). */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `one {…} other {…}` to a map of forms. */
function parseForms(body: string): Record<string, string> | null {
  const forms: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const match = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(body.slice(i));
    if (!match) return body.slice(i).trim() === '' ? forms : null;
    const open = i + match[0].length - 1;
    const close = closingBrace(body, open);
    if (close < 0) return null;
    forms[match[1]!] = body.slice(open + 1, close);
    i = close + 1;
  }
  return forms;
}

/** Fills a message template: plural blocks first, then `{name}` placeholders. Unknown names stay as written. */
export function formatMessage(template: string, locale: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = closingBrace(template, open);
    if (close < 0) {
      out += template.slice(open);
      break;
    }
    const inner = template.slice(open + 1, close);
    const pluralMatch = /^\s*(\w+)\s*,\s*plural\s*,/.exec(inner);
    const simple = /^(\w+)$/.exec(inner);
    if (pluralMatch && typeof vars[pluralMatch[1]!] !== 'undefined') {
      const forms = parseForms(inner.slice(pluralMatch[0].length));
      const raw = vars[pluralMatch[1]!]!;
      const count = Number(raw);
      // A count handed in already formatted ("1,234") is shown as given; its category is `other`.
      const form = forms && 'other' in forms ? plural(locale, count, forms as { other: string }, typeof raw === 'number' ? undefined : raw) : null;
      out += form === null ? template.slice(open, close + 1) : formatMessage(form, locale, vars);
    } else if (simple && simple[1]! in vars) {
      out += String(vars[simple[1]!]);
    } else {
      out += template.slice(open, close + 1);
    }
    i = close + 1;
  }
  return out;
}
