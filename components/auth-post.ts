// next-auth's endpoints take plain form POSTs with a CSRF token (its own sign-in page works so):
// the header, the sign-in page and the step-up prompt use them without bundling next-auth/react
// (docs/decisions/052-page-weight-budget.md).

/** Posts a form to a next-auth endpoint (`signin/oidc`, `callback/local`, `signout`); the browser follows its redirect. */
export async function postToAuth(endpoint: string, fields: Record<string, string>, query: Record<string, string> = {}): Promise<void> {
  const res = await fetch('/api/auth/csrf', { cache: 'no-store' });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const form = document.createElement('form');
  form.method = 'post';
  const search = new URLSearchParams(query).toString();
  form.action = `/api/auth/${endpoint}${search ? `?${search}` : ''}`;
  for (const [name, value] of Object.entries({ ...fields, csrfToken })) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}
