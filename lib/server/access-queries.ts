import 'server-only';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { canViewRequest } from '@/lib/access/visibility';
import { findRequestView, type RequestView } from '@/lib/server/db/repositories/requests-read';

/** The request if the actor may see it; 404 otherwise (not 403: others' requests are not disclosed). */
export async function findVisibleRequestOrThrow(actor: Actor, id: string): Promise<RequestView> {
  const request = await findRequestView(id);
  if (!request || !canViewRequest(actor, request)) throw new AppError('NOT_FOUND', 'No such request.');
  return request;
}
