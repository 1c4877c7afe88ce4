import { z } from 'zod';
import { ENVIRONMENTS } from '@/lib/access/model';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Audit filters, from the page's query string or the API. */
export const auditFilterSchema = z
  .object({
    actor: z.preprocess(blank, z.string().max(64).optional()),
    action: z.preprocess(blank, z.string().regex(/^[a-z_.]+$/, 'unknown action').max(64).optional()),
    environment: z.preprocess(blank, z.enum(ENVIRONMENTS).optional()),
    team: z.preprocess(blank, z.string().max(64).optional()),
    request: z.preprocess(blank, z.string().max(64).optional()),
    from: z.preprocess(blank, z.coerce.date({ message: 'from must be a date' }).optional()),
    to: z.preprocess(blank, z.coerce.date({ message: 'to must be a date' }).optional()),
    q: z.preprocess(blank, z.string().trim().max(100).optional()),
    cursor: z.preprocess(blank, z.coerce.number().int().positive().optional()),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'from must be before to', path: ['from'] });
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const auditExportSchema = z.object({ format: z.enum(['csv', 'json']).default('csv') });
