import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

// Verification only reads, so GET is offered for scripts and monitoring; the page's button POSTs
// because each call recomputes the whole chain and must never be served from a cache.
const verify = route('audit.verify', async () => verifyAuditChain());

/** Recomputes the audit chain: `{ ok, checked, firstBreak, verifiedAt }`. */
export const POST = verify;
export const GET = verify;
