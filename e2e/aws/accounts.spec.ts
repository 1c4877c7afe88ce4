import { expect, test } from '../fixtures/test';
import { ACCOUNT_ID, EXTERNAL_ID, PROD_ACCOUNT_ID, STAGING_ACCOUNT_ID, STAGING_ROLE_ARN } from './emulator';

// One account per environment (docs/decisions/039): the health check asks STS in each account, so
// the one whose role refuses the portal is named, and the others answer.
test('health names the account whose role cannot be assumed, and the others answer', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(503);
  const body = (await res.json()) as { status: string; checks: Record<string, { status: string; error?: string }> };
  expect(body.checks.database?.status).toBe('ok');
  expect(body.checks[`aws:e2e-dev (${ACCOUNT_ID})`]?.status).toBe('ok');
  expect(body.checks[`aws:e2e-prod (${PROD_ACCOUNT_ID})`]?.status).toBe('ok');
  const staging = body.checks[`aws:e2e-staging (${STAGING_ACCOUNT_ID})`];
  expect(staging?.status).toBe('fail');
  expect(staging?.error).toContain(STAGING_ROLE_ARN);
  // The external id is configuration the portal never shows.
  expect(JSON.stringify(body)).not.toContain(EXTERNAL_ID);
});
