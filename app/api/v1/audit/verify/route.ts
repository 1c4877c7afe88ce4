import { verifyAuditHistory } from '@/lib/server/audit/history';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

// Verification only reads, so GET is offered for scripts and monitoring; the page's button POSTs
// because each call recomputes the whole chain and must never be served from a cache.
const verify = route('audit.verify', async () => verifyAuditHistory());

/**
 * Recomputes the audit chain and checks it against the signed checkpoints kept outside the
 * database, then checkpoints an intact head: `{ ok, checked, firstBreak, head, checkpoints, verifiedAt }`.
 */
export const POST = verify;
export const GET = verify;
