/**
 * Opt-in end-to-end check of the IAM audit and baseline adapter against a real AWS API (see
 * iam.aws-e2e.ts for how to run it). It creates a user gatehouse-e2e-audit-<random> with a
 * deliberately over-broad inline policy and a group under /gatehouse-e2e-<random>/, and removes both.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DeletePolicyCommand,
  IAMClient,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBaselinePolicy } from '@/lib/iam-audit/baseline';
import { auditAccount } from '@/lib/iam-audit/rules';
import { awsClientConfig } from '@/lib/server/aws/clients';
import { createAwsIamAccount } from '@/lib/server/aws/iam-account';
import { createAwsAccountIdentity } from '@/lib/server/aws/sts';

// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL, GATEHOUSE_AWS_E2E } = process.env;
const enabled = Boolean(AWS_ENDPOINT_URL) || GATEHOUSE_AWS_E2E === '1';

const id = randomBytes(4).toString('hex');
const USER = `gatehouse-e2e-audit-${id}`;
const GROUP = `gatehouse-e2e-baseline-${id}`;
const PATH = `/gatehouse-e2e-${id}/`;

async function bestEffort(what: string, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (e) {
    // Already gone (the test removed it itself): nothing to clean up.
    if ((e as { name?: string }).name?.startsWith('NoSuchEntity')) return;
    console.warn(`[aws-e2e] cleanup: ${what} failed; remove it by hand`, e);
  }
}

describe.skipIf(!enabled)('IAM audit and baseline adapter against AWS', () => {
  const config = enabled ? awsClientConfig() : { region: 'us-east-1' };
  const client = new IAMClient(config);
  const accountId = async () => (await createAwsAccountIdentity(new STSClient(config), config.region).describeAccount()).accountId;
  const account = createAwsIamAccount(client, accountId);
  let policyArn: string | undefined;

  afterAll(async () => {
    await bestEffort('remove user from group', () => client.send(new RemoveUserFromGroupCommand({ GroupName: GROUP, UserName: USER })));
    if (policyArn) {
      const arn = policyArn;
      await bestEffort('detach group policy', () => client.send(new DetachGroupPolicyCommand({ GroupName: GROUP, PolicyArn: arn })));
      await bestEffort('delete policy', () => client.send(new DeletePolicyCommand({ PolicyArn: arn })));
    }
    await bestEffort('delete group', () => client.send(new DeleteGroupCommand({ GroupName: GROUP })));
    await bestEffort('delete inline policy', () => client.send(new DeleteUserPolicyCommand({ UserName: USER, PolicyName: 'everything' })));
    await bestEffort('delete user', () => client.send(new DeleteUserCommand({ UserName: USER })));
  });

  it('scans the account (all pages) and finds an inline Action "*" policy', async () => {
    await client.send(new CreateUserCommand({ UserName: USER, Tags: [{ Key: 'gatehouse:e2e', Value: 'true' }] }));
    await client.send(
      new PutUserPolicyCommand({
        UserName: USER,
        PolicyName: 'everything',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    );
    const details = await account.getAccountAuthorizationDetails();
    expect(details.users.map((u) => u.name)).toContain(USER);
    const findings = auditAccount(details, { privilegedPrincipals: ['security'], unusedRoleDays: 90 }, new Date()).findings.filter(
      (f) => f.principal.name === USER,
    );
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]!.severity).toBe('critical');
  });

  it('builds the baseline group idempotently and manages its members', async () => {
    const { partition, accountId: acct } = await account.describeAccount();
    await account.ensureGroup(GROUP, PATH);
    expect(await account.ensureGroup(GROUP, PATH)).toMatch(new RegExp(`:group${PATH}${GROUP}$`));
    policyArn = await account.ensureGroupPolicy(GROUP, `${GROUP}-metadata`, PATH, generateBaselinePolicy(partition, acct));
    expect(await account.ensureGroupPolicy(GROUP, `${GROUP}-metadata`, PATH, generateBaselinePolicy(partition, acct))).toBe(policyArn);
    await account.addUserToGroup(GROUP, USER);
    await account.addUserToGroup(GROUP, USER);
    expect(await account.listGroupMembers(GROUP)).toEqual([USER]);
    await account.removeUserFromGroup(GROUP, USER);
    await account.removeUserFromGroup(GROUP, USER);
    expect(await account.listGroupMembers(GROUP)).toEqual([]);
    expect(await account.listGroupMembers(`${GROUP}-missing`)).toBeNull();
  });
});
