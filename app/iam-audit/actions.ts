'use server';

import { revalidatePath } from 'next/cache';
import { runScanSchema } from '@/lib/iam-audit/schemas';
import { runScan } from '@/lib/iam-audit/service';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';
import { iamAuditDeps } from '@/lib/server/iam-audit';

/** Scans the account now and stores the findings (the page then shows them). */
export const runScanAction = serverAction('iam.audit.scan', runScanSchema, async (_input, actor) => {
  const scan = await runScan(iamAuditDeps(), actor, await requestOrigin());
  revalidatePath('/iam-audit');
  return { scanId: scan.id, findingCount: scan.findings.length };
});
