import { z } from 'zod';
import { ENVIRONMENTS } from '@/lib/environments';
import { AUDIT_ACTIONS } from '@/lib/audit/actions';
import { plainText } from '@/lib/security/text';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** What selects events (without paging): shared by the list and the export. */
const selection = {
  actor: z.preprocess(blank, plainText(z.string().max(64)).optional()),
  // Only actions the history records: a misspelt one would silently match nothing.
  action: z.preprocess(blank, z.enum(AUDIT_ACTIONS, { message: 'unknown action' }).optional()),
  environment: z.preprocess(blank, z.enum(ENVIRONMENTS).optional()),
  team: z.preprocess(blank, plainText(z.string().max(64)).optional()),
  request: z.preprocess(blank, plainText(z.string().max(64)).optional()),
  from: z.preprocess(blank, z.coerce.date({ message: 'from must be a date' }).optional()),
  to: z.preprocess(blank, z.coerce.date({ message: 'to must be a date' }).optional()),
  q: z.preprocess(blank, plainText(z.string().trim().max(100)).optional()),
};

const orderedRange = (f: { from?: Date; to?: Date }) => !f.from || !f.to || f.from <= f.to;
const rangeError = { message: 'from must be before to', path: ['from'] };

/** Audit filters, from the page's query string or the API. */
export const auditFilterSchema = z
  .object({
    ...selection,
    cursor: z.preprocess(blank, z.coerce.number().int().positive().optional()),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine(orderedRange, rangeError);
export type AuditFilter = z.output<typeof auditFilterSchema>;

/** The export's query: the same selection (every matching event, so no paging) and a format. */
export const auditExportSchema = z
  .object({
    ...selection,
    format: z.enum(['csv', 'json'], { message: 'format must be csv or json' }).default('csv'),
  })
  .refine(orderedRange, rangeError);
