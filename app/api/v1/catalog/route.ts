import { listCatalog } from '@/lib/server/db/repositories/catalog-read';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** The catalog: secrets, team roles and teams, for finding what to ask for by name (the CLI's `request`). */
export const GET = route('catalog.read', async () => listCatalog());
