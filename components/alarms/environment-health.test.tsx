// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EnvironmentHealthView } from '@/components/alarms/environment-health';
import { renderWithI18n } from '@/components/testing/render';
import type { EnvironmentHealth } from '@/lib/alarms/environment-health';

const now = Date.parse('2026-12-07T10:00:00Z');
const health: EnvironmentHealth = {
  environment: 'dev',
  latest: {
    environment: 'dev',
    slot: 1,
    checkedAt: '2026-12-07T09:59:50Z',
    status: 'ok',
    httpStatus: 200,
    latencyMs: 40,
    dbOk: true,
    dbLatencyMs: 3,
    // What the endpoint claims; the card shows what Deployments says instead.
    version: 'r2026.12.01',
    error: null,
  },
  failingSince: null,
  stale: false,
  strip: [],
};

describe('EnvironmentHealthView', () => {
  it('is not "Healthy" while an alarm is in ALARM, and says why', () => {
    renderWithI18n(<EnvironmentHealthView health={health} now={now} inAlarm={1} />);
    expect(screen.getByTestId('health-badge').textContent).toBe('Degraded');
    expect(screen.getByTestId('health-alarms').textContent).toBe('1 alarm in ALARM');
  });

  it('counts several alarms in the plural', () => {
    renderWithI18n(<EnvironmentHealthView health={health} now={now} inAlarm={3} />);
    expect(screen.getByTestId('health-alarms').textContent).toBe('3 alarms in ALARM');
  });

  it('is "Healthy" with a good answer and no alarm in ALARM', () => {
    renderWithI18n(<EnvironmentHealthView health={health} now={now} inAlarm={0} />);
    expect(screen.getByTestId('health-badge').textContent).toBe('Healthy');
  });

  it('shows what Deployments says runs there, never the endpoint’s own version', () => {
    renderWithI18n(<EnvironmentHealthView health={health} now={now} deployed={{ deployed: false, release: null }} />);
    expect(screen.getByTestId('deployed-release').textContent).toBe('Not deployed');
    expect(screen.queryByText(/r2026\.12\.01/)).toBeNull();
  });

  it('names the deployed release', () => {
    renderWithI18n(<EnvironmentHealthView health={health} now={now} deployed={{ deployed: true, release: 'r2026.10.28' }} />);
    expect(screen.getByTestId('deployed-release').textContent).toBe('Deployed: r2026.10.28');
  });
});
