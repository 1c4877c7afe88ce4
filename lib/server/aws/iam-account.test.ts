import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  EntityAlreadyExistsException,
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListPolicyVersionsCommand,
  NoSuchEntityException,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers (toHaveReceivedCommandWith, …) and their types.
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { generateBaselinePolicy } from '@/lib/iam-audit/baseline';
import { createAwsIamAccount } from '@/lib/server/aws/iam-account';

const ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
const client = new IAMClient({ region: 'eu-central-1', credentials });
const iamMock = mockClient(client);
const accountId = vi.fn(async () => ACCOUNT);
const iam = createAwsIamAccount(client, accountId);

const GROUP = 'gatehouse-baseline-secrets';
const GROUP_ARN = `arn:aws:iam::${ACCOUNT}:group/gatehouse/${GROUP}`;
const POLICY = 'gatehouse-baseline-secrets-metadata';
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/gatehouse/${POLICY}`;
const DOC = generateBaselinePolicy('aws', ACCOUNT);
const DESCRIPTION = 'Managed by Gatehouse: the secrets baseline (list and describe secrets, never read values). Edits are overwritten.';
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const meta = { $metadata: { requestId: 'req-1', httpStatusCode: 400 } };
const noSuchEntity = () => new NoSuchEntityException({ message: 'not found', ...meta });
const alreadyExists = () => new EntityAlreadyExistsException({ message: 'already exists', ...meta });
// IAM models no AccessDenied exception class: the SDK raises a generic service error by that name.
const accessDenied = () => Object.assign(new Error('User is not authorized'), { name: 'AccessDenied', ...meta });

/** How IAM returns a policy document: RFC 3986 URL-encoding of the JSON as it was stored. */
function iamEncoded(value: unknown): string {
  return encodeURIComponent(JSON.stringify(value, null, 2)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sent(): unknown[] {
  return iamMock.calls().map((c) => c.args[0].constructor);
}

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('resolved');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

beforeEach(() => {
  iamMock.reset();
  accountId.mockClear();
});

describe('getAccountAuthorizationDetails', () => {
  it('reads every page, following Marker until IsTruncated is false, with exactly these inputs', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce({
        IsTruncated: true,
        Marker: 'm1',
        UserDetailList: [
          {
            UserName: 'ci-deployer',
            Arn: `arn:aws:iam::${ACCOUNT}:user/ci/ci-deployer`,
            Path: '/ci/',
            CreateDate: new Date('2024-01-01T00:00:00Z'),
            UserPolicyList: [{ PolicyName: 'legacy-deploy', PolicyDocument: iamEncoded(ADMIN) }],
            GroupList: ['developers'],
            AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
            Tags: [{ Key: 'team', Value: 'platform' }],
          },
        ],
      })
      .resolvesOnce({
        IsTruncated: true,
        Marker: 'm2',
        GroupDetailList: [
          {
            GroupName: 'developers',
            Arn: `arn:aws:iam::${ACCOUNT}:group/developers`,
            Path: '/',
            GroupPolicyList: [{ PolicyName: 's3', PolicyDocument: iamEncoded({ Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } }) }],
          },
        ],
        RoleDetailList: [
          {
            RoleName: 'used',
            Arn: `arn:aws:iam::${ACCOUNT}:role/used`,
            Path: '/',
            CreateDate: new Date('2023-01-01T00:00:00Z'),
            RoleLastUsed: { LastUsedDate: new Date('2026-11-01T00:00:00Z'), Region: 'eu-central-1' },
          },
          { RoleName: 'never', Arn: `arn:aws:iam::${ACCOUNT}:role/never`, Path: '/', RoleLastUsed: {} },
          { RoleName: 'unknown', Arn: `arn:aws:iam::${ACCOUNT}:role/unknown`, Path: '/' },
        ],
      })
      .resolvesOnce({
        IsTruncated: false,
        Policies: [
          {
            PolicyName: 'AdministratorAccess',
            Arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            Path: '/',
            DefaultVersionId: 'v2',
            PolicyVersionList: [
              { VersionId: 'v1', IsDefaultVersion: false, Document: iamEncoded({ Statement: [] }) },
              { VersionId: 'v2', IsDefaultVersion: true, Document: iamEncoded(ADMIN) },
            ],
          },
        ],
      });

    const details = await iam.getAccountAuthorizationDetails();

    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input)).toEqual([{}, { Marker: 'm1' }, { Marker: 'm2' }]);
    expect(details.users).toEqual([
      {
        name: 'ci-deployer',
        arn: `arn:aws:iam::${ACCOUNT}:user/ci/ci-deployer`,
        path: '/ci/',
        createdAt: new Date('2024-01-01T00:00:00Z'),
        inlinePolicies: [{ name: 'legacy-deploy', document: ADMIN }],
        attachedPolicies: [{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
        tags: { team: 'platform' },
        groups: ['developers'],
      },
    ]);
    expect(details.groups[0]?.inlinePolicies).toEqual([{ name: 's3', document: { Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } } }]);
    expect(details.roles.map((r) => [r.name, r.lastUsed])).toEqual([
      ['used', { tracked: true, at: new Date('2026-11-01T00:00:00Z') }],
      ['never', { tracked: true, at: null }],
      ['unknown', { tracked: false }],
    ]);
    // The default version's document, decoded.
    expect(details.policies).toEqual([{ name: 'AdministratorAccess', arn: 'arn:aws:iam::aws:policy/AdministratorAccess', path: '/', document: ADMIN }]);
  });

  it('stops on a truncated page without a new Marker instead of looping', async () => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({ IsTruncated: true, Marker: 'same' });
    const e = await rejectionOf(iam.getAccountAuthorizationDetails());
    expect(e.message).toBe('IAM GetAccountAuthorizationDetails: a truncated page without a new Marker');
    expect(iamMock.commandCalls(GetAccountAuthorizationDetailsCommand)).toHaveLength(2);
  });

  it('names an unreadable document, and maps AWS errors', async () => {
    iamMock.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${ACCOUNT}:user/u`, UserPolicyList: [{ PolicyName: 'p', PolicyDocument: '%7Bnot' }] }],
    });
    expect((await rejectionOf(iam.getAccountAuthorizationDetails())).message).toBe(
      'IAM GetAccountAuthorizationDetails: the document of inline policy p of user u is unreadable (the policy document is not JSON once URL-decoded)',
    );
    iamMock.on(GetAccountAuthorizationDetailsCommand).rejects(accessDenied());
    expect((await rejectionOf(iam.getAccountAuthorizationDetails())).code).toBe('FORBIDDEN');
  });
});

