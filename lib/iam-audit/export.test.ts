import { describe, expect, it } from 'vitest';
import { FINDINGS_CSV_COLUMNS, findingsContentType, findingsFileName, findingsToCsv, findingsToJson } from '@/lib/iam-audit/export';
import type { Finding } from '@/lib/iam-audit/rules';

const SCAN = { id: 'scan1', finishedAt: new Date('2026-11-29T10:00:00.000Z'), startedByName: 'Seo-yeon Park' };

const inline: Finding = {
  id: 'aaaaaaaaaaaaaaaaaaaa',
  severity: 'critical',
  kind: 'INLINE_ADMIN',
  principal: { type: 'user', name: 'ci-deployer', arn: 'arn:aws:iam::111122223333:user/ci-deployer' },
  policy: { kind: 'inline', name: 'legacy, "deploy"', ownerType: 'user', ownerName: 'ci-deployer', ownerArn: 'arn:aws:iam::111122223333:user/ci-deployer' },
  statementIndex: 0,
  statement: { Effect: 'Allow', Action: '*', Resource: '*' },
  why: 'Inline policy allows every action on every resource ("Action": "*", "Resource": "*");\nsecond line',
  facts: {},
  suggestion: {
    statement: { Effect: 'Allow', Action: ['<service>:<Action>'], Resource: ['arn:aws:<service>:*:111122223333:<resource-type>/<env>-<team>-*'] },
    scope: { team: null, env: null, source: null },
    fillIn: ['<service>', '<Action>'],
    readOnly: false,
  },
};

const unused: Finding = {
  id: 'bbbbbbbbbbbbbbbbbbbb',
  severity: 'low',
  kind: 'UNUSED_ROLE',
  principal: { type: 'role', name: '=HYPERLINK("x")', arn: 'arn:aws:iam::111122223333:role/old' },
  policy: null,
  statementIndex: null,
  statement: null,
  why: 'Last used 200 days ago (threshold 90 days).',
  facts: { lastUsedDays: 200, threshold: 90 },
  suggestion: null,
};

/** Splits RFC 4180 CSV into records of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('findingsToCsv', () => {
  it('writes the header, then one CRLF-terminated record per finding with quoting', () => {
    const csv = findingsToCsv([inline, unused], SCAN);
    expect(csv.split('\r\n')[0]).toBe(FINDINGS_CSV_COLUMNS.join(','));
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(3);
    const first = Object.fromEntries(FINDINGS_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(first).toEqual({
      id: inline.id,
      severity: 'critical',
      kind: 'INLINE_ADMIN',
      principal_type: 'user',
      principal_name: 'ci-deployer',
      principal_arn: 'arn:aws:iam::111122223333:user/ci-deployer',
      policy_type: 'inline',
      policy_name: 'legacy, "deploy"',
      policy_arn: '',
      policy_owner_arn: 'arn:aws:iam::111122223333:user/ci-deployer',
      statement_index: '0',
      statement: '{"Effect":"Allow","Action":"*","Resource":"*"}',
      why: inline.why,
      suggested_statement: JSON.stringify(inline.suggestion!.statement),
      suggestion_fill_in: '<service> <Action>',
      scan_id: 'scan1',
      scanned_at: '2026-11-29T10:00:00.000Z',
    });
    // Quotes doubled inside a quoted field, exactly as RFC 4180 says.
    expect(csv).toContain('"legacy, ""deploy"""');
    expect(csv).toContain('"{""Effect"":""Allow"",""Action"":""*"",""Resource"":""*""}"');
  });

  it('leaves empty cells for what a finding does not have, and defuses formula-like text', () => {
    const rows = parseCsv(findingsToCsv([unused], SCAN));
    const cells = Object.fromEntries(FINDINGS_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(cells).toMatchObject({ policy_type: '', policy_name: '', statement_index: '', statement: '', suggested_statement: '', suggestion_fill_in: '' });
    expect(cells.principal_name).toBe(`'=HYPERLINK("x")`);
  });

  it('is only the header for no findings', () => {
    expect(findingsToCsv([], SCAN)).toBe(FINDINGS_CSV_COLUMNS.join(',') + '\r\n');
  });
});

describe('findingsToJson', () => {
  it('writes the scan and every finding as stored', () => {
    const parsed = JSON.parse(findingsToJson([inline, unused], SCAN));
    expect(parsed).toEqual({
      scan: { id: 'scan1', scannedAt: '2026-11-29T10:00:00.000Z', startedBy: 'Seo-yeon Park' },
      count: 2,
      findings: JSON.parse(JSON.stringify([inline, unused])),
    });
  });

  it('names the download and its type', () => {
    expect(findingsFileName('csv', SCAN.finishedAt)).toBe('gatehouse-iam-findings-2026-11-29.csv');
    expect(findingsContentType('csv')).toBe('text/csv; charset=utf-8');
    expect(findingsContentType('json')).toBe('application/json');
  });
});
