// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FindingsTable } from '@/components/iam-audit/findings-table';
import { renderWithI18n, t } from '@/components/testing/render';
import type { Finding } from '@/lib/iam-audit/rules';

const finding = (id: string, accountId: string, alias: string): Finding => ({
  id,
  severity: 'low',
  kind: 'UNUSED_ROLE',
  principal: { type: 'role', name: 'etl', arn: `arn:aws:iam::${accountId}:role/etl` },
  policy: null,
  statementIndex: null,
  statement: null,
  why: 'unused',
  facts: { days: 200, threshold: 90 },
  suggestion: null,
  account: { accountId, alias },
});

describe('FindingsTable across accounts', () => {
  it('shows each finding’s account beside its principal', () => {
    renderWithI18n(
      <FindingsTable
        findings={[finding('f1', '111111111111', 'dev'), finding('f2', '222222222222', 'prod')]}
        total={2}
        exportHrefs={{ csv: '/csv', json: '/json' }}
        t={t}
      />,
    );
    expect(screen.getAllByTestId('aws-account').map((e) => e.textContent)).toEqual(['dev · 111111111111', 'prod · 222222222222']);
  });
});
