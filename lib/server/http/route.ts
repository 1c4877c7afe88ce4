import 'server-only';
import { authorize } from '@/lib/server/auth/guards';
import { getApiActor } from '@/lib/server/auth/tokens';
import { isPublicAction, type Action, type ActorFor, type SignedInAction } from '@/lib/server/auth/permissions';
import { readJsonBody } from '@/lib/server/http/body';
import { errorResponse } from '@/lib/server/http/errors';

export interface RouteContext<P, A extends Action = SignedInAction> {
  /** The signed-in user (or an API token's, with `token` set); null only for a public action (PERMISSIONS value 'public'). */
  actor: ActorFor<A>;
  request: Request;
  params: P;
  /**
   * The parsed JSON body of a write (POST, PUT, PATCH, DELETE), or undefined when it sent none. The
   * wrapper has already refused a body that is not application/json (415), too large (413), not
   * JSON or nested too deeply (400). GET handlers read only the query string.
   */
  body: unknown;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Wraps a route handler: authorizes the action first (401/403 JSON), reads a write's JSON body
 * strictly (lib/server/http/body.ts), then runs the handler and maps whatever it throws. A handler
 * returns a Response, or a value sent as JSON. Body schemas are strict objects: unknown keys are 400.
 * The handler of an action that needs sign-in receives an Actor, never null. With params given
 * explicitly (`route<{ id: string }>(…)`), the action defaults to one that needs sign-in.
 */
export function route<P = Record<string, never>, A extends Action = SignedInAction>(
  action: A,
  handler: (ctx: RouteContext<P, A>) => Promise<Response | object>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      // Public routes (health, ping) do not read the session: a load balancer's probe costs no DB query.
      // The caller is the session's user, or a personal API token's (docs/decisions/045-api-tokens.md).
      const actor = isPublicAction(action) ? null : await getApiActor(request);
      authorize(actor, action);
      const body = WRITES.has(request.method) ? await readJsonBody(request) : undefined;
      // authorize() has refused an anonymous caller of any action that is not public.
      const result = await handler({ actor: actor as ActorFor<A>, request, params: await context.params, body });
      return result instanceof Response ? result : Response.json(result, { headers: { 'cache-control': 'no-store' } });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** A response for JSON the database already wrote as text (the list pages, decision 023): sent as it is. */
export function jsonText(json: string): Response {
  return new Response(json, { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
