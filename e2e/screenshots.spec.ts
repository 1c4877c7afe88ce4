import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type Role } from './fixtures/test';

// Every page at 1440 px and at 390 px, as a role that can see it, written to
// .test-results/screenshots/ (README, "Screenshots") for people to look at: issue 17 walked every
// page that way. Each page must render (its main heading visible) and, on a phone, not scroll
// sideways: tables scroll inside their own box, the page itself stays 390 px wide.
const DIR = path.join(process.cwd(), '.test-results', 'screenshots');
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

test.describe.configure({ mode: 'parallel' });
test.beforeAll(() => fs.mkdirSync(DIR, { recursive: true }));

/** Opens the page wide, then on a phone: a screenshot of each, the heading and the width checked. */
async function shoot(page: Page, name: string, url: string) {
  await page.setViewportSize(WIDE);
  const res = await page.goto(url);
  expect(res?.status(), `${url} answers`).toBeLessThan(400);
  const heading = page.locator('main h1').first();
  await expect(heading, `${url} has its heading`).toBeVisible();
  // Charts and live sections load after the page: the picture shows them drawn.
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: path.join(DIR, `${name}-1440.png`), fullPage: true });

  await page.setViewportSize(PHONE);
  await expect(heading).toBeVisible();
  // The header re-measures its row on resize; the check reads the page once that settled. On
  // failure it names the deepest elements past the right edge, where the fix belongs.
  const overflow = () =>
    page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const past = [...document.querySelectorAll('main *, header *')].filter((e) => e.getBoundingClientRect().right > width + 0.5);
      const deepest = past.filter((e) => !past.some((other) => other !== e && e.contains(other)));
      return {
        by: document.documentElement.scrollWidth - width,
        elements: deepest.slice(0, 4).map((e) => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') ?? ''}">`),
      };
    });
  await expect
    .poll(async () => (await overflow()).by, { message: `${url} scrolls sideways at 390 px` })
    .toBeLessThanOrEqual(0)
    .catch(async (error: Error) => {
      throw new Error(`${error.message}\npast the edge: ${(await overflow()).elements.join(' ')}`);
    });
  await page.screenshot({ path: path.join(DIR, `${name}-390.png`), fullPage: true });
}

const PAGES: Record<Role, [name: string, url: string][]> = {
  ENGINEER: [
    ['engineer-home', '/'],
    ['requests', '/requests'],
    ['requests-new', '/requests/new'],
    ['catalog', '/catalog'],
    ['tokens', '/tokens'],
  ],
  SECURITY: [
    ['security-home', '/'],
    ['approvals', '/approvals'],
    ['break-glass', '/break-glass'],
    ['audit', '/audit'],
    ['reports', '/reports'],
    ['reconcile', '/reconcile'],
    ['iam-audit', '/iam-audit'],
    ['iam-audit-baseline', '/iam-audit/baseline'],
  ],
  OPS: [
    ['ops-home', '/'],
    ['alarms', '/alarms'],
    ['alarm-detail', '/alarms/serverless-prod-rds-cpu?account=777788889999'],
    ['costs', '/costs'],
    ['costs-model', '/costs/model'],
    ['deployments', '/deployments'],
    ['deployments-history', '/deployments/history'],
  ],
  ADMIN: [
    ['admin-home', '/'],
    ['admin', '/admin'],
    ['sandbox', '/sandbox'],
  ],
};

for (const [role, pages] of Object.entries(PAGES) as [Role, [string, string][]][]) {
  test(`screenshots: ${role.toLowerCase()}'s pages at 1440 and 390 px`, async ({ page, loginAs }) => {
    test.setTimeout(60_000);
    await loginAs(role);
    for (const [name, url] of pages) await shoot(page, name, url);
  });
}

test('screenshots: a request, a deployment and the sign-in page', async ({ page, loginAs, browser }) => {
  test.setTimeout(60_000);
  await loginAs('ENGINEER');
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_data_warehouse_readonly', justification: 'Screenshots of every page', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const { id } = ((await created.json()) as { request: { id: string } }).request;
  await shoot(page, 'request-detail', `/requests/${id}`);

  // A deployment: one that exists, else a prod plan (it waits for approval and changes nothing).
  await loginAs('OPS');
  const list = (await (await page.request.get('/api/v1/deployments')).json()) as { deployments: { id: string }[] };
  let deployment = list.deployments[0]?.id;
  if (!deployment) {
    const planned = await page.request.post('/api/v1/deployments', { data: { environment: 'prod' } });
    expect(planned.status()).toBe(201);
    deployment = ((await planned.json()) as { id: string }).id;
  }
  await shoot(page, 'deployment-detail', `/deployments/${deployment}`);

  const signedOut = await browser.newPage();
  await shoot(signedOut, 'signin', '/signin');
  await signedOut.close();
});
