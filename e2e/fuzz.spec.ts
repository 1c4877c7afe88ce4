import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { expect, sessionCookie, test } from './fixtures/test';

// Generated bad bodies against the create and decide endpoints: every answer is a 4xx with the
// error shape, never a 500, and nothing is written.

const VALID_BASE = {
  type: 'SECRET_READ',
  // Not in the catalog: even a body that passes validation is refused, so nothing can be written.
  secretId: 'sec_not_in_catalog',
  justification: 'Investigating the payout incident INC-1',
  durationMinutes: 60,
};

const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 2001, maxLength: 2100 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
  fc.constantFrom('', ' ', '__proto__', '<script>alert(1)</script>', "'; DROP TABLE users;--", '\u0000', '🔑'.repeat(500), 'NaN', '-1', '1e309'),
);
const field = fc.constantFrom(
  'type',
  'secretId',
  'roleId',
  'teamId',
  'environment',
  'secretName',
  'justification',
  'durationMinutes',
  'startsAt',
  'breakGlass',
  'breakGlassReason',
  'ticketRef',
  'extendsRequestId',
  '__proto__',
  'constructor',
);

const badCreateBody = fc.oneof(
  // Anything at all.
  fc.anything({ maxDepth: 3 }),
  // A plausible body with one field replaced by junk.
  fc.tuple(field, junk).map(([k, v]) => ({ ...VALID_BASE, [k]: v })),
  // A plausible body with fields removed.
  fc.subarray(Object.keys(VALID_BASE)).map((drop) => Object.fromEntries(Object.entries(VALID_BASE).filter(([k]) => !drop.includes(k)))),
  // Out-of-range numbers and wrong types.
  fc.record({
    type: fc.constantFrom('SECRET_READ', 'ROLE', 'SECRET_REGISTER', 'secret_read', ''),
    secretId: junk,
    roleId: junk,
    justification: junk,
    durationMinutes: junk,
    breakGlass: junk,
  }),
);

test.describe.configure({ timeout: 120_000 });

test('fuzzed create bodies: 4xx with an error, never 500, nothing written', async ({ page }) => {
  // Jae-won files nothing else in the e2e suite, so his own list counts what the fuzzer wrote.
  await page.context().addCookies([await sessionCookie('usr_jaewon_choi')]);
  const countAll = async () => (await (await page.request.get('/api/v1/requests?limit=100')).json()).requests.length as number;
  const before = await countAll();
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(badCreateBody, async (body) => {
      const res = await page.request.post('/api/v1/requests', { data: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      statuses.set(res.status(), (statuses.get(res.status()) ?? 0) + 1);
      expect([400, 409, 413, 422]).toContain(res.status());
      const json = await res.json();
      expect(typeof json.error.code).toBe('string');
      expect(typeof json.error.message).toBe('string');
    }),
    { numRuns: 250, seed: 20261129 },
  );
  expect(await countAll()).toBe(before);
  // Every family of refusal was reached.
  expect(statuses.get(400)).toBeGreaterThan(0);
  expect(statuses.get(422)).toBeGreaterThan(0);
});

test('fuzzed decide calls: 4xx, never 500, no decision written', async ({ page, loginAs, browser }) => {
  // A pending request of Minji's, that Daniel (an engineer, not an approver) will hammer.
  await loginAs('ENGINEER');
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification: 'Fuzz target, do not approve', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;
  const daniel = await browser.newContext();
  await daniel.addCookies([await sessionCookie('usr_daniel_okafor')]);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('approve', 'reject', 'cancel'),
      fc.oneof(fc.constant(id), fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent), fc.constant('x'.repeat(300))),
      fc.oneof(fc.anything({ maxDepth: 2 }), fc.record({ comment: junk })),
      async (verb, target, body) => {
        const res = await daniel.request.post(`/api/v1/requests/${target}/${verb}`, {
          data: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        expect([400, 403, 404, 405, 409, 413]).toContain(res.status());
      },
    ),
    { numRuns: 150, seed: 7 },
  );
  const detail = await (await page.request.get(`/api/v1/requests/${id}`)).json();
  expect(detail.request.status).toBe('PENDING');
  expect(detail.decisions).toEqual([]);
  await daniel.close();
});

