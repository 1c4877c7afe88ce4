import { z } from 'zod';
import { FINDING_KINDS, SEVERITIES } from '@/lib/iam-audit/rules';
import { safeText } from '@/lib/security/text';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Filters of the findings page and the export (query string). */
export const findingFilterSchema = z.object({
  kind: z.preprocess(blank, z.enum(FINDING_KINDS, { message: `kind must be one of ${FINDING_KINDS.join(', ')}` }).optional()),
  severity: z.preprocess(blank, z.enum(SEVERITIES, { message: `severity must be one of ${SEVERITIES.join(', ')}` }).optional()),
});

/** The export's format: CSV unless asked otherwise; anything else is a 400. */
export const findingsExportSchema = findingFilterSchema.extend({
  format: z.enum(['csv', 'json'], { message: 'format must be csv or json' }).default('csv'),
});

export const runScanSchema = z.object({}).strict();
export const proposeBaselineSchema = z.object({}).strict();

const planId = safeText(z.string().min(1).max(64));

/** Approve or reject a proposed plan; the comment is optional. */
export const decideBaselineSchema = z.object({
  planId,
  decision: z.enum(['APPROVE', 'REJECT']),
  comment: safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.')).default(''),
});

export const applyBaselineSchema = z.object({ planId });