describe('the baseline group and policy', () => {
  it('creates the group under /gatehouse/, or finds the existing one', async () => {
    iamMock.on(CreateGroupCommand).resolves({ Group: { GroupName: GROUP, Arn: GROUP_ARN, Path: '/gatehouse/', GroupId: 'AGPA1', CreateDate: new Date() } });
    expect(await iam.ensureGroup(GROUP, '/gatehouse/')).toBe(GROUP_ARN);
    expect(iamMock).toHaveReceivedCommandWith(CreateGroupCommand, { GroupName: GROUP, Path: '/gatehouse/' });

    iamMock.reset();
    iamMock.on(CreateGroupCommand).rejects(alreadyExists());
    iamMock
      .on(GetGroupCommand)
      .resolves({ Group: { GroupName: GROUP, Arn: GROUP_ARN, Path: '/gatehouse/', GroupId: 'AGPA1', CreateDate: new Date() }, Users: [] });
    expect(await iam.ensureGroup(GROUP, '/gatehouse/')).toBe(GROUP_ARN);
    expect(sent()).toEqual([CreateGroupCommand, GetGroupCommand]);
    expect(iamMock.commandCalls(GetGroupCommand)[0]!.args[0].input).toEqual({ GroupName: GROUP, MaxItems: 1 });
  });

  it('creates the policy with its document and attaches it to the group', async () => {
    iamMock.on(CreatePolicyCommand).resolves({ Policy: { Arn: POLICY_ARN, PolicyName: POLICY } });
    iamMock.on(AttachGroupPolicyCommand).resolves({});

    expect(await iam.ensureGroupPolicy(GROUP, POLICY, '/gatehouse/', DOC)).toBe(POLICY_ARN);

    expect(sent()).toEqual([CreatePolicyCommand, AttachGroupPolicyCommand]);
    expect(iamMock.commandCalls(CreatePolicyCommand)[0]!.args[0].input).toEqual({
      PolicyName: POLICY,
      Path: '/gatehouse/',
      PolicyDocument: JSON.stringify(DOC),
      Description: DESCRIPTION,
    });
    expect(iamMock.commandCalls(AttachGroupPolicyCommand)[0]!.args[0].input).toEqual({ GroupName: GROUP, PolicyArn: POLICY_ARN });
    expect(accountId).not.toHaveBeenCalled();
  });

  it('leaves an existing policy that carries the document alone (still attaching it)', async () => {
    iamMock.on(CreatePolicyCommand).rejects(alreadyExists());
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: POLICY_ARN, DefaultVersionId: 'v3' } });
    iamMock.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v3', IsDefaultVersion: true, Document: iamEncoded(DOC) } });
    iamMock.on(AttachGroupPolicyCommand).resolves({});

    expect(await iam.ensureGroupPolicy(GROUP, POLICY, '/gatehouse/', DOC)).toBe(POLICY_ARN);

    expect(sent()).toEqual([CreatePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, AttachGroupPolicyCommand]);
    expect(iamMock.commandCalls(GetPolicyCommand)[0]!.args[0].input).toEqual({ PolicyArn: POLICY_ARN });
    expect(iamMock.commandCalls(GetPolicyVersionCommand)[0]!.args[0].input).toEqual({ PolicyArn: POLICY_ARN, VersionId: 'v3' });
  });

  it('replaces an edited document with a new default version, making room when five versions exist', async () => {
    iamMock.on(CreatePolicyCommand).rejects(alreadyExists());
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: POLICY_ARN, DefaultVersionId: 'v5' } });
    iamMock.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v5', IsDefaultVersion: true, Document: iamEncoded(ADMIN) } });
    iamMock.on(ListPolicyVersionsCommand).resolves({
      Versions: [5, 4, 3, 2, 1].map((n) => ({ VersionId: `v${n}`, IsDefaultVersion: n === 5, CreateDate: new Date(`2026-11-0${n}T00:00:00Z`) })),
    });
    iamMock.on(DeletePolicyVersionCommand).resolves({});
    iamMock.on(CreatePolicyVersionCommand).resolves({});
    iamMock.on(AttachGroupPolicyCommand).resolves({});

    expect(await iam.ensureGroupPolicy(GROUP, POLICY, '/gatehouse/', DOC)).toBe(POLICY_ARN);

    expect(sent()).toEqual([
      CreatePolicyCommand,
      GetPolicyCommand,
      GetPolicyVersionCommand,
      ListPolicyVersionsCommand,
      DeletePolicyVersionCommand,
      CreatePolicyVersionCommand,
      AttachGroupPolicyCommand,
    ]);
    expect(iamMock.commandCalls(DeletePolicyVersionCommand)[0]!.args[0].input).toEqual({ PolicyArn: POLICY_ARN, VersionId: 'v1' });
    expect(iamMock.commandCalls(CreatePolicyVersionCommand)[0]!.args[0].input).toEqual({
      PolicyArn: POLICY_ARN,
      PolicyDocument: JSON.stringify(DOC),
      SetAsDefault: true,
    });
  });

  it('refuses a policy name taken outside /gatehouse/', async () => {
    iamMock.on(CreatePolicyCommand).rejects(alreadyExists());
    iamMock.on(GetPolicyCommand).rejects(noSuchEntity());
    const e = await rejectionOf(iam.ensureGroupPolicy(GROUP, POLICY, '/gatehouse/', DOC));
    expect(e.code).toBe('CONFLICT');
    expect(iamMock).not.toHaveReceivedCommand(AttachGroupPolicyCommand);
  });
});

