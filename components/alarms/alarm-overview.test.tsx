// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fetchJson } from '@/components/fetch-json';
import { AlarmsOverview, type OverviewFilters, type OverviewResponse } from '@/components/alarms/alarm-overview';
import { button, renderWithI18n, t } from '@/components/testing/render';

vi.mock('@/components/fetch-json', () => ({ fetchJson: vi.fn() }));

const OVERVIEW: OverviewResponse = {
  sources: [],
  counts: [{ environment: 'dev', counts: { ALARM: 2, INSUFFICIENT_DATA: 0, OK: 3 } }],
  total: 5,
  matched: 5,
  groups: [],
  facets: { environments: ['dev', 'prod'], services: ['api', 'worker'], regions: ['eu-central-1'] },
  serverTime: new Date().toISOString(),
};

const apiCalls = () =>
  vi
    .mocked(fetchJson)
    .mock.calls.map(([url]) => url)
    .filter((url) => url.startsWith('/api/v1/alarms'));

beforeEach(() => {
  window.history.replaceState(null, '', '/alarms');
  vi.mocked(fetchJson).mockReset();
  vi.mocked(fetchJson).mockImplementation(async (url: string) =>
    url.startsWith('/api/v1/alarms') ? OVERVIEW : { environments: [], serverTime: OVERVIEW.serverTime },
  );
});

function renderOverview(initialFilters: OverviewFilters = {}) {
  return renderWithI18n(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <AlarmsOverview initial={OVERVIEW} initialFilters={initialFilters} initialHealth={null} warning={null} />
    </QueryClientProvider>,
  );
}

const select = (label: string) => screen.getByLabelText<HTMLSelectElement>(label);

describe('AlarmsOverview filters', () => {
  it('keeps the chosen filters in the URL, asks the API with them, and clears them all at once', async () => {
    const { user } = renderOverview();
    expect(screen.queryByRole('button', { name: t('alarms.filter.reset') })).toBeNull();

    await user.selectOptions(select(t('alarms.filter.state')), 'ALARM');
    await user.selectOptions(select(t('alarms.filter.service')), 'worker');
    await user.selectOptions(select(t('alarms.filter.sort')), 'name');

    await waitFor(() => expect(window.location.search).toBe('?state=ALARM&service=worker&sort=name'));
    await waitFor(() => expect(apiCalls()).toContain('/api/v1/alarms?state=ALARM&service=worker&sort=name'));

    await user.click(button(t('alarms.filter.reset')));
    await waitFor(() => expect(`${window.location.pathname}${window.location.search}`).toBe('/alarms'));
    expect(select(t('alarms.filter.state')).value).toBe('');
    expect(screen.queryByRole('button', { name: t('alarms.filter.reset') })).toBeNull();
  });

  it('searches after a pause in typing, not on every keystroke', async () => {
    const { user } = renderOverview();
    await user.type(screen.getByLabelText(t('alarms.filter.search')), 'api');

    await waitFor(() => expect(window.location.search).toBe('?q=api'));
    await waitFor(() => expect(apiCalls()).toContain('/api/v1/alarms?q=api'));
    expect(apiCalls().filter((url) => url.includes('q='))).toEqual(['/api/v1/alarms?q=api']);
  });

  it("filters on an environment's state from its count", async () => {
    const { user } = renderOverview();
    await user.click(screen.getByTestId('count-dev-ALARM'));

    await waitFor(() => expect(window.location.search).toBe('?state=ALARM&env=dev'));
    expect(select(t('alarms.filter.state')).value).toBe('ALARM');
    expect(select(t('alarms.filter.env')).value).toBe('dev');
  });

  it('starts from the filters of the link, and a region alone is not something to clear', async () => {
    const { user } = renderOverview({ region: 'eu-central-1', order: 'desc' });
    expect(select(t('alarms.filter.order')).value).toBe('desc');
    await waitFor(() => expect(window.location.search).toBe('?order=desc&region=eu-central-1'));
    await user.click(button(t('alarms.filter.reset')));
    await waitFor(() => expect(window.location.search).toBe('?region=eu-central-1'));
    expect(screen.queryByRole('button', { name: t('alarms.filter.reset') })).toBeNull();
  });
});

describe('AlarmsOverview across accounts', () => {
  const item = (accountKey: string, alias: string) => ({
    accountKey,
    account: { accountId: accountKey, alias },
    region: 'eu-central-1',
    name: 'serverless-prod-api-errors',
    type: 'metric' as const,
    state: 'OK' as const,
    stateReason: 'fine',
    stateUpdatedAt: '2026-11-30T08:00:00.000Z',
    environment: 'prod',
    service: 'api',
    metric: 'AWS/Lambda Errors',
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    unit: 'Count',
  });
  const MULTI: OverviewResponse = {
    ...OVERVIEW,
    groups: [{ environment: 'prod', services: [{ service: 'api', alarms: [item('111111111111', 'dev'), item('222222222222', 'prod')] }] }],
    facets: {
      ...OVERVIEW.facets,
      accounts: [
        { key: '111111111111', account: { accountId: '111111111111', alias: 'dev' } },
        { key: '222222222222', account: { accountId: '222222222222', alias: 'prod' } },
      ],
    },
  };

  it('labels each alarm with its account, links to it in that account, and filters on an account', async () => {
    vi.mocked(fetchJson).mockImplementation(async (url: string) =>
      url.startsWith('/api/v1/alarms') ? MULTI : { environments: [], serverTime: OVERVIEW.serverTime },
    );
    const { user } = renderWithI18n(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AlarmsOverview initial={MULTI} initialFilters={{}} initialHealth={null} warning={null} />
      </QueryClientProvider>,
    );
    const rows = screen.getAllByTestId('alarm-row');
    expect(rows.map((r) => r.querySelector('[data-testid="aws-account"]')?.textContent)).toEqual(['dev · 111111111111', 'prod · 222222222222']);
    expect(rows.map((r) => r.querySelector('a')?.getAttribute('href'))).toEqual([
      '/alarms/serverless-prod-api-errors?account=111111111111',
      '/alarms/serverless-prod-api-errors?account=222222222222',
    ]);
    await user.selectOptions(select(t('alarms.filter.account')), '222222222222');
    await waitFor(() => expect(window.location.search).toBe('?account=222222222222'));
    await waitFor(() => expect(apiCalls()).toContain('/api/v1/alarms?account=222222222222'));
  });

  it('offers no account filter with one account', () => {
    renderOverview();
    expect(screen.queryByLabelText(t('alarms.filter.account'))).toBeNull();
  });
});
