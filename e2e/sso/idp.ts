// A real OpenID Connect provider for the single sign-on suite (oidc-provider), on 127.0.0.1:
// authorization code with PKCE required, a login form of its own, groups in the id_token, and a
// small control API the tests use to change a user's groups or backdate their next sign-in.
//   node --import tsx e2e/sso/idp.ts
import http from 'node:http';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { CLIENT_ID, CLIENT_SECRET, IDP_ISSUER, IDP_PORT, IDP_USERS, REDIRECT_URI, type IdpUser } from './constants';

const groups = new Map<string, string[]>(Object.entries(IDP_USERS).map(([id, u]) => [id, [...u.groups]]));
/** Minutes to backdate a user's next sign-in (their auth_time), to make an old session. */
const backdate = new Map<string, number>();

const provider = new Provider(IDP_ISSUER, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      // Every id_token says when the user authenticated, as Okta's do.
      require_auth_time: true,
    },
  ],
  // Authorization code with PKCE (S256 only, oidc-provider's default method), required of every client.
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'groups'] },
  // Scope claims in the id_token itself: next-auth reads the profile from it.
  conformIdTokenClaims: false,
  cookies: { keys: ['e2e-only-idp-cookie-key-0123456789'] },
  async findAccount(_ctx, id) {
    const user = IDP_USERS[id as IdpUser];
    if (!user) return undefined;
    return {
      accountId: id,
      claims: () => ({ sub: id, email: user.email, email_verified: true, name: user.name, preferred_username: id, groups: groups.get(id) ?? [] }),
    };
  },
  // A first-party client: consent is implied (no consent screen).
  async loadExistingGrant(ctx: KoaContextWithOIDC) {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId || !ctx.oidc.client) return undefined;
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, error?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP sign-in</title></head><body>
<h1>Test IdP</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in to Test IdP</button>
</form></body></html>`;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function interaction(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
    return send(res, 200, loginPage(details.uid));
  }
  if (req.method === 'POST' && path.endsWith('/login')) {
    const form = new URLSearchParams(await readBody(req));
    const username = form.get('username') ?? '';
    if (!(username in IDP_USERS) || form.get('password') !== `${username}-pw`) return send(res, 200, loginPage(details.uid, 'Wrong username or password.'));
    const minutes = backdate.get(username) ?? 0;
    backdate.delete(username);
    const ts = Math.floor(Date.now() / 1000) - minutes * 60;
    return provider.interactionFinished(req, res, { login: { accountId: username, ts } }, { mergeWithLastSubmission: false });
  }
  return send(res, 405, 'method not allowed', 'text/plain');
}

// PUT /test/users/<id>/groups {"groups":[…]} · POST /test/users/<id>/backdate {"minutes":30}
async function control(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
  const m = /^\/test\/users\/(\w+)\/(groups|backdate)$/.exec(path);
  if (!m || !(m[1]! in IDP_USERS)) return send(res, 404, '{"error":"not found"}', 'application/json');
  const body = JSON.parse((await readBody(req)) || '{}') as { groups?: string[]; minutes?: number };
  if (m[2] === 'groups' && req.method === 'PUT' && Array.isArray(body.groups)) groups.set(m[1]!, body.groups);
  else if (m[2] === 'backdate' && req.method === 'POST' && typeof body.minutes === 'number') backdate.set(m[1]!, body.minutes);
  else return send(res, 400, '{"error":"bad request"}', 'application/json');
  return send(res, 200, JSON.stringify({ user: m[1], groups: groups.get(m[1]!), backdateMinutes: backdate.get(m[1]!) ?? 0 }), 'application/json');
}

const handle = provider.callback();
http
  .createServer((req, res) => {
    const path = new URL(req.url ?? '/', IDP_ISSUER).pathname;
    const work = path.startsWith('/interaction/') ? interaction(req, res, path) : path.startsWith('/test/') ? control(req, res, path) : null;
    if (!work) return void handle(req, res);
    work.catch((e: unknown) => {
      console.error('[idp]', e);
      if (!res.headersSent) send(res, 500, String(e), 'text/plain');
    });
  })
  .listen(IDP_PORT, '127.0.0.1', () => console.log(`[idp] ${IDP_ISSUER} ready`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
