import { describe, expect, it } from 'vitest';
import { formatMessage, plural } from '@/lib/i18n/plural';

describe('plural', () => {
  it('picks the form of the locale’s category', () => {
    const forms = { one: '# policy', other: '# policies' };
    expect(plural('en', 1, forms)).toBe('1 policy');
    expect(plural('en', 2, forms)).toBe('2 policies');
    expect(plural('en', 0, forms)).toBe('0 policies');
    expect(plural('ko', 1, { other: '정책 #개' })).toBe('정책 1개');
    expect(plural('en', 0, { '=0': 'none', one: '# item', other: '# items' })).toBe('none');
    expect(plural('en', 1200, forms)).toBe('1,200 policies');
  });
});

describe('formatMessage', () => {
  const template = '{count, plural, one {# finding} other {# findings}} in {account}';
  it('fills plural blocks and placeholders', () => {
    expect(formatMessage(template, 'en', { count: 1, account: 'dev' })).toBe('1 finding in dev');
    expect(formatMessage(template, 'en', { count: 3, account: 'dev' })).toBe('3 findings in dev');
  });
  it('shows a count handed in already formatted as given', () => {
    expect(formatMessage(template, 'en', { count: '1,234', account: 'dev' })).toBe('1,234 findings in dev');
    expect(formatMessage(template, 'en', { count: '1', account: 'dev' })).toBe('1 finding in dev');
  });
  it('allows placeholders inside a form', () => {
    expect(formatMessage('{n, plural, one {# approval by {who}} other {# approvals by {who}}}', 'en', { n: 2, who: 'Ana' })).toBe('2 approvals by Ana');
  });
  it('leaves unknown names and malformed blocks as written', () => {
    expect(formatMessage('{missing} and {n, plural, one {x}}', 'en', { n: 1 })).toBe('{missing} and {n, plural, one {x}}');
    expect(formatMessage('{a}', 'en')).toBe('{a}');
  });
});
