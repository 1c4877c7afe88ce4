// @vitest-environment happy-dom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChangeView, changeLines, eventLabel, TargetLink } from '@/components/audit/event-parts';
import { createTranslator } from '@/lib/i18n/messages';

const en = createTranslator('en');
const ko = createTranslator('ko');

describe('eventLabel', () => {
  it('names an event in the reader’s language, not by its key', () => {
    expect(eventLabel('grant.given_back', en)).not.toBe('grant.given_back');
    expect(eventLabel('grant.given_back', en)).toBe(en('audit.action.grant.given_back'));
    expect(eventLabel('grant.given_back', ko)).toMatch(/[가-힣]/);
    expect(eventLabel('something.unknown', en)).toBe('something.unknown');
  });
});

describe('changeLines', () => {
  it('lists the fields that changed, whole, with times in the reader’s zone', () => {
    const long = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:payments/db-password-AbCdEf';
    const lines = changeLines(
      { status: 'PENDING', arn: long, endsAt: '2026-12-20T09:00:00.000Z', same: 1 },
      { status: 'APPROVED', arn: long, endsAt: '2026-12-20T10:00:00.000Z', same: 1 },
      en,
      'Europe/Berlin',
    );
    expect(lines).toEqual([
      { key: 'status', before: 'PENDING', after: 'APPROVED' },
      { key: 'ends at', before: 'Dec 20, 2026, 10:00 UTC+1', after: 'Dec 20, 2026, 11:00 UTC+1' },
    ]);
  });
  it('lists every field of a created object, nested values as whole JSON', () => {
    const lines = changeLines(null, { durationMinutes: 60, approvers: ['a', 'b'], breakGlass: false, policy: { Version: '2012-10-17' } }, en, 'UTC');
    expect(lines).toEqual([
      { key: 'duration minutes', before: undefined, after: '60' },
      { key: 'approvers', before: undefined, after: 'a, b' },
      { key: 'break glass', before: undefined, after: 'no' },
      { key: 'policy', before: undefined, after: '{"Version":"2012-10-17"}' },
    ]);
  });
  it('shows a plain value before and after', () => {
    expect(changeLines('a', 'b', en, 'UTC')).toEqual([{ key: '', before: 'a', after: 'b' }]);
    expect(changeLines(null, null, en, 'UTC')).toEqual([]);
  });
});

describe('ChangeView', () => {
  it('never cuts a value: the full text is on the page, extra fields behind a disclosure', () => {
    const after = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`field${i}`, `value ${'x'.repeat(100)} ${i}`]));
    render(<ChangeView before={null} after={after} t={en} zone="UTC" />);
    const text = screen.getByTestId('audit-change').textContent ?? '';
    expect(text).not.toContain('…');
    for (let i = 0; i < 8; i++) expect(text).toContain(`value ${'x'.repeat(100)} ${i}`);
    expect(screen.getByText('2 more fields')).toBeTruthy();
  });
});

describe('TargetLink', () => {
  it('names a grant by its request’s target and links to the request, the id in the tooltip', () => {
    render(<TargetLink type="grant" id="gmxcrmy474" requestId="req_1" names={{ 'request:req_1': 'payments/db-password' }} t={en} />);
    const link = screen.getByRole('link', { name: 'payments/db-password' });
    expect(link.getAttribute('href')).toBe('/requests/req_1');
    expect(link.getAttribute('title')).toBe('gmxcrmy474');
  });
  it('falls back to the id when the name is unknown', () => {
    render(<TargetLink type="policy" id="pol-1" requestId={null} names={{}} t={ko} />);
    expect(screen.getByText('pol-1')).toBeTruthy();
    expect(screen.getByText(/정책/)).toBeTruthy();
  });
});
