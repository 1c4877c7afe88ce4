// Argument parsing of the gatehouse CLI: pure functions, unit-tested (cli/args.test.ts).
import { parseArgs } from 'node:util';

/** Exit codes, documented in `gatehouse --help` and the README. */
export const EXIT = Object.freeze({
  OK: 0,
  /** Wrong command line: unknown command or option, missing argument, bad duration. */
  USAGE: 1,
  /** Not signed in, or the token is unknown, expired or revoked (HTTP 401). */
  AUTH: 2,
  /** Signed in but not allowed: roles, token scopes, prod decisions (HTTP 403). */
  FORBIDDEN: 3,
  /** The server refused the input: invalid, not found, conflict (HTTP 400, 404, 409, 413, 415, 422). */
  REFUSED: 4,
  /** The server is unreachable, unavailable, rate-limiting or failed (network errors, HTTP 429, 5xx). */
  UNAVAILABLE: 5,
});

/** A command line the CLI cannot run; its message says what to fix. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

const UNIT_MINUTES = { d: 24 * 60, h: 60, m: 1 };

/**
 * A duration such as 2h, 90m, 1h30m or 1d as whole minutes. A bare number, seconds, zero or an
 * unknown unit is a UsageError (the server checks the rule's limits).
 */
export function parseDuration(text) {
  const value = String(text ?? '')
    .trim()
    .toLowerCase();
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(value);
  if (!value || !match) throw new UsageError(`"${text}" is not a duration: use minutes, hours or days such as 45m, 2h, 1h30m or 1d.`);
  const [, d = '0', h = '0', m = '0'] = match;
  const minutes = Number(d) * UNIT_MINUTES.d + Number(h) * UNIT_MINUTES.h + Number(m) * UNIT_MINUTES.m;
  if (!Number.isSafeInteger(minutes) || minutes <= 0) throw new UsageError(`"${text}" is not a positive duration.`);
  return minutes;
}

const ENVIRONMENTS = ['dev', 'staging', 'prod'];

/** dev | staging | prod, as the API spells it (DEV…). */
export function parseEnvironment(text) {
  const value = String(text ?? '').toLowerCase();
  if (!ENVIRONMENTS.includes(value)) throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')} (got "${text ?? ''}").`);
  return value.toUpperCase();
}

const GLOBAL = { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } };

/** Each command: its options (node:util parseArgs), its positional arguments, and what it needs. */
const COMMANDS = {
  login: { options: { url: { type: 'string' }, token: { type: 'string' } }, positionals: [] },
  logout: { options: {}, positionals: [] },
  whoami: { options: {}, positionals: [] },
  status: { options: {}, positionals: [] },
  'request secret': {
    options: { env: { type: 'string' }, for: { type: 'string' }, reason: { type: 'string' }, ticket: { type: 'string' } },
    positionals: ['name'],
    required: ['env', 'for', 'reason'],
  },
  'request role': {
    options: { env: { type: 'string' }, function: { type: 'string' }, for: { type: 'string' }, reason: { type: 'string' }, ticket: { type: 'string' } },
    positionals: ['team'],
    required: ['env', 'for', 'reason'],
  },
  approve: { options: { comment: { type: 'string' } }, positionals: ['id'] },
  reject: { options: { comment: { type: 'string' } }, positionals: ['id'], required: ['comment'] },
  credentials: { options: { 'source-profile': { type: 'string' } }, positionals: ['grant'] },
};

/**
 * Parses argv (without node and the script) into `{ command, args, options }`: `command` is one of
 * the keys above, or 'help' / 'version'; `args` names the positional arguments. Throws UsageError.
 */
export function parseCommandLine(argv) {
  const words = [...argv];
  if (words.length === 0 || words[0] === 'help' || words[0] === '--help' || words[0] === '-h') return { command: 'help', args: {}, options: {} };
  if (words[0] === '--version' || words[0] === 'version') return { command: 'version', args: {}, options: {} };
  let command = words.shift();
  if (command === 'request') {
    const kind = words.shift();
    if (kind !== 'secret' && kind !== 'role')
      throw new UsageError('Say what to request: `gatehouse request secret <name> …` or `gatehouse request role <team> …`.');
    command = `request ${kind}`;
  }
  const spec = COMMANDS[command];
  if (!spec) throw new UsageError(`Unknown command "${command}".`);
  let parsed;
  try {
    parsed = parseArgs({ args: words, options: { ...GLOBAL, ...spec.options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', args: { topic: command }, options: values };
  if (positionals.length > spec.positionals.length) throw new UsageError(`${command}: unexpected argument "${positionals[spec.positionals.length]}".`);
  const args = {};
  spec.positionals.forEach((name, i) => {
    const value = positionals[i];
    if (value === undefined || value === '') throw new UsageError(`${command}: missing <${name}>.`);
    args[name] = value;
  });
  for (const name of spec.required ?? []) {
    if (values[name] === undefined || String(values[name]).trim() === '') throw new UsageError(`${command}: --${name} is required.`);
  }
  return { command, args, options: values };
}

/** True for http(s) URLs the CLI may send a token to: https anywhere, plain http only to this machine. */
export function isSafePortalUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** The exit code for an HTTP status the server answered with. */
export function exitCodeForStatus(status) {
  if (status === 401) return EXIT.AUTH;
  if (status === 403) return EXIT.FORBIDDEN;
  if (status === 429 || status >= 500) return EXIT.UNAVAILABLE;
  if (status >= 400) return EXIT.REFUSED;
  return EXIT.OK;
}
