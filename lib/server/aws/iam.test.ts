import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteConflictException,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  EntityAlreadyExistsException,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers (toHaveReceivedCommandWith, …) and their types.
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { generateGrantPolicy, revokeSessionsPolicy, teamRoleSpec, type PolicyDocument } from '@/lib/grants/policy';
import type { Principal } from '@/lib/grants/principals';
import { createAwsIam } from '@/lib/server/aws/iam';

const ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
const client = new IAMClient({ region: 'eu-central-1', credentials });
const iamMock = mockClient(client);
const accountId = vi.fn(async () => ACCOUNT);
const iam = createAwsIam(client, accountId);

const NAME = 'gatehouse-grant-g1';
const ARN = `arn:aws:iam::${ACCOUNT}:policy/gatehouse/${NAME}`;
const SECRET = `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:prod/payments/db-AbCdEf`;
const DOC = generateGrantPolicy({ type: 'SECRET_READ', secretArn: SECRET }, new Date('2026-12-01T10:00:00.000Z'));
const OTHER_DOC = generateGrantPolicy({ type: 'SECRET_READ', secretArn: SECRET }, new Date('2026-12-02T10:00:00.000Z'));
const DESCRIPTION = 'Managed by Gatehouse for one access grant: edits are overwritten and the policy is deleted when the grant ends';
const alice: Principal = { kind: 'IAM_USER', name: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice` };
const deployer: Principal = { kind: 'IAM_ROLE', name: 'deployer', arn: `arn:aws:iam::${ACCOUNT}:role/deployer` };

const meta = { $metadata: { requestId: 'req-1', httpStatusCode: 400 } };
const noSuchEntity = () => new NoSuchEntityException({ message: `Policy ${ARN} was not found.`, ...meta });
const alreadyExists = () => new EntityAlreadyExistsException({ message: `A policy called ${NAME} already exists. Duplicate names are not allowed.`, ...meta });
const deleteConflict = () => new DeleteConflictException({ message: 'Cannot delete a policy attached to entities.', ...meta });

/** How IAM returns a policy document: RFC 3986 URL-encoding of the JSON as it was stored. */
function iamEncoded(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The same document with its keys in another order and pretty-printed: equal for IAM's purposes. */
function reordered(doc: PolicyDocument): string {
  const statements = doc.Statement.map(({ Sid, Effect, Action, Resource, Condition }) => ({ Condition, Resource, Action, Effect, Sid }));
  return JSON.stringify({ Statement: statements, Version: doc.Version }, null, 4);
}

/** The command classes sent, in order. */
function sent(): unknown[] {
  return iamMock.calls().map((c) => c.args[0].constructor);
}

/** A fake answer that records a copy of each input as it was sent. */
function recording<I extends object, O>(answer: (input: I) => O) {
  const inputs: I[] = [];
  const fake = (input: I): O => {
    inputs.push({ ...input });
    return answer(input);
  };
  return { inputs, fake };
}

/** The error a promise rejects with (it must be an AppError). */
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

describe('ensurePolicy', () => {
  it('creates the policy under /gatehouse/ with its document, description and tags', async () => {
    iamMock.on(CreatePolicyCommand).resolves({ Policy: { Arn: ARN, PolicyName: NAME, DefaultVersionId: 'v1' } });

    const arn = await iam.ensurePolicy(NAME, DOC, { 'gatehouse:grant': 'g1', 'gatehouse:team': 'payments' });

    expect(arn).toBe(ARN);
    expect(sent()).toEqual([CreatePolicyCommand]);
    expect(iamMock.commandCalls(CreatePolicyCommand)[0]!.args[0].input).toEqual({
      PolicyName: NAME,
      Path: '/gatehouse/',
      PolicyDocument: JSON.stringify(DOC),
      Description: DESCRIPTION,
      Tags: [
        { Key: 'gatehouse:grant', Value: 'g1' },
        { Key: 'gatehouse:team', Value: 'payments' },
      ],
    });
    // The account id is only needed to find a policy that already exists.
    expect(accountId).not.toHaveBeenCalled();
  });

  it('leaves an existing policy alone when it already carries the document', async () => {
    iamMock.on(CreatePolicyCommand).rejects(alreadyExists());
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: ARN, PolicyName: NAME, DefaultVersionId: 'v2' } });
    iamMock.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: iamEncoded(reordered(DOC)), VersionId: 'v2', IsDefaultVersion: true } });

    expect(await iam.ensurePolicy(NAME, DOC, {})).toBe(ARN);

    expect(sent()).toEqual([CreatePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand]);
    expect(iamMock.commandCalls(CreatePolicyCommand)[0]!.args[0].input).toEqual({
      PolicyName: NAME,
      Path: '/gatehouse/',
      PolicyDocument: JSON.stringify(DOC),
      Description: DESCRIPTION,
    });
    expect(iamMock.commandCalls(GetPolicyCommand)[0]!.args[0].input).toEqual({ PolicyArn: ARN });
    expect(iamMock.commandCalls(GetPolicyVersionCommand)[0]!.args[0].input).toEqual({ PolicyArn: ARN, VersionId: 'v2' });
  });

  it('makes a changed document the new default version', async () => {
    iamMock.on(CreatePolicyCommand).rejects(alreadyExists());
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: ARN, DefaultVersionId: 'v2' } });
    iamMock
      .on(GetPolicyVersionCommand)
      .resolves({ PolicyVersion: { Document: iamEncoded(JSON.stringify(OTHER_DOC)), VersionId: 'v2', IsDefaultVersion: true } });
    iamMock.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        { VersionId: 'v2', IsDefaultVersion: true, CreateDate: new Date('2026-11-02') },
        { VersionId: 'v1', IsDefaultVersion: false, CreateDate: new Date('2026-11-01') },
      ],
    });
    iamMock.on(CreatePolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v3', IsDefaultVersion: true } });

    expect(await iam.ensurePolicy(NAME, DOC, {})).toBe(ARN);

    expect(sent()).toEqual([CreatePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, ListPolicyVersionsCommand, CreatePolicyVersionCommand]);
    expect(iamMock.commandCalls(ListPolicyVersionsCommand)[0]!.args[0].input).toEqual({ PolicyArn: ARN });
    expect(iamMock.commandCalls(CreatePolicyVersionCommand)[0]!.args[0].input).toEqual({
      PolicyArn: ARN,
      PolicyDocument: JSON.stringify(DOC),
      SetAsDefault: true,
    });
  });

  it('deletes the oldest non-default version first when five exist', async () => {
    iamMock.on(CreatePolicyCommand).rejects(alreadyExists());
    iamMock.on(GetPolicyCommand).resolves({ Policy: { Arn: ARN, DefaultVersionId: 'v4' } });
    iamMock
      .on(GetPolicyVersionCommand)
      .resolves({ PolicyVersion: { Document: iamEncoded(JSON.stringify(OTHER_DOC)), VersionId: 'v4', IsDefaultVersion: true } });
    // Listed out of order; the default (v4) is the oldest, so v5 is the one to go.
    iamMock.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        { VersionId: 'v7', IsDefaultVersion: false, CreateDate: new Date('2026-11-07') },
        { VersionId: 'v4', IsDefaultVersion: true, CreateDate: new Date('2026-11-04') },
        { VersionId: 'v8', IsDefaultVersion: false, CreateDate: new Date('2026-11-08') },
        { VersionId: 'v5', IsDefaultVersion: false, CreateDate: new Date('2026-11-05') },
        { VersionId: 'v6', IsDefaultVersion: false, CreateDate: new Date('2026-11-06') },
      ],
    });
    iamMock.on(DeletePolicyVersionCommand).resolves({});
    iamMock.on(CreatePolicyVersionCommand).resolves({ PolicyVersion: { VersionId: 'v9', IsDefaultVersion: true } });

    expect(await iam.ensurePolicy(NAME, DOC, {})).toBe(ARN);

    expect(sent()).toEqual([
      CreatePolicyCommand,
      GetPolicyCommand,
      GetPolicyVersionCommand,
      ListPolicyVersionsCommand,
      DeletePolicyVersionCommand,
      CreatePolicyVersionCommand,
    ]);
    expect(iamMock.commandCalls(DeletePolicyVersionCommand)).toHaveLength(1);
    expect(iamMock.commandCalls(DeletePolicyVersionCommand)[0]!.args[0].input).toEqual({ PolicyArn: ARN, VersionId: 'v5' });
    expect(iamMock.commandCalls(CreatePolicyVersionCommand)[0]!.args[0].input).toEqual({
      PolicyArn: ARN,
      PolicyDocument: JSON.stringify(DOC),
      SetAsDefault: true,
    });
  });

  it('builds the ARN of an existing policy in the partition of the client region', async () => {
    const cn = new IAMClient({ region: 'cn-north-1', credentials });
    const cnMock = mockClient(cn);
    cnMock.on(CreatePolicyCommand).rejects(alreadyExists());
    cnMock.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: 'v1' } });
    cnMock.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: iamEncoded(JSON.stringify(DOC)) } });

    const cnArn = `arn:aws-cn:iam::${ACCOUNT}:policy/gatehouse/${NAME}`;
    expect(await createAwsIam(cn, accountId).ensurePolicy(NAME, DOC, {})).toBe(cnArn);
    expect(cnMock.commandCalls(GetPolicyCommand)[0]!.args[0].input).toEqual({ PolicyArn: cnArn });
    cnMock.restore();
  });

  it('is a CONFLICT when the name is taken by a policy outside /gatehouse/', async () => {
    iamMock.on(CreatePolicyCommand).rejects(alreadyExists());
    iamMock.on(GetPolicyCommand).rejects(noSuchEntity());

    const e = await rejectionOf(iam.ensurePolicy(NAME, DOC, {}));

    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe(`IAM CreatePolicy: a policy named ${NAME} already exists outside /gatehouse/`);
    expect(sent()).toEqual([CreatePolicyCommand, GetPolicyCommand]);
  });
});

describe('attachPolicy and detachPolicy', () => {
  it('attaches to a user with AttachUserPolicy', async () => {
    iamMock.on(AttachUserPolicyCommand).resolves({});
    await iam.attachPolicy(alice, ARN);
    expect(sent()).toEqual([AttachUserPolicyCommand]);
    expect(iamMock.commandCalls(AttachUserPolicyCommand)[0]!.args[0].input).toEqual({ UserName: 'alice', PolicyArn: ARN });
  });

  it('attaches to a role with AttachRolePolicy', async () => {
    iamMock.on(AttachRolePolicyCommand).resolves({});
    await iam.attachPolicy(deployer, ARN);
    expect(sent()).toEqual([AttachRolePolicyCommand]);
    expect(iamMock.commandCalls(AttachRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'deployer', PolicyArn: ARN });
  });

  it('detaches from a user with DetachUserPolicy', async () => {
    iamMock.on(DetachUserPolicyCommand).resolves({});
    await iam.detachPolicy(alice, ARN);
    expect(sent()).toEqual([DetachUserPolicyCommand]);
    expect(iamMock.commandCalls(DetachUserPolicyCommand)[0]!.args[0].input).toEqual({ UserName: 'alice', PolicyArn: ARN });
  });

  it('detaches from a role with DetachRolePolicy', async () => {
    iamMock.on(DetachRolePolicyCommand).resolves({});
    await iam.detachPolicy(deployer, ARN);
    expect(sent()).toEqual([DetachRolePolicyCommand]);
    expect(iamMock.commandCalls(DetachRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'deployer', PolicyArn: ARN });
  });

  it('detaches from a group with DetachGroupPolicy (a portal policy attached to a group outside the portal)', async () => {
    iamMock.on(DetachGroupPolicyCommand).resolves({});
    await iam.detachPolicy({ kind: 'IAM_GROUP', name: 'engineers' }, ARN);
    expect(sent()).toEqual([DetachGroupPolicyCommand]);
    expect(iamMock.commandCalls(DetachGroupPolicyCommand)[0]!.args[0].input).toStrictEqual({ GroupName: 'engineers', PolicyArn: ARN });
  });

  it('detaches a user with a path by its name alone', async () => {
    iamMock.on(DetachUserPolicyCommand).resolves({});
    await iam.detachPolicy({ kind: 'IAM_USER', name: 'daniel.path', arn: `arn:aws:iam::${ACCOUNT}:user/engineers/daniel.path` } as Principal, ARN);
    expect(iamMock.commandCalls(DetachUserPolicyCommand)[0]!.args[0].input).toStrictEqual({ UserName: 'daniel.path', PolicyArn: ARN });
  });

  it.each([alice, deployer, { kind: 'IAM_GROUP' as const, name: 'engineers' }])(
    'treats NoSuchEntity on detach ($kind) as already detached',
    async (principal) => {
      iamMock.on(DetachUserPolicyCommand).rejects(noSuchEntity());
      iamMock.on(DetachRolePolicyCommand).rejects(noSuchEntity());
      iamMock.on(DetachGroupPolicyCommand).rejects(noSuchEntity());
      await expect(iam.detachPolicy(principal, ARN)).resolves.toBeUndefined();
      expect(iamMock.calls()).toHaveLength(1);
    },
  );

  it('maps AccessDenied to FORBIDDEN naming the operation', async () => {
    iamMock.on(AttachUserPolicyCommand).rejects(
      Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/portal/x is not authorized to perform: iam:AttachUserPolicy'), {
        name: 'AccessDenied',
        $metadata: { requestId: 'req-denied', httpStatusCode: 403 },
      }),
    );

    const e = await rejectionOf(iam.attachPolicy(alice, ARN));

    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toBe("IAM AttachUserPolicy was denied by AWS: the portal's AWS identity lacks a permission");
    expect(e.details).toEqual({ awsError: 'AccessDenied', requestId: 'req-denied', operation: 'IAM AttachUserPolicy' });
  });

  it('does not swallow a NoSuchEntity on attach (the user or policy is missing)', async () => {
    iamMock.on(AttachUserPolicyCommand).rejects(noSuchEntity());
    const e = await rejectionOf(iam.attachPolicy(alice, ARN));
    expect(e.details).toMatchObject({ awsError: 'NoSuchEntityException', operation: 'IAM AttachUserPolicy' });
  });
});

describe('principalExists', () => {
  it('asks IAM for a user, role or group by name: true when found, false on NoSuchEntity', async () => {
    iamMock.on(GetUserCommand).resolves({});
    iamMock.on(GetRoleCommand).rejects(noSuchEntity());
    iamMock.on(GetGroupCommand).resolves({});
    expect(await iam.principalExists({ kind: 'IAM_USER', name: 'daniel.path' })).toBe(true);
    expect(await iam.principalExists({ kind: 'IAM_ROLE', name: 'deployer' })).toBe(false);
    expect(await iam.principalExists({ kind: 'IAM_GROUP', name: 'engineers' })).toBe(true);
    expect(iamMock.calls().map((c) => [c.args[0].constructor, c.args[0].input])).toStrictEqual([
      [GetUserCommand, { UserName: 'daniel.path' }],
      [GetRoleCommand, { RoleName: 'deployer' }],
      [GetGroupCommand, { GroupName: 'engineers', MaxItems: 1 }],
    ]);
  });

  it('does not take an error for absence', async () => {
    iamMock
      .on(GetUserCommand)
      .rejects(Object.assign(new Error('not authorized to perform: iam:GetUser'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    expect((await rejectionOf(iam.principalExists(alice))).code).toBe('FORBIDDEN');
  });
});

describe('deletePolicy', () => {
  it('deletes the non-default versions, then the policy', async () => {
    iamMock.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        { VersionId: 'v3', IsDefaultVersion: true },
        { VersionId: 'v2', IsDefaultVersion: false },
        { VersionId: 'v1', IsDefaultVersion: false },
      ],
    });
    iamMock.on(DeletePolicyVersionCommand).resolves({});
    iamMock.on(DeletePolicyCommand).resolves({});

    await iam.deletePolicy(ARN);

    expect(sent()).toEqual([ListPolicyVersionsCommand, DeletePolicyVersionCommand, DeletePolicyVersionCommand, DeletePolicyCommand]);
    expect(iamMock.commandCalls(ListPolicyVersionsCommand)[0]!.args[0].input).toEqual({ PolicyArn: ARN });
    expect(iamMock.commandCalls(DeletePolicyVersionCommand).map((c) => c.args[0].input)).toEqual([
      { PolicyArn: ARN, VersionId: 'v2' },
      { PolicyArn: ARN, VersionId: 'v1' },
    ]);
    expect(iamMock.commandCalls(DeletePolicyCommand)[0]!.args[0].input).toEqual({ PolicyArn: ARN });
  });

  it('succeeds when the policy does not exist', async () => {
    iamMock.on(ListPolicyVersionsCommand).rejects(noSuchEntity());
    await expect(iam.deletePolicy(ARN)).resolves.toBeUndefined();
    expect(sent()).toEqual([ListPolicyVersionsCommand]);
  });

  it('succeeds when the policy disappears between listing its versions and deleting it', async () => {
    iamMock.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        { VersionId: 'v2', IsDefaultVersion: false },
        { VersionId: 'v3', IsDefaultVersion: true },
      ],
    });
    iamMock.on(DeletePolicyVersionCommand).rejects(noSuchEntity());
    iamMock.on(DeletePolicyCommand).rejects(noSuchEntity());
    await expect(iam.deletePolicy(ARN)).resolves.toBeUndefined();
    expect(sent()).toEqual([ListPolicyVersionsCommand, DeletePolicyVersionCommand, DeletePolicyCommand]);
  });

  it('detaches the policy everywhere on DeleteConflict and deletes it once more', async () => {
    iamMock.on(ListPolicyVersionsCommand).resolves({ Versions: [{ VersionId: 'v1', IsDefaultVersion: true }] });
    iamMock.on(DeletePolicyCommand).rejectsOnce(deleteConflict()).resolves({});
    const entities = recording((input: { Marker?: string }) =>
      input.Marker === 'page-2'
        ? {
            PolicyUsers: [],
            PolicyRoles: [{ RoleName: 'deployer', RoleId: 'AROA1' }],
            PolicyGroups: [{ GroupName: 'admins', GroupId: 'AGPA1' }],
            IsTruncated: false,
          }
        : { PolicyUsers: [{ UserName: 'alice', UserId: 'AIDA1' }], PolicyRoles: [], PolicyGroups: [], IsTruncated: true, Marker: 'page-2' },
    );
    iamMock.on(ListEntitiesForPolicyCommand).callsFake(entities.fake);
    iamMock.on(DetachUserPolicyCommand).resolves({});
    // Detached concurrently by someone else: still fine.
    iamMock.on(DetachRolePolicyCommand).rejects(noSuchEntity());
    iamMock.on(DetachGroupPolicyCommand).resolves({});

    await iam.deletePolicy(ARN);

    expect(sent()).toEqual([
      ListPolicyVersionsCommand,
      DeletePolicyCommand,
      ListEntitiesForPolicyCommand,
      ListEntitiesForPolicyCommand,
      DetachGroupPolicyCommand,
      DetachRolePolicyCommand,
      DetachUserPolicyCommand,
      ListPolicyVersionsCommand,
      DeletePolicyCommand,
    ]);
    expect(entities.inputs).toStrictEqual([{ PolicyArn: ARN }, { PolicyArn: ARN, Marker: 'page-2' }]);
    expect(iamMock.commandCalls(DetachUserPolicyCommand)[0]!.args[0].input).toEqual({ UserName: 'alice', PolicyArn: ARN });
    expect(iamMock.commandCalls(DetachRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'deployer', PolicyArn: ARN });
    expect(iamMock.commandCalls(DetachGroupPolicyCommand)[0]!.args[0].input).toEqual({ GroupName: 'admins', PolicyArn: ARN });
    expect(iamMock.commandCalls(DeletePolicyCommand).map((c) => c.args[0].input)).toEqual([{ PolicyArn: ARN }, { PolicyArn: ARN }]);
  });

  it('gives up after one retry when the policy is still attached', async () => {
    iamMock.on(ListPolicyVersionsCommand).resolves({ Versions: [{ VersionId: 'v1', IsDefaultVersion: true }] });
    iamMock.on(DeletePolicyCommand).rejects(deleteConflict());
    iamMock.on(ListEntitiesForPolicyCommand).resolves({ PolicyUsers: [], PolicyRoles: [], PolicyGroups: [] });

    const e = await rejectionOf(iam.deletePolicy(ARN));

    expect(e.details).toMatchObject({ awsError: 'DeleteConflictException', operation: 'IAM DeletePolicy' });
    expect(iamMock.commandCalls(DeletePolicyCommand)).toHaveLength(2);
  });
});

describe('ensureRole', () => {
  const role = teamRoleSpec({
    partition: 'aws',
    accountId: ACCOUNT,
    team: 'payments',
    environment: 'PROD',
    function: 'on-call',
    description: 'Redrive the DLQ',
    permissions: [{ actions: ['sqs:StartMessageMoveTask'], resources: [`arn:aws:sqs:eu-central-1:${ACCOUNT}:prod-payments-dlq`] }],
  });
  const tags = [
    { Key: 'gatehouse:managed', Value: 'true' },
    { Key: 'team', Value: 'payments' },
    { Key: 'env', Value: 'prod' },
    { Key: 'function', Value: 'on-call' },
  ];

  it('creates the role under /gatehouse/roles/ with its trust policy, one-hour sessions and tags, then puts its permissions inline', async () => {
    iamMock.on(CreateRoleCommand).resolves({ Role: { Arn: role.arn, RoleName: role.name, Path: role.path, RoleId: 'AROAEXAMPLE', CreateDate: new Date() } });
    iamMock.on(PutRolePolicyCommand).resolves({});

    expect(await iam.ensureRole(role)).toBe(role.arn);

    expect(iamMock).toHaveReceivedCommandWith(CreateRoleCommand, {
      RoleName: 'gatehouse-payments-prod-on-call',
      Path: '/gatehouse/roles/',
      AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy),
      Description: role.description,
      MaxSessionDuration: 3600,
      Tags: tags,
    });
    expect(iamMock).toHaveReceivedCommandWith(PutRolePolicyCommand, {
      RoleName: role.name,
      PolicyName: 'gatehouse-permissions',
      PolicyDocument: JSON.stringify(role.permissions),
    });
    expect(iamMock.calls()).toHaveLength(2);
  });

  it('brings an existing role of ours up to the spec (EntityAlreadyExists)', async () => {
    iamMock.on(CreateRoleCommand).rejects(alreadyExists());
    iamMock
      .on(GetRoleCommand)
      .resolves({ Role: { Arn: role.arn, RoleName: role.name, Path: '/gatehouse/roles/', RoleId: 'AROAEXAMPLE', CreateDate: new Date() } });

    expect(await iam.ensureRole(role)).toBe(role.arn);

    expect(iamMock).toHaveReceivedCommandWith(UpdateAssumeRolePolicyCommand, { RoleName: role.name, PolicyDocument: JSON.stringify(role.trustPolicy) });
    expect(iamMock).toHaveReceivedCommandWith(UpdateRoleCommand, { RoleName: role.name, Description: role.description, MaxSessionDuration: 3600 });
    expect(iamMock).toHaveReceivedCommandWith(TagRoleCommand, { RoleName: role.name, Tags: tags });
    expect(iamMock).toHaveReceivedCommandTimes(PutRolePolicyCommand, 1);
  });

  it('is a CONFLICT when the name is taken by a role outside /gatehouse/roles/', async () => {
    iamMock.on(CreateRoleCommand).rejects(alreadyExists());
    iamMock
      .on(GetRoleCommand)
      .resolves({ Role: { Arn: `arn:aws:iam::${ACCOUNT}:role/${role.name}`, RoleName: role.name, Path: '/', RoleId: 'AROAOTHER', CreateDate: new Date() } });

    await expect(iam.ensureRole(role)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(iamMock).toHaveReceivedCommandTimes(UpdateAssumeRolePolicyCommand, 0);
    expect(iamMock).toHaveReceivedCommandTimes(PutRolePolicyCommand, 0);
  });
});

describe("updateRoleInlinePolicy (cutting a grant's role sessions)", () => {
  const ROLE_NAME = 'gatehouse-payments-prod-on-call';
  const CUT = new Date('2026-11-29T12:00:00Z');
  const change = (grantId: string) => (current: PolicyDocument | null) => revokeSessionsPolicy(current, grantId, CUT, CUT);
  const noSuchRolePolicy = () => new NoSuchEntityException({ message: `The role policy with name gatehouse-revoked-sessions cannot be found.`, ...meta });

  it('creates the deny when the role has none yet, and reads it back', async () => {
    const written = revokeSessionsPolicy(null, 'g1', CUT, CUT)!;
    iamMock
      .on(GetRolePolicyCommand)
      .rejectsOnce(noSuchRolePolicy())
      .resolves({ RoleName: ROLE_NAME, PolicyName: 'gatehouse-revoked-sessions', PolicyDocument: encodeURIComponent(JSON.stringify(written)) });
    iamMock.on(PutRolePolicyCommand).resolves({});

    await iam.updateRoleInlinePolicy(ROLE_NAME, 'gatehouse-revoked-sessions', change('g1'));

    expect(iamMock).toHaveReceivedCommandWith(PutRolePolicyCommand, {
      RoleName: ROLE_NAME,
      PolicyName: 'gatehouse-revoked-sessions',
      PolicyDocument: JSON.stringify(written),
    });
    expect(iamMock).toHaveReceivedCommandTimes(PutRolePolicyCommand, 1);
    expect(iamMock).toHaveReceivedCommandTimes(GetRolePolicyCommand, 2);
  });

  it('writes again when a concurrent writer replaced the document in between', async () => {
    const theirs = revokeSessionsPolicy(null, 'g2', CUT, CUT)!;
    const both = revokeSessionsPolicy(theirs, 'g1', CUT, CUT)!;
    const encoded = (d: PolicyDocument) => ({ PolicyDocument: encodeURIComponent(JSON.stringify(d)) });
    iamMock
      .on(GetRolePolicyCommand)
      .resolvesOnce({ ...encoded(theirs) }) // what we start from
      .resolvesOnce({ ...encoded(theirs) }) // the other writer's older copy won the race
      .resolves({ ...encoded(both) });
    iamMock.on(PutRolePolicyCommand).resolves({});

    await iam.updateRoleInlinePolicy(ROLE_NAME, 'gatehouse-revoked-sessions', change('g1'));

    const puts = iamMock.commandCalls(PutRolePolicyCommand).map((c) => JSON.parse(c.args[0].input.PolicyDocument!) as PolicyDocument);
    expect(puts).toEqual([both, both]);
  });

  it('deletes the policy when nothing is left to deny, and leaves a missing role alone', async () => {
    const old = revokeSessionsPolicy(null, 'g9', new Date(CUT.getTime() - 13 * 3_600_000), new Date(CUT.getTime() - 13 * 3_600_000))!;
    iamMock
      .on(GetRolePolicyCommand)
      .resolvesOnce({ PolicyDocument: encodeURIComponent(JSON.stringify(old)) })
      .rejects(noSuchRolePolicy());
    iamMock.on(DeleteRolePolicyCommand).resolves({});
    await iam.updateRoleInlinePolicy(ROLE_NAME, 'gatehouse-revoked-sessions', () => null);
    expect(iamMock).toHaveReceivedCommandWith(DeleteRolePolicyCommand, { RoleName: ROLE_NAME, PolicyName: 'gatehouse-revoked-sessions' });

    iamMock.reset();
    iamMock.on(GetRolePolicyCommand).rejects(noSuchRolePolicy());
    iamMock.on(PutRolePolicyCommand).rejects(new NoSuchEntityException({ message: `The role with name ${ROLE_NAME} cannot be found.`, ...meta }));
    await expect(iam.updateRoleInlinePolicy(ROLE_NAME, 'gatehouse-revoked-sessions', change('g1'))).resolves.toBeUndefined();
  });
});

describe('listPolicies', () => {
  const ARN_2 = `arn:aws:iam::${ACCOUNT}:policy/gatehouse/gatehouse-grant-g2`;
  const DOC_2: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AssumeOneTeamRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [`arn:aws:iam::${ACCOUNT}:role/payments-ops`] }],
  };
  // Exactly as IAM returns a stored document: URL-encoded, whitespace and all.
  const DOC_2_FROM_IAM =
    '%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%7B%22Sid%22%3A%20%22AssumeOneTeamRole%22%2C' +
    '%20%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%5B%22sts%3AAssumeRole%22%5D%2C%20%22Resource%22%3A%20%5B%22arn%3Aaws%3Aiam%3A%3A' +
    `${ACCOUNT}%3Arole%2Fpayments-ops%22%5D%7D%5D%0A%7D`;

  it('pages through the local policies under the path, with the default version and every user, group and role it is attached to', async () => {
    const listed = recording((input: { Marker?: string }) =>
      input.Marker === 'm-1'
        ? { Policies: [{ PolicyName: 'gatehouse-grant-g2', Arn: ARN_2, DefaultVersionId: 'v1', Path: '/gatehouse/' }], IsTruncated: false }
        : { Policies: [{ PolicyName: NAME, Arn: ARN, DefaultVersionId: 'v3', Path: '/gatehouse/' }], IsTruncated: true, Marker: 'm-1' },
    );
    iamMock.on(ListPoliciesCommand).callsFake(listed.fake);
    // Several versions: only the default one (v3 here, not the first or the latest) is read.
    iamMock
      .on(GetPolicyVersionCommand, { PolicyArn: ARN })
      .resolves({ PolicyVersion: { Document: iamEncoded(reordered(DOC)), VersionId: 'v3', IsDefaultVersion: true } });
    iamMock
      .on(GetPolicyVersionCommand, { PolicyArn: ARN_2 })
      .resolves({ PolicyVersion: { Document: DOC_2_FROM_IAM, VersionId: 'v1', IsDefaultVersion: true } });
    // IAM lists attachments by name: daniel.path's path (/engineers/) is not in the answer.
    const entities = recording((input: { PolicyArn?: string; Marker?: string }) => {
      if (input.PolicyArn === ARN_2) return { PolicyUsers: [], PolicyRoles: [], PolicyGroups: [], IsTruncated: false };
      return input.Marker === 'e-1'
        ? {
            PolicyUsers: [],
            PolicyRoles: [{ RoleName: 'deployer', RoleId: 'AROA1' }],
            PolicyGroups: [{ GroupName: 'engineers', GroupId: 'AGPA1' }],
            IsTruncated: false,
          }
        : {
            PolicyUsers: [
              { UserName: 'daniel.path', UserId: 'AIDA1' },
              { UserName: 'alice', UserId: 'AIDA2' },
            ],
            PolicyRoles: [],
            PolicyGroups: [],
            IsTruncated: true,
            Marker: 'e-1',
          };
    });
    iamMock.on(ListEntitiesForPolicyCommand).callsFake(entities.fake);

    const policies = await iam.listPolicies('/gatehouse/');

    expect(policies).toStrictEqual([
      {
        name: NAME,
        path: '/gatehouse/',
        arn: ARN,
        document: DOC,
        attachedTo: [
          { kind: 'IAM_GROUP', name: 'engineers' },
          { kind: 'IAM_ROLE', name: 'deployer' },
          { kind: 'IAM_USER', name: 'alice' },
          { kind: 'IAM_USER', name: 'daniel.path' },
        ],
      },
      { name: 'gatehouse-grant-g2', path: '/gatehouse/', arn: ARN_2, document: DOC_2, attachedTo: [] },
    ]);
    expect(listed.inputs).toStrictEqual([
      { Scope: 'Local', PathPrefix: '/gatehouse/' },
      { Scope: 'Local', PathPrefix: '/gatehouse/', Marker: 'm-1' },
    ]);
    expect(iamMock.commandCalls(GetPolicyVersionCommand).map((c) => c.args[0].input)).toStrictEqual([
      { PolicyArn: ARN, VersionId: 'v3' },
      { PolicyArn: ARN_2, VersionId: 'v1' },
    ]);
    expect(entities.inputs).toStrictEqual([{ PolicyArn: ARN }, { PolicyArn: ARN, Marker: 'e-1' }, { PolicyArn: ARN_2 }]);
    // No ARN is built for an attachment (it would lose the principal's path).
    expect(accountId).not.toHaveBeenCalled();
  });

  it('is UNAVAILABLE when a truncated page carries no new Marker (instead of looping)', async () => {
    iamMock.on(ListPoliciesCommand).resolves({ Policies: [], IsTruncated: true, Marker: 'same' });
    const e = await rejectionOf(iam.listPolicies('/gatehouse/'));
    expect(e).toMatchObject({ code: 'UNAVAILABLE', message: 'IAM ListPolicies: a truncated page without a new Marker' });
    expect(iamMock.commandCalls(ListPoliciesCommand)).toHaveLength(2);
  });

  it('skips a policy deleted between the listing and reading it', async () => {
    iamMock.on(ListPoliciesCommand).resolves({ Policies: [{ PolicyName: NAME, Arn: ARN, DefaultVersionId: 'v1' }], IsTruncated: false });
    iamMock.on(GetPolicyVersionCommand).rejects(noSuchEntity());
    expect(await iam.listPolicies('/gatehouse/')).toEqual([]);
    expect(sent()).toEqual([ListPoliciesCommand, GetPolicyVersionCommand]);
  });
});

/**
 * aws-sdk-client-mock replaces `client.send`, so the SDK's middleware (retry included) never runs
 * under it. Throttling is therefore tested one level lower: a real client whose HTTP handler
 * answers like IAM does, so the SDK's own retry middleware, error parsing and classification run.
 */
describe('throttling', () => {
  const THROTTLED = {
    status: 400,
    body: '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-throttled</RequestId></ErrorResponse>',
  };
  const ATTACHED = {
    status: 200,
    body: '<AttachUserPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></AttachUserPolicyResponse>',
  };

  /** An IAM client over a fake HTTP handler that answers with `responses` in turn. */
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
    // The portal's clients use adaptive retry; its back-off (0.5 s+ on throttling, plus the rate
    // limiter) would make this test slow, so a zero-delay standard strategy stands in. Classifying
    // IAM's "Throttling" as retryable is shared by both.
    const throttled = new IAMClient({ region: 'eu-central-1', credentials, maxAttempts: 3, retryStrategy: new ConfiguredRetryStrategy(3, 0), requestHandler });
    return { client: throttled, requests };
  }

  it('is retried by the SDK: two throttled answers, then success, in three requests', async () => {
    const fake = clientAnswering([THROTTLED, THROTTLED, ATTACHED]);

    await expect(createAwsIam(fake.client, accountId).attachPolicy(alice, ARN)).resolves.toBeUndefined();

    const body = `Action=AttachUserPolicy&Version=2010-05-08&UserName=alice&PolicyArn=${encodeURIComponent(ARN)}`;
    expect(fake.requests).toEqual([body, body, body]);
  });

  it('is RATE_LIMITED once the attempts are used up', async () => {
    const fake = clientAnswering([THROTTLED, THROTTLED, THROTTLED, ATTACHED]);

    const e = await rejectionOf(createAwsIam(fake.client, accountId).attachPolicy(alice, ARN));

    expect(e.code).toBe('RATE_LIMITED');
    expect(e.message).toBe('IAM AttachUserPolicy was throttled by AWS; it will be retried');
    expect(fake.requests).toHaveLength(3);
  });
});
