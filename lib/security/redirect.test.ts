import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from '@/lib/security/redirect';

describe('safeCallbackPath', () => {
  it('keeps a path of this site, with its query and fragment', () => {
    expect(safeCallbackPath('/requests/abc?tab=grants#top')).toBe('/requests/abc?tab=grants#top');
    expect(safeCallbackPath('/')).toBe('/');
    // Non-ASCII is percent-encoded: the answer is always a valid Location header.
    expect(safeCallbackPath('/。evil')).toBe('/%E3%80%82evil');
  });

  it.each([
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/a/..//evil.example',
    'https://evil.example/requests',
    'javascript:alert(1)',
    'data:text/html,hi',
    'http://gatehouse.invalid@evil.example/',
    '',
  ])('sends %j to /', (value) => {
    expect(safeCallbackPath(value)).toBe('/');
  });

  it('accepts an absolute URL only on the given origin', () => {
    expect(safeCallbackPath('https://portal.example/audit', 'https://portal.example')).toBe('/audit');
    expect(safeCallbackPath('https://portal.example.evil.example/audit', 'https://portal.example')).toBe('/');
    expect(safeCallbackPath(['/a'])).toBe('/');
  });
});
