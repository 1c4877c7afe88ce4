import { AUDIT_ACTIONS } from '../lib/audit/actions';
import { expect, test } from './fixtures/test';

const CSV_HEADER = 'seq,occurred_at,actor_id,actor_name,action,target_type,target_id,environment,team_id,request_id,before,after,ip,user_agent,prev_hash,hash';

// Other spec files create requests (and so audit events) in parallel: no test counts events exactly.
test.describe('audit history', () => {
  test('security opens the history and verifies the chain', async ({ page, loginAs }) => {
    await loginAs('SECURITY');
    const res = await page.goto('/audit');
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Audit history' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Audit filters' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/api/v1/audit/export?format=csv');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.getByTestId('verify-result');
    await expect(result).toHaveAttribute('aria-live', 'polite');
    await expect(result).toHaveText(/^Chain intact: \d+ events? checked Checked against \d+ signed checkpoints? kept outside the database\.$/);
    // Each intact verification leaves a signed checkpoint outside the database; the next one reads it.
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(result).toHaveText(/Checked against [1-9]\d* signed checkpoints?/);
    const report = await (await page.request.post('/api/v1/audit/verify')).json();
    expect(report).toMatchObject({ ok: true, firstBreak: null, checkpoints: { written: { seq: report.head.seq } } });
    expect(report.checkpoints.read).toBeGreaterThanOrEqual(2);
  });

  test('the filters live in the URL, and a bad one is explained instead of crashing', async ({ page, loginAs }) => {
    await loginAs('SECURITY');
    await page.goto('/audit');
    const form = page.getByRole('form', { name: 'Audit filters' });
    await form.getByLabel('Environment').selectOption('PROD');
    // The action filter offers every action the history records, labelled (lib/audit/actions.ts).
    await expect(form.getByLabel('Action').locator('option')).toHaveCount(AUDIT_ACTIONS.length + 1);
    await expect(form.getByLabel('Action').locator('option[value="user.roles_changed"]')).toHaveText('User roles changed (user.roles_changed)');
    await form.getByLabel('Action').selectOption('request.created');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]environment=PROD(&|$)/);
    await expect(page).toHaveURL(/[?&]action=request\.created(&|$)/);
    await expect(page.getByRole('link', { name: 'Export JSON' })).toHaveAttribute('href', /format=json.*action=request\.created.*environment=PROD/);
    // The form shows the filters it was given back (the view can be shared as a link).
    await expect(form.getByLabel('Environment')).toHaveValue('PROD');
    await expect(form.getByLabel('Action')).toHaveValue('request.created');

    const bad = await page.goto('/audit?from=notadate');
    expect(bad?.status()).toBe(200);
    // (Next.js adds its own empty route-announcer alert.)
    const error = page.getByRole('alert').filter({ hasText: 'These filters are not valid' });
    await expect(error).toContainText('From: from must be a date');
    await expect(page.getByTestId('audit-table')).toHaveCount(0);
  });

  test('an engineer gets 403 on the page and on the API', async ({ page, loginAs }) => {
    await loginAs('ENGINEER');
    const res = await page.goto('/audit');
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
    for (const path of ['/api/v1/audit', '/api/v1/audit/export?format=csv', '/api/v1/audit/verify']) {
      const api = await page.request.get(path);
      expect(api.status(), path).toBe(403);
      expect((await api.json()).error.code, path).toBe('FORBIDDEN');
    }
  });

  test('the API answers a page of events, and 400 JSON for a bad filter', async ({ page, loginAs }) => {
    await loginAs('SECURITY');
    const ok = await page.request.get('/api/v1/audit?limit=5');
    expect(ok.status()).toBe(200);
    const body = await ok.json();
    expect(Array.isArray(body.events)).toBe(true);
    expect(body.events.length).toBeLessThanOrEqual(5);
    expect(body).toHaveProperty('nextCursor');

    const bad = await page.request.get('/api/v1/audit?from=notadate');
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    // A parameter the API does not take is refused by name, not ignored (it once returned everything).
    for (const path of ['/api/v1/audit?requestId=req_123', '/api/v1/audit/export?format=csv&requestId=req_123']) {
      const unknown = await page.request.get(path);
      expect(unknown.status(), path).toBe(400);
      expect((await unknown.json()).error.message, path).toMatch(/^requestId: unknown parameter/);
    }
    const action = await page.request.get('/api/v1/audit?action=request.read');
    expect(action.status()).toBe(400);
    expect((await action.json()).error.message).toBe('action: unknown action');
  });

  test('the CSV export downloads with the header line first', async ({ page, loginAs }) => {
    await loginAs('SECURITY');
    const res = await page.request.get('/api/v1/audit/export?format=csv');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="gatehouse-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers()['cache-control']).toBe('no-store');
    expect((await res.text()).split('\r\n')[0]).toBe(CSV_HEADER);

    const json = await page.request.get('/api/v1/audit/export?format=json&environment=PROD');
    expect(json.status()).toBe(200);
    expect(json.headers()['content-type']).toBe('application/json');
    const events = (await json.json()) as { environment: string }[];
    expect(Array.isArray(events)).toBe(true);
    for (const e of events) expect(e.environment).toBe('PROD');
  });
});
