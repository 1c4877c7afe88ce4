import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  GetGroupCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import type { Browser, Page } from '@playwright/test';
import { expect, test, USERS } from '../fixtures/test';
import { ACCOUNT_ID, PATH_ROLE, PATH_USER, PROD_ACCOUNT_ID, STAGING_ACCOUNT_ID, STAGING_ROLE_ARN } from './emulator';
import { approve, contextAs, grantWhen, motoIam, policyDocumentInAws, userPolicyArns } from './helpers';

// Orphans of Gatehouse's naming (gatehouse-grant-*, under /gatehouse/) planted outside the portal on
// a user, on a group (and a second principal) and on a role with a path; foreign policies beside
// them (the grant prefix under another path, another name under /gatehouse/); live grants on a user
// and a role that both have IAM paths. The reconciler must find exactly the three orphans, remove
// them everywhere with "Fix all", leave everything else alone, and find nothing on a second run.
const POLICY = (sid: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::e2e-orphans'] }] });
const arnOf = (path: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:policy${path}${name}`;
const ORPHANS = { user: 'gatehouse-grant-orphanuser', group: 'gatehouse-grant-orphangroup', role: 'gatehouse-grant-orphanrole' };
const FOREIGN = [
  { path: '/other/', name: 'gatehouse-grant-foreign' },
  { path: '/gatehouse/', name: 'team-readonly-foreign' },
];
const GROUP = { path: '/teams/', name: 'e2e-orphan-holders' };
const PROD_ORPHAN = 'gatehouse-grant-e2e-orphan-in-prod';
const prodArnOf = (name: string) => `arn:aws:iam::${PROD_ACCOUNT_ID}:policy/gatehouse/${name}`;

async function mapPrincipal(page: Page, userName: string, arn: string) {
  // One form per account (docs/decisions/039): these principals are in dev's account, the portal's own.
  const form = page.getByRole('form', { name: `AWS identity of ${userName} in e2e-dev` });
  await form.getByRole('textbox').fill(arn);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Saved.')).toBeVisible();
}

async function liveGrant(browser: Browser, userId: string, secretId: string) {
  const holder = await contextAs(browser, userId);
  const created = await holder.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId, justification: 'Compare access for the quarterly review', durationMinutes: 60 },
  });
  expect(created.status(), await created.text()).toBe(201);
  const requestId = (await created.json()).request.id as string;
  const security = await contextAs(browser, USERS.SECURITY.id);
  await approve(security.request, requestId);
  await security.close();
  const grant = await grantWhen(holder.request, requestId, 'ACTIVE');
  await holder.close();
  return grant;
}

test('reconcile: orphans on a user, a group and a role with a path are removed; foreign policies and live grants on principals with paths stay', async ({
  page,
  loginAs,
  browser,
}) => {
  test.setTimeout(90_000);
  // An admin maps two users to principals with IAM paths, and both get a live grant.
  await loginAs('ADMIN');
  await page.goto('/admin');
  await mapPrincipal(page, 'Jae-won Choi', PATH_USER.arn);
  await mapPrincipal(page, 'Priya Raman', PATH_ROLE.arn);
  await page.context().clearCookies();
  const userGrant = await liveGrant(browser, 'usr_jaewon_choi', 'sec_dev_payments_stripe_api_key');
  const roleGrant = await liveGrant(browser, 'usr_priya_raman', 'sec_dev_data_warehouse_readonly');
  const iam = motoIam();
  const rolePolicies = async () =>
    ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: PATH_ROLE.name }))).AttachedPolicies ?? []).map((p) => p.PolicyArn);
  expect(await userPolicyArns(PATH_USER.name)).toEqual([userGrant.policyArn]);
  expect(await rolePolicies()).toEqual([roleGrant.policyArn]);

  // Planted outside the portal.
  const group = (await iam.send(new CreateGroupCommand({ GroupName: GROUP.name, Path: GROUP.path }))).Group!;
  expect(group.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:group/teams/e2e-orphan-holders`);
  for (const name of Object.values(ORPHANS))
    await iam.send(new CreatePolicyCommand({ PolicyName: name, Path: '/gatehouse/', PolicyDocument: POLICY('Planted') }));
  for (const f of FOREIGN) await iam.send(new CreatePolicyCommand({ PolicyName: f.name, Path: f.path, PolicyDocument: POLICY('Foreign') }));
  // A second version, so that removal has to delete versions first.
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arnOf('/gatehouse/', ORPHANS.role), PolicyDocument: POLICY('PlantedV2'), SetAsDefault: true }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'minji.kim', PolicyArn: arnOf('/gatehouse/', ORPHANS.user) }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: GROUP.name, PolicyArn: arnOf('/gatehouse/', ORPHANS.group) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'daniel.okafor', PolicyArn: arnOf('/gatehouse/', ORPHANS.group) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: PATH_ROLE.name, PolicyArn: arnOf('/gatehouse/', ORPHANS.role) }));
  for (const f of FOREIGN) await iam.send(new AttachUserPolicyCommand({ UserName: 'minji.kim', PolicyArn: arnOf(f.path, f.name) }));

  // And one in prod's account, attached to prod's minji.kim: reconcile looks in every account.
  const prodIam = motoIam(PROD_ACCOUNT_ID);
  await prodIam.send(new CreatePolicyCommand({ PolicyName: PROD_ORPHAN, Path: '/gatehouse/', PolicyDocument: POLICY('PlantedInProd') }));
  await prodIam.send(new AttachUserPolicyCommand({ UserName: 'minji.kim', PolicyArn: prodArnOf(PROD_ORPHAN) }));

  // Security scans: exactly the four orphans, each with its account and every principal it is attached to.
  await loginAs('SECURITY');
  await page.goto('/reconcile');
  await expect(page.getByRole('status')).toHaveText('4 findings');
  const findings = page.getByTestId('reconcile-findings').locator('tr[data-finding-id]');
  const id = (name: string, accountId = ACCOUNT_ID) => `ORPHAN:${name}@${accountId}`;
  expect((await findings.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-finding-id')))).sort()).toEqual(
    [...Object.values(ORPHANS).map((n) => id(n)), id(PROD_ORPHAN, PROD_ACCOUNT_ID)].sort(),
  );
  // IAM lists attachments by kind and name only (no path), and the page names them so.
  await expect(page.locator(`tr[data-finding-id="${id(ORPHANS.user)}"]`)).toContainText('user/minji.kim');
  await expect(page.locator(`tr[data-finding-id="${id(ORPHANS.group)}"]`)).toContainText(`group/${GROUP.name}`);
  await expect(page.locator(`tr[data-finding-id="${id(ORPHANS.group)}"]`)).toContainText('user/daniel.okafor');
  await expect(page.locator(`tr[data-finding-id="${id(ORPHANS.role)}"]`)).toContainText(`role/${PATH_ROLE.name}`);
  await expect(page.locator(`tr[data-finding-id="${id(PROD_ORPHAN, PROD_ACCOUNT_ID)}"]`)).toContainText(`e2e-prod · ${PROD_ACCOUNT_ID}`);
  // Staging's role cannot be assumed: the scan says so, naming the role, and covers the other two accounts.
  const accounts = page.getByTestId('reconcile-accounts');
  await expect(accounts.locator(`li[data-account-key="${STAGING_ACCOUNT_ID}"]`)).toContainText(STAGING_ROLE_ARN);
  await expect(accounts.locator(`li[data-account-key="${PROD_ACCOUNT_ID}"]`)).not.toContainText(STAGING_ROLE_ARN);

  await page.getByRole('button', { name: 'Fix all' }).click();
  await expect(page.getByRole('status')).toHaveText('Nothing to reconcile');

  // In AWS: prod's orphan is gone from prod's account (and its user), nothing of it was ever in dev's.
  expect(await policyDocumentInAws(prodArnOf(PROD_ORPHAN))).toBeNull();
  expect(await userPolicyArns('minji.kim', PROD_ACCOUNT_ID)).toEqual([]);
  // The orphans are gone from everyone; the foreign policies and the live grants are untouched.
  for (const name of Object.values(ORPHANS)) expect(await policyDocumentInAws(arnOf('/gatehouse/', name)), name).toBeNull();
  for (const f of FOREIGN) expect(await policyDocumentInAws(arnOf(f.path, f.name))).not.toBeNull();
  expect((await userPolicyArns('minji.kim')).sort()).toEqual(FOREIGN.map((f) => arnOf(f.path, f.name)).sort());
  expect(await userPolicyArns('daniel.okafor')).toEqual([]);
  expect((await iam.send(new GetGroupCommand({ GroupName: GROUP.name }))).Group?.Arn).toBe(group.Arn);
  expect(await userPolicyArns(PATH_USER.name)).toEqual([userGrant.policyArn]);
  expect(await rolePolicies()).toEqual([roleGrant.policyArn]);
  for (const g of [userGrant, roleGrant]) expect(await policyDocumentInAws(g.policyArn!)).toMatchObject({ Statement: [{ Sid: 'ReadOneSecret' }] });

  // A second run finds nothing; each removal is audited with every principal it was attached to.
  await page.reload();
  await expect(page.getByRole('status')).toHaveText('Nothing to reconcile');
  const audit = await page.request.get(`/api/v1/audit?action=reconcile.orphan_removed&q=${ORPHANS.group}`);
  const events = ((await audit.json()) as { events: { before: { attachedTo: { kind: string; name: string }[] } }[] }).events;
  expect(events).toHaveLength(1);
  expect(events[0]!.before.attachedTo).toHaveLength(2);
  expect(events[0]!.before.attachedTo).toEqual(
    expect.arrayContaining([
      { kind: 'IAM_GROUP', name: GROUP.name },
      { kind: 'IAM_USER', name: 'daniel.okafor' },
    ]),
  );
});
