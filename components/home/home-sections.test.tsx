// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithI18n, t } from '@/components/testing/render';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';

const loadAlarms = vi.fn();
const environmentHealth = vi.fn();
vi.mock('@/lib/alarms/service', () => ({ loadAlarms: (...a: unknown[]) => loadAlarms(...a) }));
vi.mock('@/lib/server/alarms/wiring', () => ({ alarmDeps: () => ({}), environmentHealth: () => environmentHealth() }));

const { FiringAlarms, UnhealthyEnvironments } = await import('@/app/_home/sections');

const actor: Actor = { id: 'ops', name: 'Ops', email: 'ops@example.com', roles: ['OPS'], teams: [] };
const props = { actor, now: new Date('2026-12-07T10:00:00Z'), t, locale: 'en' as const, zone: 'UTC' };
const alarm = (name: string, state: string) => ({ name, state, region: 'eu-central-1', accountKey: 'home', stateUpdatedAt: '2026-12-07T09:00:00Z' });

describe('home sections degrade one at a time', () => {
  beforeEach(() => {
    loadAlarms.mockReset();
    environmentHealth.mockReset();
    environmentHealth.mockResolvedValue([]);
  });

  it('an AWS error in alarms is a message in the alarms card; the health card beside it still renders', async () => {
    loadAlarms.mockRejectedValue(new AppError('UNAVAILABLE', 'CloudWatch is throttling DescribeAlarms'));
    renderWithI18n(
      <>
        {await FiringAlarms(props)}
        {await UnhealthyEnvironments(props)}
      </>,
    );
    expect(screen.getByTestId('home-alarms-error').textContent).toBe(t('home.sectionError', { error: 'CloudWatch is throttling DescribeAlarms' }));
    expect(within(screen.getByTestId('home-health')).getByText(t('home.health.noData'))).toBeTruthy();
  });

  it('one failed account or region is named; the alarms firing elsewhere are still listed', async () => {
    loadAlarms.mockResolvedValue({
      alarms: [alarm('prod-api-5xx', 'ALARM'), alarm('prod-db-cpu', 'OK')],
      sources: [
        { source: 'cloudwatch:eu-central-1', fetchedAt: null, stale: false, error: null },
        {
          source: 'cloudwatch:us-east-1',
          fetchedAt: null,
          stale: false,
          error: { code: 'AccessDenied', message: 'not authorized', since: '2026-12-07T09:00:00Z' },
        },
      ],
    });
    renderWithI18n(await FiringAlarms(props));
    const card = screen.getByTestId('home-alarms');
    expect(within(card).getByRole('alert').textContent).toBe(t('home.alarms.sourceFailed', { source: 'cloudwatch:us-east-1', error: 'not authorized' }));
    expect(within(card).getByTestId('home-alarms-count').textContent).toBe('1');
    expect(card.querySelectorAll('li[data-alarm]')).toHaveLength(1);
    expect(within(card).getByRole('link', { name: 'prod-api-5xx' }).getAttribute('href')).toBe('/alarms/prod-api-5xx?region=eu-central-1');
  });

  it('an unexpected failure is logged and shown without its details', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    loadAlarms.mockRejectedValue(new Error('socket hang up at 10.0.3.7'));
    renderWithI18n(await FiringAlarms(props));
    expect(screen.getByTestId('home-alarms-error').textContent).toBe(t('home.sectionError', { error: 'unexpected error (logged)' }));
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
