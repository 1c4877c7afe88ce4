// The one list of credential shapes (docs/decisions/031-web-inputs-and-sessions.md). Two readers:
// the portal refuses free text that holds one (lib/security/text.ts: a justification, a comment, a
// description), and scripts/secret-scan.mjs looks for them where none may be (server logs, saved
// responses, database dumps). Plain JavaScript so that the scan script runs under bare Node.

/** The sandbox's random initial secret values (lib/server/sandbox/secrets.ts, SANDBOX_VALUE_MARKER). */
export const SANDBOX_VALUE = /GHSANDBOXVALUE[A-Za-z0-9]{26}/g;

/** AWS's documented example credentials (moto and docs print them); not secrets. */
export const EXAMPLE_CREDENTIALS = new Set(['AKIAIOSFODNN7EXAMPLE', 'ASIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);

/** True for a JSON-escaped string that is only structure: an object or array whose strings are all empty. */
function holdsNoValue(raw) {
  let text;
  try {
    text = JSON.parse(`"${raw}"`);
  } catch {
    return false;
  }
  try {
    const leaves = [];
    const walk = (v) => (typeof v === 'string' ? leaves.push(v) : v && typeof v === 'object' ? Object.values(v).forEach(walk) : leaves.push(String(v)));
    const parsed = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object') return false;
    walk(parsed);
    return leaves.every((l) => l === '');
  } catch {
    return false;
  }
}

/** Random key material mixes cases and digits; a git hash, a word run or a number does not. */
function notRandomLooking(value) {
  return !(/[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value));
}

/**
 * Each pattern: a name (shown in findings and refusals), a global regex, the group that holds the
 * value (default: the whole match), an optional `skip` for values that are not credentials, and
 * `freeTextOnly` for shapes that are only worth refusing in what a person typed (in logs and
 * database pages a bare 40-character token is too often something else).
 */
export const CREDENTIAL_PATTERNS = [
  { name: 'sandbox secret value', re: SANDBOX_VALUE },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  // A key id followed closely by a 40-character base64 string: a key pair.
  { name: 'AWS secret access key after a key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b[^A-Za-z0-9/+=]{1,80}?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/g, group: 1 },
  { name: 'aws_secret_access_key assignment', re: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([^\s"'&,;]{8,})/gi, group: 1 },
  { name: 'aws_session_token assignment', re: /aws_?session_?token["']?\s*[:=]\s*["']?([^\s"'&,;]{16,})/gi, group: 1 },
  // A secret access key on its own: exactly 40 base64 characters, mixing cases and digits.
  { name: 'AWS secret access key', re: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, skip: notRandomLooking, freeTextOnly: true },
  // A Secrets Manager value in a request or response body.
  // (A JSON string, escapes included; an empty template such as the stack's `{"url":""}` holds no value.)
  { name: 'SecretString / RandomPassword value', re: /"?(?:SecretString|RandomPassword)"?\s*[:=]\s*"((?:[^"\\]|\\.)+)"/g, group: 1, skip: holdsNoValue },
  { name: 'session cookie', re: /(?:__Secure-)?next-auth\.session-token=([A-Za-z0-9._-]{20,})/g, group: 1 },
  { name: 'private key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  // Gatehouse's own personal API tokens (lib/tokens/token.ts): gth_ and 43 base64url characters.
  { name: 'Gatehouse API token', re: /\bgth_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g },
  // Slack: bot, user, app-level, refresh and configuration tokens; incoming-webhook URLs.
  { name: 'Slack token', re: /\bxox(?:[abposr]|e\.xox[bp])-[A-Za-z0-9-]{10,}/g },
  { name: 'Slack app token', re: /\bxapp-\d-[A-Za-z0-9-]{10,}/g },
  { name: 'Slack webhook URL', re: /https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,}/g },
  // GitHub: classic tokens by prefix, fine-grained personal access tokens.
  { name: 'GitHub token', re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/g },
  { name: 'GitHub fine-grained token', re: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g },
  // A signed JWT: header and payload are base64url JSON objects ("eyJ" is `{"`).
  { name: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
];

/**
 * Credential-shaped values in a text: `{ name, at, value }` for each, skipping AWS's documented
 * examples. `freeText` also applies the patterns meant only for what a person typed.
 */
export function findCredentials(text, { freeText = false } = {}) {
  const found = [];
  for (const p of CREDENTIAL_PATTERNS) {
    if (p.freeTextOnly && !freeText) continue;
    p.re.lastIndex = 0;
    for (const m of text.matchAll(p.re)) {
      const value = m[p.group ?? 0] ?? m[0];
      if (EXAMPLE_CREDENTIALS.has(value) || EXAMPLE_CREDENTIALS.has(m[0]) || p.skip?.(value)) continue;
      found.push({ name: p.name, at: m.index, value });
    }
  }
  return found;
}
