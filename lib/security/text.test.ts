import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRequestSchema, decideRequestSchema, cancelRequestSchema } from '@/lib/access/schemas';
import { upsertSecretSchema } from '@/lib/catalog/schemas';
import { credentialKinds, forbiddenCharacter, isCredentialIssue, numberInput, safeText } from '@/lib/security/text';

// Credential-shaped values are assembled at run time so that this file holds none itself.
const j = (...parts: string[]) => parts.join('');
const CREDENTIALS: [string, string][] = [
  ['AWS access key id', `use ${j('AKIA', 'Z7Q2M4XK', 'P9LWR3TB')} for the job`],
  ['AWS secret access key', `secret ${j('Jx8vK2pQw7Lr4Ny6', 'Bz1Hc9DmT5sF3gA0eU2iO8yR')} here`],
  ['aws_secret_access_key assignment', j('aws_secret_access_key', '=hunter2hunter2')],
  ['private key', j('-----BEGIN ', 'OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n')],
  ['private key', j('-----BEGIN ', 'ENCRYPTED PRIVATE KEY-----')],
  ['Slack token', j('xox', 'b-', '1234567890-0987654321-AbCdEfGhIjKlMnOp')],
  ['Slack webhook URL', j('https://hooks.', 'slack.com/services/', 'T0000AAAA/B0000BBBB/abcdefghijklmnopqrstuvwx')],
  ['GitHub token', j('gh', 'p_', 'a'.repeat(18), 'B'.repeat(18))],
  ['GitHub fine-grained token', j('github', '_pat_', '11AAAAAAA0', 'b'.repeat(40))],
  ['JSON Web Token', j('eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk')],
  ['sandbox secret value', j('GHSANDBOX', 'VALUE', 'abcdefghijklmnopqrstuvwxyZ')],
];

describe('credentialKinds', () => {
  it.each(CREDENTIALS)('finds a %s', (kind, text) => {
    expect(credentialKinds(text)).toContain(kind);
  });

  it('passes ordinary justifications, ids, hashes and AWS documentation examples', () => {
    for (const text of [
      'Investigating the payout incident INC-1234 on the payments API',
      'See https://wiki.example.com/runbooks/payments#rotate and OPS-12',
      'commit 3f786850e387550fdab836ed7e6dc881de23001b broke it', // a git hash: 40 hex characters
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/payments/stripe-AbCdEf',
      'example key AKIAIOSFODNN7EXAMPLE from the AWS docs',
      'a header.payload.signature explanation, eyJ alone is fine',
    ]) {
      expect(credentialKinds(text), text).toEqual([]);
    }
  });
});

describe('forbiddenCharacter', () => {
  it('refuses C0/C1 controls, DEL and lone surrogates; accepts newline, tab and any script', () => {
    for (const c of ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\r', '\u001b', '\u007f', '\u0085', '\u009f', '\ud800', '\udc00']) {
      expect(forbiddenCharacter(`a${c}b`), JSON.stringify(c)).not.toBeNull();
    }
    expect(forbiddenCharacter('NUL \u0000')).toBe('U+0000');
    expect(forbiddenCharacter('line one\nline two\twith a tab, 한국어, émoji 🔑, 。')).toBeNull();
  });
});

describe('safeText', () => {
  const schema = z.object({ note: safeText(z.string().trim().max(200)) });

  it('turns CRLF from a textarea into LF and keeps the text', () => {
    expect(schema.parse({ note: 'one\r\ntwo' })).toEqual({ note: 'one\ntwo' });
  });

  it('names the field; a control character is an ordinary issue, a credential is marked for 422', () => {
    const nul = schema.safeParse({ note: 'a\u0000b' });
    expect(nul.success).toBe(false);
    expect(nul.error!.issues).toEqual([expect.objectContaining({ path: ['note'], message: expect.stringContaining('U+0000') })]);
    expect(nul.error!.issues.some(isCredentialIssue)).toBe(false);

    const key = schema.safeParse({ note: CREDENTIALS[0]![1] });
    expect(key.success).toBe(false);
    expect(key.error!.issues).toEqual([expect.objectContaining({ path: ['note'], message: expect.stringContaining('AWS access key id') })]);
    expect(key.error!.issues.some(isCredentialIssue)).toBe(true);
    // The refusal never repeats the credential.
    expect(JSON.stringify(key.error!.issues)).not.toContain(j('AKIA', 'Z7Q2M4XK', 'P9LWR3TB'));
  });
});

describe('numberInput', () => {
  const n = numberInput(z.number().int().min(1));
  it('reads JSON numbers and the decimal strings forms send, and nothing else', () => {
    expect(n.parse(60)).toBe(60);
    expect(n.parse('60')).toBe(60);
    for (const bad of ['0x3c', '1e3', ' 60', '60 ', '', [60], ['60'], true, null, '0b111100', 'Infinity']) {
      expect(n.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

// The six places where a NUL byte answered 500 (issue 13, finding 7), and a justification holding
// an AWS key that was stored (finding 8): each is refused by its schema, naming the field.
describe('every free-text field of a request, a decision and a catalog secret', () => {
  const base = { type: 'SECRET_READ', secretId: 'sec_x', justification: 'Investigating the payout incident', durationMinutes: 60 };
  const paths = (r: { success: boolean; error?: z.core.$ZodError }) => r.error?.issues.map((i) => i.path.join('.'));
  const credential = (r: { error?: z.core.$ZodError }) => r.error?.issues.some(isCredentialIssue);

  it.each([
    ['justification', createRequestSchema, { ...base, justification: 'Investigating \u0000 the incident' }],
    ['breakGlassReason', createRequestSchema, { ...base, breakGlass: true, breakGlassReason: 'Prod is down \u0000 now' }],
    [
      'description',
      createRequestSchema,
      {
        type: 'SECRET_REGISTER',
        justification: base.justification,
        durationMinutes: 60,
        environment: 'DEV',
        teamId: 't',
        secretName: 'x',
        description: 'a\u0000b',
      },
    ],
    ['comment', decideRequestSchema, { requestId: 'r', kind: 'REJECT', comment: 'no\u0000' }],
    ['comment', cancelRequestSchema, { requestId: 'r', comment: 'no\u0000' }],
    ['description', upsertSecretSchema, { environment: 'DEV', teamId: 't', name: 'x', description: 'a\u0000b' }],
  ] as const)('a NUL byte in %s is a 400 naming it', (field, schema, input) => {
    const r = z.safeParse(schema, input);
    expect(paths(r)).toEqual([field]);
    expect(credential(r)).toBe(false);
  });

  it('a justification holding an AWS access key is refused as a credential', () => {
    const r = createRequestSchema.safeParse({ ...base, justification: `Need it: ${CREDENTIALS[0]![1]}` });
    expect(paths(r)).toEqual(['justification']);
    expect(credential(r)).toBe(true);
  });

  it('a number is a number: "0x3c" and [60] are refused, unknown keys too', () => {
    expect(paths(createRequestSchema.safeParse({ ...base, durationMinutes: '0x3c' }))).toEqual(['durationMinutes']);
    expect(paths(createRequestSchema.safeParse({ ...base, durationMinutes: [60] }))).toEqual(['durationMinutes']);
    expect(createRequestSchema.safeParse({ ...base, durationMinutes: '60' }).success).toBe(true);
    expect(createRequestSchema.safeParse({ ...base, isAdmin: true }).success).toBe(false);
  });
});
