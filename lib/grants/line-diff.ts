/** One line of a two-document comparison. */
export type DiffLine = { kind: 'same'; text: string } | { kind: 'removed'; text: string } | { kind: 'added'; text: string };

/**
 * The lines of `before` and `after` as a shortest edit: kept lines, lines only in `before`
 * (removed) and lines only in `after` (added), in order. A longest-common-subsequence table: the
 * documents compared (IAM policies) are a few hundred lines at most.
 */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  // lcs[i][j]: the longest common subsequence of before[i..] and after[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      out.push({ kind: 'same', text: before[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: 'removed', text: before[i++]! });
    else out.push({ kind: 'added', text: after[j++]! });
  }
  while (i < n) out.push({ kind: 'removed', text: before[i++]! });
  while (j < m) out.push({ kind: 'added', text: after[j++]! });
  return out;
}

/** One row of a side-by-side view: the left and right line (null: nothing on that side). */
export interface SideBySideRow {
  left: string | null;
  right: string | null;
  changed: boolean;
}

/**
 * The diff as rows of two columns: kept lines face each other, and a run of removed lines faces
 * the run of added lines that replaced it, so both documents read whole, top to bottom.
 */
export function sideBySide(diff: readonly DiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let k = 0;
  while (k < diff.length) {
    const line = diff[k]!;
    if (line.kind === 'same') {
      rows.push({ left: line.text, right: line.text, changed: false });
      k++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (k < diff.length && diff[k]!.kind !== 'same') {
      const d = diff[k++]!;
      (d.kind === 'removed' ? removed : added).push(d.text);
    }
    for (let r = 0; r < Math.max(removed.length, added.length); r++) rows.push({ left: removed[r] ?? null, right: added[r] ?? null, changed: true });
  }
  return rows;
}