// Valid ids with random text: the body passes every check but the text's, so a call either writes a
// request holding exactly the text it sent (trimmed, CRLF as LF) or is refused and writes nothing.
// Each call carries its own ticket reference, which tells whether it was written.
const text = fc.oneof(
  fc.string({ unit: 'binary', minLength: 10, maxLength: 120 }),
  fc.string({ unit: 'grapheme', minLength: 10, maxLength: 120 }),
  fc
    .tuple(
      fc.string({ minLength: 10, maxLength: 40 }),
      fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\ud800', '\r', '\r\n', '\t', '\n'),
      fc.string({ maxLength: 40 }),
    )
    .map(([a, c, b]) => `${a}${c}${b}`),
  // Credential shapes, built from parts at run time (this file holds none).
  fc
    .constantFrom(
      ['AKIA', 'Q4RT7YUW', 'E2MNBV5X'],
      ['gh', 'p_', 'Zx9'.repeat(12)],
      ['xox', 'b-', '1234567890-abcdefABCDEF'],
      ['-----BEGIN ', 'RSA PRIVATE KEY-----'],
    )
    .map((parts) => `Investigating with ${parts.join('')} now`),
);
const written = (sent: string) => sent.replace(/\r\n/g, '\n').trim();
// Multipart bodies are UTF-8: a lone surrogate arrives as U+FFFD.
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

