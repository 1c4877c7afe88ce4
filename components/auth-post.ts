// next-auth's endpoints take plain form POSTs with a CSRF token (its own sign-in page works so):
// the header, the sign-in page and the step-up prompt use them without bundling next-auth/react
// (docs/decisions/052-page-weight-budget.md).

/**
 * Posts to a next-auth endpoint (`signin/oidc`, `callback/local`, `signout`) the way next-auth's own
 * client does: a form-encoded POST with the CSRF token and `json=true`, answered with the URL to go
 * to, which the browser then opens. Not a submitted <form>: a form's redirect to the identity
 * provider would be blocked by the portal's CSP (`form-action 'self'`).
 */
export async function postToAuth(endpoint: string, fields: Record<string, string>, query: Record<string, string> = {}): Promise<void> {
  const res = await fetch('/api/auth/csrf', { cache: 'no-store' });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const search = new URLSearchParams(query).toString();
  const answer = await fetch(`/api/auth/${endpoint}${search ? `?${search}` : ''}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, csrfToken, json: 'true' }),
  });
  const { url } = (await answer.json().catch(() => ({}))) as { url?: string };
  window.location.assign(url ?? fields.callbackUrl ?? '/');
}
