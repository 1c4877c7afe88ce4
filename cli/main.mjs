// The gatehouse CLI's commands. Plain Node.js ESM with no dependencies: fetch, node:util parseArgs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { EXIT, UsageError, exitCodeForStatus, isSafePortalUrl, parseCommandLine, parseDuration, parseEnvironment } from './args.mjs';

const VERSION = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const GRANT_SESSION_TAG = 'gatehouse-grant';

export const HELP = `gatehouse ${VERSION}: ask for and decide AWS access from a terminal.

Usage:
  gatehouse login [--url <portal>] [--token <token>]   sign in with a personal API token (from <portal>/tokens)
  gatehouse logout                                    forget the stored URL and token
  gatehouse whoami                                    who the token acts as, and its scopes
  gatehouse status                                    your requests, your open grants, what waits for you
  gatehouse request secret <name> --env <dev|staging|prod> --for <2h> --reason <text> [--ticket <key>]
                                                      read a secret (<name>: team/secret, or env/team/secret)
  gatehouse request role <team> --env <env> [--function <fn>] --for <1h30m> --reason <text> [--ticket <key>]
                                                      assume a team role
  gatehouse approve <request-id> [--comment <text>]   approve a dev or staging request you may decide
  gatehouse reject <request-id> --comment <text>      reject one
  gatehouse credentials <grant-id|request-id> [--source-profile <profile>]
                                                      the AWS CLI commands (and profile) that use a grant

Every command takes --json (machine-readable output, errors included) and --help.

Sign-in: --url/--token, else GATEHOUSE_URL/GATEHOUSE_TOKEN, else a prompt. The token is checked
against the portal, then kept in $XDG_CONFIG_HOME/gatehouse/config.json (~/.config/…; mode 0600;
GATEHOUSE_CONFIG names another file). GATEHOUSE_URL and GATEHOUSE_TOKEN override it for any command.
Prefer the prompt or the environment to --token: command lines end up in shell history.

Tokens cannot decide prod requests: prod needs a fresh sign-in in the portal (the error names the page).

Exit codes:
  0  done
  1  usage: unknown command or option, missing argument, bad duration
  2  authentication: not signed in, or the token is unknown, expired or revoked (HTTP 401)
  3  forbidden: your roles or the token's scopes do not allow it, or a prod decision (HTTP 403)
  4  refused: invalid input, not found, conflict (HTTP 400, 404, 409, 422)
  5  unavailable: the portal cannot be reached, is rate-limiting, or failed (HTTP 429, 5xx)
`;

/** An error the CLI reports with a message (the server's, when it gave one) and an exit code. */
class CliError extends Error {
  constructor(message, exitCode, code = 'ERROR') {
    super(message);
    this.exitCode = exitCode;
    this.code = code;
  }
}

function configFile(env) {
  if (env.GATEHOUSE_CONFIG) return env.GATEHOUSE_CONFIG;
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'gatehouse', 'config.json');
}

