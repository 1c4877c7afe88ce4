import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRequestsSchema } from '@/lib/access/schemas';
import { alarmRefQuerySchema, metricsQuerySchema, overviewQuerySchema } from '@/lib/alarms/schemas';
import { auditExportSchema, auditFilterSchema } from '@/lib/audit/schemas';
import { costOverviewQuerySchema } from '@/lib/costs/schemas';
import { driftInputSchema, historyQuerySchema } from '@/lib/deployments/schemas';
import { findingsExportSchema } from '@/lib/iam-audit/schemas';
import { describeError } from '@/lib/server/http/errors';
import { parseQuery, queryKeys, safeParseQuery } from '@/lib/server/http/query';

const get = (query: string) => new Request(`http://localhost/api/v1/audit${query}`);

/** What a route answers for what parseQuery throws. */
function answer(work: () => unknown) {
  try {
    work();
  } catch (e) {
    return describeError(e);
  }
  throw new Error('expected a refusal');
}

describe('parseQuery', () => {
  it('refuses a parameter the list does not take, naming it: ?requestId= once returned every event', () => {
    expect(answer(() => parseQuery(get('?requestId=req_123'), auditFilterSchema))).toEqual({
      status: 400,
      body: {
        error: {
          code: 'BAD_REQUEST',
          message: 'requestId: unknown parameter (this list takes actor, action, environment, team, request, from, to, q, cursor, limit)',
          issues: [{ path: 'requestId', message: 'unknown parameter (this list takes actor, action, environment, team, request, from, to, q, cursor, limit)' }],
        },
      },
    });
    // The export takes the selection and a format, but no paging.
    expect(answer(() => parseQuery(get('?format=csv&cursor=3'), auditExportSchema)).body.error.message).toMatch(/^cursor: unknown parameter/);
    expect(answer(() => parseQuery(get('?format=csv&requestId=x'), auditExportSchema)).body.error.message).toMatch(/^requestId: unknown parameter/);
  });

  it('refuses an unknown action and a parameter given twice', () => {
    expect(answer(() => parseQuery(get('?action=request.read'), auditFilterSchema)).body.error.message).toBe('action: unknown action');
    expect(answer(() => parseQuery(get('?action=request.created&action=grant.created'), auditFilterSchema)).body.error.message).toBe(
      'action: given more than once',
    );
  });

  it('parses what the list takes', () => {
    expect(parseQuery(get('?action=user.roles_changed&request=req_1&limit=10'), auditFilterSchema)).toEqual({
      action: 'user.roles_changed',
      request: 'req_1',
      limit: 10,
    });
    expect(parseQuery(get('?format=json&action=principal.updated'), auditExportSchema)).toEqual({ format: 'json', action: 'principal.updated' });
    expect(parseQuery(get(''), auditFilterSchema)).toEqual({ limit: 50 });
  });

  it('reads a page’s search params the same way', () => {
    const bad = safeParseQuery({ requestId: 'x', action: ['request.created', 'request.expired'] }, auditFilterSchema);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message.split(' (')[0]])).toEqual([
      ['requestId', 'unknown parameter'],
      ['action', 'given more than once'],
    ]);
    expect(safeParseQuery({ action: 'request.created', team: undefined }, auditFilterSchema).data).toEqual({ action: 'request.created', limit: 50 });
  });

  it('knows the parameters of every list API’s schema, preprocessed ones included', () => {
    expect(queryKeys(costOverviewQuerySchema)).toEqual(['basis', 'env', 'team']);
    for (const schema of [
      listRequestsSchema,
      overviewQuerySchema,
      alarmRefQuerySchema,
      metricsQuerySchema,
      historyQuerySchema,
      driftInputSchema,
      findingsExportSchema,
      auditFilterSchema,
      auditExportSchema,
    ]) {
      expect(queryKeys(schema).length).toBeGreaterThan(0);
    }
    expect(answer(() => parseQuery(new Request('http://localhost/api/v1/requests?sort=newest'), listRequestsSchema)).body.error.message).toMatch(
      /^sort: unknown parameter/,
    );
  });

  it('is how every API route reads its query string', () => {
    const routes = fs
      .readdirSync('app/api', { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name === 'route.ts')
      .map((e) => path.join(e.parentPath, e.name));
    const readers = routes.filter((f) => fs.readFileSync(f, 'utf8').includes('parseQuery(request'));
    expect(readers.length).toBeGreaterThanOrEqual(11);
    // Reading searchParams any other way would skip the unknown-parameter rule.
    expect(routes.filter((f) => fs.readFileSync(f, 'utf8').includes('searchParams'))).toEqual([]);
  });
});
