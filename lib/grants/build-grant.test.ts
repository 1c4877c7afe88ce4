import { describe, expect, it } from 'vitest';
import { buildGrant, type GrantInputs } from '@/lib/grants/build-grant';
import { principalFromArn } from '@/lib/grants/principals';

const NOW = new Date('2026-12-07T09:00:00Z');
const MINJI = principalFromArn('arn:aws:iam::111122223333:user/minji.kim');
const inputs = (account: GrantInputs['account']): GrantInputs => ({
  principal: MINJI,
  secret: null,
  role: { function: 'on-call', description: 'On call', permissions: [{ actions: ['logs:FilterLogEvents'], resources: ['*'] }] },
  team: { id: 'team_payments', slug: 'payments' },
  requesterEmail: 'minji.kim@example.com',
  account,
});
const request = (type: 'ROLE' | 'SECRET_REGISTER') => ({
  id: 'req1',
  type,
  environment: 'PROD',
  startsAt: null,
  durationMinutes: 60,
  proposedSecret: { name: 'prod/payments/new-key', description: 'A key', rotationDays: null },
});

describe('buildGrant across accounts', () => {
  it('makes a registration’s secret and a team role in the environment’s account and region', () => {
    const prod = { accountId: '444455556666', region: 'eu-central-1' };
    const register = buildGrant(request('SECRET_REGISTER'), inputs(prod), NOW, 'g1');
    expect(register.resourceArn).toBe('arn:aws:secretsmanager:eu-central-1:444455556666:secret:prod/payments/new-key-??????');
    const role = buildGrant(request('ROLE'), inputs(prod), NOW, 'g2');
    expect(role.resourceArn).toBe('arn:aws:iam::444455556666:role/gatehouse/roles/gatehouse-payments-prod-on-call');
    expect(role.policy.Statement.flatMap((s) => s.Resource)).toContain(role.resourceArn);
  });

  it('with one account (no id configured), uses the principal’s account as before', () => {
    const home = { accountId: null, region: 'us-east-1' };
    expect(buildGrant(request('SECRET_REGISTER'), inputs(home), NOW, 'g1').resourceArn).toBe(
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/new-key-??????',
    );
    expect(buildGrant(request('ROLE'), inputs(home), NOW, 'g2').resourceArn).toBe(
      'arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-payments-prod-on-call',
    );
  });
});
