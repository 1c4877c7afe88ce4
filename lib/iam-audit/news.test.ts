import { describe, expect, it } from 'vitest';
import { findingsNewSince } from '@/lib/iam-audit/news';
import type { Finding } from '@/lib/iam-audit/rules';

const finding = (id: string, severity: Finding['severity']): Finding => ({
  id,
  severity,
  kind: 'ADMIN_WILDCARD',
  principal: { type: 'user', name: id, arn: `arn:aws:iam::111122223333:user/${id}` },
  policy: null,
  statementIndex: null,
  statement: null,
  why: '',
  facts: {},
  suggestion: null,
});

describe('findingsNewSince', () => {
  const latest = [finding('a', 'low'), finding('b', 'critical'), finding('c', 'high')];
  it('leaves out what the user saw at their last visit, most severe first', () => {
    expect(findingsNewSince(latest, new Set(['a', 'x'])).map((f) => f.id)).toEqual(['b', 'c']);
  });
  it('nothing seen yet: every finding is new', () => {
    expect(findingsNewSince(latest, null)).toHaveLength(3);
  });
  it('everything seen: nothing new', () => {
    expect(findingsNewSince(latest, new Set(['a', 'b', 'c']))).toEqual([]);
  });
});
