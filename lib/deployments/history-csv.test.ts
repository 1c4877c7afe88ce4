import { describe, expect, it } from 'vitest';
import { formatHistoryCsv, HISTORY_CSV_COLUMNS } from '@/lib/deployments/history-csv';

describe('formatHistoryCsv', () => {
  it('writes one CRLF row per deployment with who planned, approved and executed, and defuses formulas', () => {
    const csv = formatHistoryCsv([
      {
        id: 'd1',
        environment: 'PROD',
        stackName: 'serverless-prod',
        status: 'ROLLED_BACK',
        changeSetType: 'UPDATE',
        templateRevision: 'ab'.repeat(32),
        parameters: { Environment: 'prod', ReleaseLabel: 'r1' },
        overrides: { ReleaseLabel: 'r1' },
        releaseId: 'r-0123456789ab',
        summary: { add: 0, modify: 3, remove: 0, replace: 1, conditional: 0 },
        plannedBy: 'Priya Raman',
        plannedAt: new Date('2026-11-29T10:00:00Z'),
        approvals: [{ name: 'Seo-yeon Park', kind: 'APPROVE', at: new Date('2026-11-29T10:05:00Z'), comment: 'ok' }],
        executedBy: 'Priya Raman',
        executedAt: new Date('2026-11-29T10:06:00Z'),
        finishedAt: new Date('2026-11-29T10:07:00Z'),
        stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
        failureReason: '=HYPERLINK("x")',
        failedResource: 'ApiFunction',
        planError: null,
      },
    ]);
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe(HISTORY_CSV_COLUMNS.join(','));
    // The release the execution deployed, beside the template revision.
    expect(header).toContain(',template_revision,release,parameters,');
    expect(end).toBe('');
    expect(row).toBe(
      `d1,prod,serverless-prod,ROLLED_BACK,UPDATE,Priya Raman,2026-11-29T10:00:00.000Z,Seo-yeon Park,2026-11-29T10:05:00.000Z,,Priya Raman,2026-11-29T10:06:00.000Z,2026-11-29T10:07:00.000Z,${'ab'.repeat(32)},r-0123456789ab,` +
        `"{""Environment"":""prod"",""ReleaseLabel"":""r1""}","{""ReleaseLabel"":""r1""}","0 to add, 3 to modify (1 replaced), 0 to remove","rolled back: ApiFunction: =HYPERLINK(""x"")",ApiFunction,"'=HYPERLINK(""x"")"`,
    );
  });
});
