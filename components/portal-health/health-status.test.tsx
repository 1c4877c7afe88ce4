// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthStatus } from '@/components/portal-health/health-status';
import { renderWithI18n, t } from '@/components/testing/render';
import type { HealthReport } from '@/lib/portal-health/check-health';

const REPORT: HealthReport = {
  status: 'fail',
  checkedAt: '2026-12-07T09:00:00.000Z',
  checks: {
    database: { status: 'ok', latencyMs: 3 },
    aws: { status: 'ok', latencyMs: 40 },
    'aws:dev (111111111111)': { status: 'ok', latencyMs: 55 },
    'aws:prod (333333333333)': { status: 'fail', latencyMs: 70, error: 'cannot assume arn:aws:iam::333333333333:role/gatehouse-prod: denied' },
  },
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('HealthStatus', () => {
  it('names each account STS was asked in, and shows which one fails', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(REPORT), { status: 503 })),
    );
    renderWithI18n(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <HealthStatus />
      </QueryClientProvider>,
    );
    const items = await screen.findAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      `${t('health.check.database')}${t('health.latency', { ms: 3 })}`,
      `${t('health.check.aws')}${t('health.latency', { ms: 40 })}`,
      `AWS (STS) in dev (111111111111)${t('health.latency', { ms: 55 })}`,
      'AWS (STS) in prod (333333333333)cannot assume arn:aws:iam::333333333333:role/gatehouse-prod: denied',
    ]);
    expect(screen.getByText(t('health.fail'))).toBeTruthy();
  });
});