describe('group members', () => {
  it('adds and removes users (a removal that finds nothing is done)', async () => {
    iamMock.on(AddUserToGroupCommand).resolves({});
    iamMock.on(RemoveUserFromGroupCommand).rejectsOnce(noSuchEntity()).resolves({});
    await iam.addUserToGroup(GROUP, 'minji.kim');
    await iam.removeUserFromGroup(GROUP, 'seoyeon.park');
    await iam.removeUserFromGroup(GROUP, 'lucas.meyer');
    expect(iamMock.commandCalls(AddUserToGroupCommand)[0]!.args[0].input).toEqual({ GroupName: GROUP, UserName: 'minji.kim' });
    expect(iamMock.commandCalls(RemoveUserFromGroupCommand).map((c) => c.args[0].input)).toEqual([
      { GroupName: GROUP, UserName: 'seoyeon.park' },
      { GroupName: GROUP, UserName: 'lucas.meyer' },
    ]);
  });

  it('other errors of a removal are not swallowed', async () => {
    iamMock.on(RemoveUserFromGroupCommand).rejects(accessDenied());
    expect((await rejectionOf(iam.removeUserFromGroup(GROUP, 'x'))).code).toBe('FORBIDDEN');
  });

  it('lists every page of members, and null for a group that does not exist', async () => {
    const group = { GroupName: GROUP, Arn: GROUP_ARN, Path: '/gatehouse/', GroupId: 'AGPA1', CreateDate: new Date() };
    const user = (name: string) => ({ UserName: name, Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, Path: '/', UserId: 'AIDA1', CreateDate: new Date() });
    iamMock
      .on(GetGroupCommand)
      .resolvesOnce({ Group: group, Users: [user('a')], IsTruncated: true, Marker: 'g1' })
      .resolvesOnce({ Group: group, Users: [user('b')], IsTruncated: false });
    expect(await iam.listGroupMembers(GROUP)).toEqual(['a', 'b']);
    expect(iamMock.commandCalls(GetGroupCommand).map((c) => c.args[0].input)).toEqual([{ GroupName: GROUP }, { GroupName: GROUP, Marker: 'g1' }]);

    iamMock.reset();
    iamMock.on(GetGroupCommand).rejects(noSuchEntity());
    expect(await iam.listGroupMembers(GROUP)).toBeNull();
  });

  it('describes the account from the region and the caller identity', async () => {
    expect(await iam.describeAccount()).toEqual({ partition: 'aws', accountId: ACCOUNT });
    const china = createAwsIamAccount(new IAMClient({ region: 'cn-north-1', credentials }), accountId);
    expect(await china.describeAccount()).toEqual({ partition: 'aws-cn', accountId: ACCOUNT });
  });
});