function readConfig(env) {
  try {
    const parsed = JSON.parse(fs.readFileSync(configFile(env), 'utf8'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** Writes the config readable by its owner only: a new file is created 0600 and renamed over the old one. */
function writeConfig(env, config) {
  const file = configFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}

/** The portal URL without a trailing slash; refused unless https (or http to this machine). */
function normalizeUrl(text) {
  const value = String(text ?? '')
    .trim()
    .replace(/\/+$/, '');
  if (!isSafePortalUrl(value)) throw new UsageError(`"${text}" is not a portal URL the CLI sends a token to: use https://… (plain http only for localhost).`);
  return value;
}

/** The URL and token to call with: the environment first, then the stored config. */
function session(env) {
  const config = readConfig(env);
  const url = env.GATEHOUSE_URL || config.url;
  const token = env.GATEHOUSE_TOKEN || config.token;
  if (!url || !token) throw new CliError('Not signed in: run `gatehouse login` (or set GATEHOUSE_URL and GATEHOUSE_TOKEN).', EXIT.AUTH, 'UNAUTHENTICATED');
  return { url: normalizeUrl(url), token };
}

/** One API call with the token; the server's error message and an exit code for its status otherwise. */
async function api(s, method, pathname, body) {
  let res;
  try {
    res = await fetch(`${s.url}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${s.token}`,
        accept: 'application/json',
        'user-agent': `gatehouse-cli/${VERSION}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new CliError(`Cannot reach ${s.url}: ${e?.cause?.message ?? e?.message ?? e}`, EXIT.UNAVAILABLE, 'UNAVAILABLE');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const message = data?.error?.message ?? `The portal answered HTTP ${res.status} to ${method} ${pathname}.`;
    throw new CliError(message, exitCodeForStatus(res.status) || EXIT.REFUSED, data?.error?.code ?? `HTTP_${res.status}`);
  }
  return data;
}

/** Questions on stderr, answers from stdin (piped lines work too); a secret answer is not echoed. */
function createPrompter(input, output) {
  let muted = false;
  const sink = new Writable({
    write(chunk, encoding, done) {
      if (!muted) output.write(chunk, encoding);
      done();
    },
  });
  const rl = readline.createInterface({ input, output: sink, terminal: Boolean(input.isTTY) });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question, { secret = false } = {}) {
      output.write(question);
      muted = secret;
      const next = await lines.next();
      muted = false;
      if (secret && input.isTTY) output.write('\n');
      return next.done ? '' : String(next.value).trim();
    },
    close: () => rl.close(),
  };
}

function table(rows, columns) {
  if (!rows.length) return '  (none)';
  const cells = rows.map((r) => columns.map(([, get]) => String(get(r) ?? '')));
  const widths = columns.map(([title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
  const line = (values) => `  ${values.map((v, i) => v.padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(columns.map(([title]) => title)), ...cells.map(line)].join('\n');
}

const when = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + 'Z' : '');
const envSlug = (environment) => String(environment).toLowerCase();

async function login({ options }, io) {
  const prompter = options.url && options.token ? null : createPrompter(io.stdin, io.stderr);
  try {
    const url = normalizeUrl(options.url ?? io.env.GATEHOUSE_URL ?? (await prompter.ask('Portal URL: ')));
    const token = (options.token ?? io.env.GATEHOUSE_TOKEN ?? (await prompter.ask(`API token (create one at ${url}/tokens): `, { secret: true }))).trim();
    if (!token) throw new UsageError('No token given.');
    const { user } = await api({ url, token }, 'GET', '/api/v1/me');
    const file = writeConfig(io.env, { url, token });
    return {
      data: { url, user, configFile: file },
      text: `Signed in to ${url} as ${user.name} <${user.email}> (${user.roles.join(', ')}); token scopes: ${user.token?.scopes?.join(', ') ?? '?'}.\nSaved to ${file}.`,
    };
  } finally {
    prompter?.close();
  }
}

async function logout(_parsed, io) {
  const file = configFile(io.env);
  const existed = fs.existsSync(file);
  fs.rmSync(file, { force: true });
  return {
    data: { configFile: file, removed: existed },
    text: existed ? `Removed ${file}. Revoke the token on the portal's token page if it is no longer needed.` : 'Not signed in.',
  };
}

async function whoami(_parsed, io) {
  const s = session(io.env);
  const { user } = await api(s, 'GET', '/api/v1/me');
  return {
    data: { url: s.url, user },
    text: `${user.name} <${user.email}> on ${s.url}\nroles: ${user.roles.join(', ')}\ntoken scopes: ${user.token?.scopes?.join(', ') ?? '-'}`,
  };
}

async function status(_parsed, io) {
  const s = session(io.env);
  const [{ requests }, { grants }] = await Promise.all([api(s, 'GET', '/api/v1/requests?limit=20'), api(s, 'GET', '/api/v1/grants')]);
  // Only tokens with the decide scope (and approvers' roles) see the queue: others simply skip it.
  const approvals = await api(s, 'GET', '/api/v1/approvals').then(
    (r) => r.requests,
    (e) => {
      if (e instanceof CliError && e.exitCode === EXIT.FORBIDDEN) return null;
      throw e;
    },
  );
  const text = [
    'Your requests (latest 20):',
    table(requests, [
      ['ID', (r) => r.id],
      ['STATUS', (r) => r.status],
      ['ENV', (r) => envSlug(r.environment)],
      ['TYPE', (r) => r.type],
      ['TARGET', (r) => r.target],
      ['APPROVALS', (r) => `${r.approvals}/${r.approvalsRequired}`],
      ['CREATED', (r) => when(r.createdAt)],
    ]),
    '',
    'Your open grants:',
    table(grants, [
      ['GRANT', (g) => g.id],
      ['STATUS', (g) => g.status],
      ['ENV', (g) => envSlug(g.environment)],
      ['KIND', (g) => g.kind],
      ['TARGET', (g) => g.target],
      ['ENDS', (g) => when(g.endsAt)],
    ]),
    ...(approvals
      ? [
          '',
          'Waiting for your decision:',
          table(approvals, [
            ['ID', (r) => r.id],
            ['ENV', (r) => envSlug(r.environment)],
            ['REQUESTER', (r) => r.requesterName],
            ['TARGET', (r) => r.target ?? r.secretName ?? ''],
          ]),
        ]
      : []),
  ].join('\n');
  return { data: { requests, grants, approvals }, text };
}

function requestBody(options, minutes) {
  return { justification: options.reason, durationMinutes: minutes, ...(options.ticket ? { ticketRef: options.ticket } : {}) };
}

function requestCreated(s, request, what) {
  return {
    data: { request, url: `${s.url}/requests/${request.id}` },
    text: `Requested ${request.id} (${request.status}): ${what} in ${envSlug(request.environment)} for ${request.durationMinutes} min; needs ${request.approvalsRequired} approval(s).\n${s.url}/requests/${request.id}`,
  };
}

async function requestSecret({ args, options }, io) {
  const environment = parseEnvironment(options.env);
  const minutes = parseDuration(options.for);
  const s = session(io.env);
  const { secrets } = await api(s, 'GET', '/api/v1/catalog');
  const slug = envSlug(environment);
  const inEnv = secrets.filter((x) => x.active && x.environment === environment);
  const secret = inEnv.find((x) => x.id === args.name || x.name === args.name || x.name === `${slug}/${args.name}`);
  if (!secret) {
    const known = inEnv.map((x) => x.name.replace(`${slug}/`, '')).slice(0, 20);
    throw new CliError(`No active secret "${args.name}" in ${slug}.${known.length ? ` Secrets there: ${known.join(', ')}.` : ''}`, EXIT.REFUSED, 'NOT_FOUND');
  }
  const { request } = await api(s, 'POST', '/api/v1/requests', { type: 'SECRET_READ', secretId: secret.id, ...requestBody(options, minutes) });
  return requestCreated(s, request, `read ${secret.name}`);
}

async function requestRole({ args, options }, io) {
  const environment = parseEnvironment(options.env);
  const minutes = parseDuration(options.for);
  const s = session(io.env);
  const { roles } = await api(s, 'GET', '/api/v1/catalog');
  const ofTeam = roles.filter((r) => r.active && r.environment === environment && (r.team.slug === args.team || r.team.id === args.team));
  const matching = options.function ? ofTeam.filter((r) => r.function === options.function) : ofTeam;
  if (matching.length === 0) {
    const known = ofTeam.map((r) => r.function);
    throw new CliError(
      `No active role${options.function ? ` "${options.function}"` : ''} of team "${args.team}" in ${envSlug(environment)}.${known.length ? ` Its roles there: ${known.join(', ')}.` : ''}`,
      EXIT.REFUSED,
      'NOT_FOUND',
    );
  }
  if (matching.length > 1)
    throw new UsageError(
      `Team "${args.team}" has several roles in ${envSlug(environment)}: pick one with --function (${matching.map((r) => r.function).join(', ')}).`,
    );
  const role = matching[0];
  const { request } = await api(s, 'POST', '/api/v1/requests', { type: 'ROLE', roleId: role.id, ...requestBody(options, minutes) });
  return requestCreated(s, request, `assume ${role.team.slug}/${role.function}`);
}

function decide(kind) {
  return async ({ args, options }, io) => {
    const s = session(io.env);
    const result = await api(s, 'POST', `/api/v1/requests/${encodeURIComponent(args.id)}/${kind}`, options.comment ? { comment: options.comment } : {});
    const verb = kind === 'approve' ? 'Approved' : 'Rejected';
    return { data: result, text: `${verb} ${args.id}: the request is now ${result.status} (${result.approvals} approval(s)).` };
  };
}

/** The AWS CLI commands (and for a role, a profile) that use a grant, as the request page shows them. */
export function grantCommands(grant, { sourceProfile = 'default', now = new Date() } = {}) {
  const region = grant.resourceArn.split(':')[3] || 'us-east-1';
  if (grant.kind === 'SECRET_READ') {
    return {
      commands: [`aws secretsmanager get-secret-value --secret-id '${grant.resourceArn}' --region ${region} --query SecretString --output text`],
      profile: null,
    };
  }
  if (grant.kind === 'SECRET_REGISTER') {
    const id = grant.setup?.kind === 'CREATE_SECRET' && grant.status !== 'ACTIVE' ? grant.setup.name : grant.resourceArn;
    return { commands: [`aws secretsmanager put-secret-value --secret-id '${id}' --region ${region} --secret-string file://value.txt`], profile: null };
  }
  const role = grant.setup?.kind === 'TEAM_ROLE' ? grant.setup.role : { arn: grant.resourceArn, maxSessionSeconds: 3600 };
  const left = Math.floor((new Date(grant.endsAt).getTime() - now.getTime()) / 1000);
  const seconds = Math.max(900, Math.min(role.maxSessionSeconds ?? 3600, left));
  const assume = `aws sts assume-role --role-arn '${role.arn}' --role-session-name "$USER" --tags Key=${GRANT_SESSION_TAG},Value=${grant.id} --duration-seconds ${seconds} --profile ${sourceProfile}`;
  // The role trusts only sessions tagged with the grant (its end cuts them), and a role_arn /
  // source_profile profile cannot tag: the profile gets its credentials through credential_process.
  const query =
    '{Version:`1`,AccessKeyId:Credentials.AccessKeyId,SecretAccessKey:Credentials.SecretAccessKey,SessionToken:Credentials.SessionToken,Expiration:Credentials.Expiration}';
  const profileName = `gatehouse-${grant.id}`;
  const profile = [
    `[profile ${profileName}]`,
    `credential_process = aws sts assume-role --role-arn ${role.arn} --role-session-name gatehouse-cli --tags Key=${GRANT_SESSION_TAG},Value=${grant.id} --duration-seconds ${seconds} --profile ${sourceProfile} --output json --query ${query}`,
    `region = ${region}`,
  ].join('\n');
  return { commands: [assume, `aws sts get-caller-identity --profile ${profileName}`], profile };
}

async function credentials({ args, options }, io) {
  const s = session(io.env);
  const { grants } = await api(s, 'GET', '/api/v1/grants');
  const grant = grants.find((g) => g.id === args.grant || g.requestId === args.grant);
  if (!grant) throw new CliError(`No open grant "${args.grant}" of yours. \`gatehouse status\` lists them.`, EXIT.REFUSED, 'NOT_FOUND');
  const { commands, profile } = grantCommands(grant, { sourceProfile: options['source-profile'] ?? 'default' });
  const warning = grant.status === 'ACTIVE' ? null : `Grant ${grant.id} is ${grant.status}: these commands work once it is ACTIVE.`;
  const text = [
    `# Grant ${grant.id}: ${grant.kind} ${grant.target} in ${envSlug(grant.environment)}, until ${when(grant.endsAt)}.`,
    `# Run as ${grant.principalArn} (your AWS identity for this account).`,
    ...(warning ? [`# ${warning}`] : []),
    ...commands,
    ...(profile ? ['', '# Or add this profile to ~/.aws/config:', profile] : []),
  ].join('\n');
  return { data: { grant, commands, profile, warning }, text };
}

const HANDLERS = {
  login,
  logout,
  whoami,
  status,
  'request secret': requestSecret,
  'request role': requestRole,
  approve: decide('approve'),
  reject: decide('reject'),
  credentials,
};

/** Runs one command line; returns the exit code. `io` replaces the process's streams and environment (tests). */
export async function main(argv, io = {}) {
  const { env = process.env, stdin = process.stdin, stdout = process.stdout, stderr = process.stderr } = io;
  const json = argv.includes('--json');
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.command === 'help') {
      stdout.write(HELP);
      return EXIT.OK;
    }
    if (parsed.command === 'version') {
      stdout.write(`${VERSION}\n`);
      return EXIT.OK;
    }
    const { data, text } = await HANDLERS[parsed.command](parsed, { env, stdin, stdout, stderr });
    stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
    return EXIT.OK;
  } catch (e) {
    const exitCode = e instanceof UsageError ? EXIT.USAGE : e instanceof CliError ? e.exitCode : EXIT.UNAVAILABLE;
    const code = e instanceof UsageError ? 'USAGE' : e instanceof CliError ? e.code : 'INTERNAL';
    const message = e instanceof Error ? e.message : String(e);
    if (json) stdout.write(`${JSON.stringify({ error: { code, message, exitCode } }, null, 2)}\n`);
    else stderr.write(`gatehouse: ${message}\n${exitCode === EXIT.USAGE ? 'Run `gatehouse --help` for usage.\n' : ''}`);
    return exitCode;
  }
}
