import 'server-only';
import { findingsNewSince } from '@/lib/iam-audit/news';
import type { Finding } from '@/lib/iam-audit/rules';
import type { ScanRecord } from '@/lib/iam-audit/ports';
import type { Actor } from '@/lib/identity/actor';
import { findingIdsAsOf } from '@/lib/server/db/repositories/iam-audit';
import { findPageVisit, recordPageVisit } from '@/lib/server/db/repositories/page-visits';
import { iamAuditDeps } from '@/lib/server/iam-audit';

/** The actor opened the IAM audit now: the home page counts new findings from here (docs/decisions/049-home-page.md). */
export function recordIamAuditVisit(actor: Actor, at: Date): Promise<void> {
  return recordPageVisit(actor.id, 'iam-audit', at);
}

/**
 * The latest scan's findings the actor has not seen: those not in the scan that was newest at
 * their last visit to the IAM audit. Null when no scan has run; `visit` null when they never opened it.
 */
export async function findNewFindings(actor: Actor): Promise<{ scan: ScanRecord; visit: Date | null; fresh: Finding[] } | null> {
  const [scan, visit] = await Promise.all([iamAuditDeps().store.latestScan(), findPageVisit(actor.id, 'iam-audit')]);
  if (!scan) return null;
  const seen = visit ? await findingIdsAsOf(visit) : null;
  return { scan, visit, fresh: findingsNewSince(scan.findings, seen) };
}
