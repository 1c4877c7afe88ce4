// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PolicyCompare } from '@/components/grants/policy-compare';
import { renderWithI18n, t } from '@/components/testing/render';

const expected = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: 'arn:aws:secretsmanager:us-east-1:777788889999:secret:prod/payments/stripe-api-key-AbCdEf',
    },
  ],
};
const actual = { ...expected, Statement: [{ ...expected.Statement[0]!, Action: '*' }] };

describe('PolicyCompare', () => {
  it('shows both documents whole and highlights the changed line on each side', () => {
    const { container } = renderWithI18n(<PolicyCompare left={expected} right={actual} leftLabel="Stored" rightLabel="In AWS" t={t} />);
    const changed = container.querySelectorAll('tr[data-changed]');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.textContent).toContain('"Action": "secretsmanager:GetSecretValue"');
    expect(changed[0]!.textContent).toContain('"Action": "*"');
    // Every line of both documents is there, unclipped (long ARNs included).
    const text = screen.getByTestId('policy-compare').textContent ?? '';
    expect(text.split(expected.Statement[0]!.Resource).length - 1).toBe(2);
    expect(container.querySelectorAll('td.whitespace-pre').length).toBeGreaterThan(0);
  });

  it('says when the documents are the same', () => {
    renderWithI18n(<PolicyCompare left={expected} right={expected} leftLabel="Stored" rightLabel="In AWS" t={t} />);
    expect(screen.getByTestId('policy-compare-summary').textContent).toBe('The two documents are the same.');
  });
});
