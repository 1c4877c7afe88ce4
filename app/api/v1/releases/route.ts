import { releasesQuerySchema } from '@/lib/deployments/schemas';
import { listReleases } from '@/lib/server/deployments/releases';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * The recorded releases, newest built first (?limit=, 1–100, default 20): what a plan can deploy.
 * Readable by whoever reads deployments, since a plan's diff names them (docs/decisions/042-releases.md).
 */
export const GET = route('deploy.read', async ({ request }) => {
  const q = parseQuery(request, releasesQuerySchema);
  return { releases: await listReleases(q.limit) };
});
