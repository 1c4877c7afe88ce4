import { sortFindings, type Finding } from '@/lib/iam-audit/rules';

/**
 * The findings of the latest scan a user has not seen: those not in the scan that was newest at
 * their last visit (finding ids are stable across scans). `seen` null: no scan existed by then
 * (or they never visited), so every finding is new to them. Most severe first.
 */
export function findingsNewSince(latest: readonly Finding[], seen: ReadonlySet<string> | null): Finding[] {
  return sortFindings(seen ? latest.filter((f) => !seen.has(f.id)) : latest);
}