test('fuzzed text with valid ids reaches the INSERT: written exactly, or refused with 400/422 and not written', async ({ browser }) => {
  const daniel = await browser.newContext();
  await daniel.addCookies([await sessionCookie('usr_daniel_okafor')]);
  const statuses = new Map<number, number>();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(text, fc.boolean(), async (justification, breakGlassField) => {
      const ticketRef = `FZ-${Date.now()}-${run++}`;
      const body = breakGlassField
        ? {
            ...VALID_BASE,
            secretId: 'sec_dev_payments_stripe_api_key',
            ticketRef,
            breakGlass: false,
            justification: 'Fuzzing the break-glass reason field',
            breakGlassReason: justification,
          }
        : { ...VALID_BASE, secretId: 'sec_dev_payments_stripe_api_key', ticketRef, justification };
      const res = await daniel.request.post('/api/v1/requests', { data: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      statuses.set(res.status(), (statuses.get(res.status()) ?? 0) + 1);
      expect([201, 400, 422]).toContain(res.status());
      if (res.status() === 201) {
        const id = (await res.json()).request.id as string;
        const detail = await (await daniel.request.get(`/api/v1/requests/${id}`)).json();
        expect(detail.request.justification).toBe(breakGlassField ? body.justification : written(justification));
      } else {
        const json = await res.json();
        expect(json.error.message).toMatch(breakGlassField ? /breakGlassReason|justification/ : /justification/);
        const mine = (await (await daniel.request.get('/api/v1/requests?limit=20')).json()).requests as { ticketRef: string | null }[];
        expect(mine.some((r) => r.ticketRef === ticketRef)).toBe(false);
      }
    }),
    { numRuns: 120, seed: 20261207 },
  );
  // Both outcomes were reached: writes and each kind of refusal.
  expect(statuses.get(201)).toBeGreaterThan(0);
  expect(statuses.get(400)).toBeGreaterThan(0);
  expect(statuses.get(422)).toBeGreaterThan(0);
  await daniel.close();
});

test('fuzzed server action calls: the new-request form action with random text, and malformed bodies', async ({ page }) => {
  await page.context().addCookies([await sessionCookie('usr_daniel_okafor')]);
  // One real submission through the form gives the action's id and its encoding.
  await page.goto('/requests/new');
  await page.getByLabel('Secret', { exact: true }).selectOption('sec_dev_payments_stripe_api_key');
  await page.getByLabel('Justification').fill('Captures the action call for the fuzzer');
  const captured = page.waitForRequest((r) => r.method() === 'POST' && !!r.headers()['next-action']);
  await page.getByRole('button', { name: 'Submit request' }).click();
  const call = await captured;
  const actionId = call.headers()['next-action']!;
  const fields = new Map<string, string>();
  for (const m of (call.postData() ?? '').matchAll(/name="([^"]+)"\r\n\r\n([^\r]*)\r\n/g)) fields.set(m[1]!, m[2]!);
  const justificationField = [...fields.keys()].find((k) => k.endsWith('justification'))!;
  const ticketField = justificationField.replace(/justification$/, 'ticketRef');
  expect(justificationField).toBeTruthy();
  await expect(page).toHaveURL(/\/requests\/[a-z0-9]+$/);

  // In the captured order: React's decoder reads the root row ("0") last, after the form's fields.
  const post = (values: Record<string, string>) => {
    const multipart = new FormData();
    for (const [name, value] of fields) multipart.append(name, values[name] ?? value);
    return page.request.post('/requests/new', { headers: { 'next-action': actionId, accept: 'text/x-component' }, multipart });
  };
  let run = 0;
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(text, async (justification) => {
      const ticketRef = `FZA-${Date.now()}-${run++}`;
      const res = await post({ [justificationField]: justification, [ticketField]: ticketRef });
      expect(res.status()).toBe(200);
      const payload = await res.text();
      const ok = /"ok":true/.test(payload);
      outcomes.set(String(ok), (outcomes.get(String(ok)) ?? 0) + 1);
      const mine = (await (await page.request.get('/api/v1/requests?limit=20')).json()).requests as { id: string; ticketRef: string | null }[];
      const row = mine.find((r) => r.ticketRef === ticketRef);
      if (ok) {
        expect(row).toBeDefined();
        expect((await (await page.request.get(`/api/v1/requests/${row!.id}`)).json()).request.justification).toBe(written(wellFormed(justification)));
      } else {
        expect(payload).toMatch(/"ok":false/);
        expect(payload, payload).toMatch(/justification|ticketRef/);
        expect(row).toBeUndefined();
      }
    }),
    { numRuns: 60, seed: 20261208 },
  );
  expect(outcomes.get('true')).toBeGreaterThan(0);
  expect(outcomes.get('false')).toBeGreaterThan(0);

  // Bodies Next.js cannot decode: a 4xx before anything runs (so nothing can be written), never
  // its 500, and no decoding error in the server's log.
  const log = path.resolve('.test-results/e2e-server.log');
  const logStart = fs.existsSync(log) ? fs.statSync(log).size : 0;
  const raw = (data: string | Buffer, contentType = 'text/plain;charset=UTF-8') =>
    page.request.post('/requests/new', { headers: { 'next-action': actionId, 'content-type': contentType }, data });
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ maxLength: 200 }).filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
        fc.constant(''),
        fc.integer({ min: 9, max: 2000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
        fc.constant('x'.repeat(1024 * 1024 + 10)),
        // Well-formed JSON that refers to parts the body does not carry.
        fc.constantFrom('["$Q99"]', '["$@5"]', '[{"requestId":"$1"}]'),
      ),
      async (body) => {
        const res = await raw(body);
        expect([400, 413]).toContain(res.status());
      },
    ),
    { numRuns: 40, seed: 20261209 },
  );
  expect((await raw('--x\r\nbroken', 'multipart/form-data; boundary=x')).status()).toBe(400);
  if (fs.existsSync(log)) {
    const added = fs.readFileSync(log).subarray(logStart).toString('utf8');
    expect(added).not.toMatch(/Body exceeded|SyntaxError|Unexpected end of JSON|Invariant|Connection closed|⨯/);
  }
});