/**
 * aws-sdk-client-mock replaces `client.send`, so the SDK's retry middleware never runs under it.
 * Throttling is tested one level lower, as lib/server/aws/iam.test.ts does: a real client whose
 * HTTP handler answers like IAM, so the SDK's own retry, error parsing and classification run.
 */
describe('throttling', () => {
  const THROTTLED = {
    status: 400,
    body: '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-throttled</RequestId></ErrorResponse>',
  };
  const page = (users: string[], marker: string | null) => ({
    status: 200,
    body:
      '<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult>' +
      `<IsTruncated>${marker ? 'true' : 'false'}</IsTruncated>${marker ? `<Marker>${marker}</Marker>` : ''}` +
      '<UserDetailList>' +
      users
        .map(
          (u) =>
            `<member><UserName>${u}</UserName><Path>/</Path><Arn>arn:aws:iam::${ACCOUNT}:user/${u}</Arn><UserId>AIDA${u.toUpperCase()}</UserId><CreateDate>2025-01-01T00:00:00Z</CreateDate>` +
            `<UserPolicyList><member><PolicyName>all</PolicyName><PolicyDocument>${iamEncoded(ADMIN)}</PolicyDocument></member></UserPolicyList><GroupList/><AttachedManagedPolicies/></member>`,
        )
        .join('') +
      '</UserDetailList><GroupDetailList/><RoleDetailList/><Policies/></GetAccountAuthorizationDetailsResult>' +
      '<ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>',
  });

  function clientAnswering(responses: { status: number; body: string }[]) {
    const requests: string[] = [];
    const requestHandler = {
      async handle(request: { body?: unknown }) {
        requests.push(String(request.body));
        const next = responses[requests.length - 1];
        if (!next) throw new Error('no more responses');
        return { response: { statusCode: next.status, headers: { 'content-type': 'text/xml' }, body: Buffer.from(next.body) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    };
    // Zero-delay standard retry stands in for the portal's adaptive retry (its back-off would make
    // this slow); classifying IAM's "Throttling" as retryable is shared by both.
    const throttled = new IAMClient({ region: 'eu-central-1', credentials, maxAttempts: 3, retryStrategy: new ConfiguredRetryStrategy(3, 0), requestHandler });
    return { client: throttled, requests };
  }

  const FIRST = 'Action=GetAccountAuthorizationDetails&Version=2010-05-08';
  const SECOND = 'Action=GetAccountAuthorizationDetails&Version=2010-05-08&Marker=m1';

  it('retries a throttled page on its own, then carries on with the next Marker', async () => {
    const fake = clientAnswering([THROTTLED, page(['alice'], 'm1'), THROTTLED, THROTTLED, page(['bob'], null)]);

    const details = await createAwsIamAccount(fake.client, accountId).getAccountAuthorizationDetails();

    expect(fake.requests).toEqual([FIRST, FIRST, SECOND, SECOND, SECOND]);
    expect(details.users.map((u) => [u.name, u.inlinePolicies[0]?.document])).toEqual([
      ['alice', ADMIN],
      ['bob', ADMIN],
    ]);
  });

  it('is RATE_LIMITED once a page has used up its attempts', async () => {
    const fake = clientAnswering([page(['alice'], 'm1'), THROTTLED, THROTTLED, THROTTLED]);

    const e = await rejectionOf(createAwsIamAccount(fake.client, accountId).getAccountAuthorizationDetails());

    expect(e.code).toBe('RATE_LIMITED');
    expect(e.message).toBe('IAM GetAccountAuthorizationDetails was throttled by AWS; it will be retried');
    expect(fake.requests).toEqual([FIRST, SECOND, SECOND, SECOND]);
  });
});
