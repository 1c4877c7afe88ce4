import { CreateAccessKeyCommand, GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect, sessionCookie, test, USERS } from '../fixtures/test';
import { motoClientConfig } from './emulator';
import { approve, contextAs, grantWhen, motoIam, policyDocumentInAws, userPolicyArns } from './helpers';

const ROLE_NAME = 'gatehouse-data-dev-read-only';
const ROLE_ARN = `arn:aws:iam::111122223333:role/gatehouse/roles/${ROLE_NAME}`;
const decode = (doc: string) => JSON.parse(decodeURIComponent(doc)) as unknown;

// moto does not evaluate IAM policies: it lets any principal assume any role and does not enforce a
// deny. What it can show is asserted: the role, its trust and permissions, the grant policy on the
// member, a member session, and at the grant's end the deny that cuts that grant's sessions.
test('a team-role grant: the role and its trust in AWS, the member assumes it, and the end cuts the session', async ({ page, browser }) => {
  await page.context().addCookies([await sessionCookie('usr_daniel_okafor')]);
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'ROLE', roleId: 'role_data_dev_read_only', justification: 'Investigate the failed nightly export', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const requestId = (await created.json()).request.id as string;
  const security = await contextAs(browser, USERS.SECURITY.id);
  await approve(security.request, requestId);
  await security.close();
  const grant = await grantWhen(page.request, requestId, 'ACTIVE');

  const iam = motoIam();
  const role = (await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!;
  expect(role).toMatchObject({ Arn: ROLE_ARN, Path: '/gatehouse/roles/', MaxSessionDuration: 3600 });
  const tagged = { Null: { 'aws:RequestTag/gatehouse-grant': 'false' } };
  expect(decode(role.AssumeRolePolicyDocument!)).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountPrincipalsWithAGrant',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: ['sts:AssumeRole'],
        Condition: tagged,
      },
      { Sid: 'GrantTagOnTheSession', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['sts:TagSession'], Condition: tagged },
    ],
  });
  const permissions = await iam.send(new GetRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: 'gatehouse-permissions' }));
  // The catalog role's policy, one statement per service, each bound to the team's dev resources (decision 032).
  expect(decode(permissions.PolicyDocument!)).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Catalog1',
        Effect: 'Allow',
        Action: ['logs:GetLogEvents', 'logs:FilterLogEvents'],
        Resource: ['arn:aws:logs:*:111122223333:log-group:/aws/lambda/dev-data-*'],
      },
      { Sid: 'Catalog2', Effect: 'Allow', Action: ['cloudwatch:GetMetricData'], Resource: ['arn:aws:cloudwatch:*:111122223333:alarm:dev-data-*'] },
      { Sid: 'Catalog3', Effect: 'Allow', Action: ['lambda:GetFunction'], Resource: ['arn:aws:lambda:*:111122223333:function:dev-data-*'] },
    ],
  });
  // The member's grant policy allows assuming exactly this role, tagged with this grant.
  expect(await userPolicyArns('daniel.okafor')).toContain(grant.policyArn);
  expect(JSON.stringify(await policyDocumentInAws(grant.policyArn!))).toContain(`"aws:RequestTag/gatehouse-grant":"${grant.id}"`);

  // The member assumes the role with their own credentials and the grant's tag.
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'daniel.okafor' }))).AccessKey!;
  const member = new STSClient({ ...motoClientConfig(), credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
  expect((await member.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::111122223333:user/daniel.okafor');
  const assumed = await member.send(
    new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'daniel-export', Tags: [{ Key: 'gatehouse-grant', Value: grant.id }] }),
  );
  const sessionIssuedAt = Date.now();
  expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::111122223333:assumed-role/${ROLE_NAME}/daniel-export`);

  // The grant's end is moved close; at expiry the policy goes and the role denies this grant's sessions.
  // The shortest end the portal accepts is 10 s away.
  const endsAt = new Date(Date.now() + 12_000);
  const shortened = await page.request.post(`/api/v1/grants/${grant.id}/shorten`, { data: { endsAt: endsAt.toISOString() } });
  expect(shortened.status(), await shortened.text()).toBe(200);
  const ended = await grantWhen(page.request, requestId, 'ENDED', 30_000);
  expect(ended).toMatchObject({ status: 'ENDED' });
  expect(await policyDocumentInAws(grant.policyArn!)).toBeNull();
  const revoked = decode((await iam.send(new GetRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: 'gatehouse-revoked-sessions' }))).PolicyDocument!) as {
    Statement: {
      Sid: string;
      Effect: string;
      Action: string[];
      Resource: string[];
      Condition: { StringEquals: Record<string, string>; DateLessThan: Record<string, string> };
    }[];
  };
  const cut = revoked.Statement.find((s) => s.Condition.StringEquals['aws:PrincipalTag/gatehouse-grant'] === grant.id);
  expect(cut).toMatchObject({ Effect: 'Deny', Action: ['*'], Resource: ['*'] });
  // Every session issued before the end (ours included) is denied.
  expect(Date.parse(cut!.Condition.DateLessThan['aws:TokenIssueTime']!)).toBeGreaterThan(sessionIssuedAt);
  // The role itself stays for the team's other grants.
  expect((await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role?.Arn).toBe(ROLE_ARN);
});
