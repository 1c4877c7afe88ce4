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
const field = fc.constantFrom('type', 'secretId', 'roleId', 'teamId', 'environment', 'secretName', 'justification', 'durationMinutes', 'startsAt', 'breakGlass', 'breakGlassReason', 'ticketRef', 'extendsRequestId', '__proto__', 'constructor');

const badCreateBody = fc.oneof(
  // Anything at all.
  fc.anything({ maxDepth: 3 }),
  // A plausible body with one field replaced by junk.
  fc.tuple(field, junk).map(([k, v]) => ({ ...VALID_BASE, [k]: v })),
  // A plausible body with fields removed.
  fc.subarray(Object.keys(VALID_BASE)).map((drop) => Object.fromEntries(Object.entries(VALID_BASE).filter(([k]) => !drop.includes(k)))),
  // Out-of-range numbers and wrong types.
  fc.record({ type: fc.constantFrom('SECRET_READ', 'ROLE', 'SECRET_REGISTER', 'secret_read', ''), secretId: junk, roleId: junk, justification: junk, durationMinutes: junk, breakGlass: junk }),
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
        const res = await daniel.request.post(`/api/v1/requests/${target}/${verb}`, { data: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
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
