import { describe, expect, it } from 'vitest';
import { diffLines, sideBySide } from '@/lib/grants/line-diff';

describe('diffLines', () => {
  it('keeps common lines and marks what only one side has', () => {
    expect(diffLines(['{', '  "a": 1,', '  "b": 2', '}'], ['{', '  "a": 1,', '  "b": 3,', '  "c": 4', '}'])).toEqual([
      { kind: 'same', text: '{' },
      { kind: 'same', text: '  "a": 1,' },
      { kind: 'removed', text: '  "b": 2' },
      { kind: 'added', text: '  "b": 3,' },
      { kind: 'added', text: '  "c": 4' },
      { kind: 'same', text: '}' },
    ]);
  });

  it('handles empty and identical documents', () => {
    expect(diffLines([], ['x'])).toEqual([{ kind: 'added', text: 'x' }]);
    expect(diffLines(['x'], [])).toEqual([{ kind: 'removed', text: 'x' }]);
    expect(diffLines(['a', 'b'], ['a', 'b']).every((l) => l.kind === 'same')).toBe(true);
  });

  it('finds the longest run of kept lines, not just the first match', () => {
    const d = diffLines(['x', 'a', 'b', 'c'], ['a', 'b', 'c', 'x']);
    expect(d.filter((l) => l.kind === 'same').map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });
});

describe('sideBySide', () => {
  it('faces a replaced run with its replacement and pads the shorter side', () => {
    const rows = sideBySide(diffLines(['{', 'b: 2', '}'], ['{', 'b: 3', 'c: 4', '}']));
    expect(rows).toEqual([
      { left: '{', right: '{', changed: false },
      { left: 'b: 2', right: 'b: 3', changed: true },
      { left: null, right: 'c: 4', changed: true },
      { left: '}', right: '}', changed: false },
    ]);
  });
});
