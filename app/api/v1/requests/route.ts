import { createRequestSchema, listRequestsSchema } from '@/lib/access/schemas';
import { createRequest } from '@/lib/access/service';
import { AppError } from '@/lib/errors';
import { accessDeps, afterRequestCreated } from '@/lib/server/access';
import { can } from '@/lib/server/auth/permissions';
import { listRequestsJson } from '@/lib/server/db/repositories/requests-read';
import { requestOrigin } from '@/lib/server/http/origin';
import { parseQuery } from '@/lib/server/http/query';
import { jsonText, route } from '@/lib/server/http/route';

/** Requests, newest first: the caller's own, or with scope=all every request (security, admin). */
export const GET = route('request.read', async ({ actor, request }) => {
  const filter = parseQuery(request, listRequestsSchema);
  if (filter.scope === 'all' && !can(actor, 'request.list.all')) throw new AppError('FORBIDDEN', 'Only the security team and admins can list every request.');
  // The database writes the page's JSON (decision 023); it is sent as it comes.
  return jsonText(await listRequestsJson(filter, filter.scope === 'all' ? null : actor.id));
});

/** Creates a request (201), with the rule it will follow frozen on it. */
export const POST = route('request.create', async ({ actor, body }) => {
  const input = createRequestSchema.parse(body);
  const created = await createRequest(accessDeps(), actor, input, await requestOrigin());
  afterRequestCreated(created);
  return Response.json({ request: created }, { status: 201 });
});
