// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SourceStatusLine } from '@/components/alarms/source-status';
import { renderWithI18n, t } from '@/components/testing/render';

const failing = (account?: { accountId: string; alias: string | null }) => ({
  source: 'cloudwatch:eu-central-1',
  ...(account ? { account } : {}),
  fetchedAt: null,
  stale: true,
  error: { code: 'UNAVAILABLE', message: 'role cannot be assumed', since: '2026-11-30T09:00:00.000Z' },
});

describe('SourceStatusLine across accounts', () => {
  it('names the account of a source that fails, and only that one', () => {
    renderWithI18n(
      <SourceStatusLine
        sources={[
          failing({ accountId: '111111111111', alias: 'dev' }),
          { ...failing({ accountId: '222222222222', alias: 'prod' }), error: null, stale: false },
        ]}
        now={Date.parse('2026-11-30T09:00:10.000Z')}
      />,
    );
    const alerts = screen.getAllByTestId('source-error');
    expect(alerts).toHaveLength(1);
    const source = t('alarms.source.inAccount', { source: t('alarms.source.cloudwatch', { region: 'eu-central-1' }), account: 'dev (111111111111)' });
    expect(alerts[0]!.textContent).toContain(source);
  });

  it('names no account for the portal’s own (unconfigured) account', () => {
    renderWithI18n(<SourceStatusLine sources={[failing()]} now={Date.parse('2026-11-30T09:00:10.000Z')} />);
    expect(screen.getByTestId('source-error').textContent).not.toContain(t('alarms.source.inAccount', { source: '', account: '' }).trim());
  });
});
