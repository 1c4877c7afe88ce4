import 'server-only';
import { createHash } from 'node:crypto';
import { AppError } from '@/lib/errors';
import type { PolicyDocument } from '@/lib/grants/policy';
import { parseArn, type AccountAuthorizationDetails, type AttachedPolicyRef, type InlinePolicy, type RawPolicyDocument } from '@/lib/iam-audit/model';
import type { IamAccountPort } from '@/lib/iam-audit/ports';
import type { JsonValue, SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

/*
 * The account-wide view of the local sandbox's IAM (the audit and the baseline), over the SAME
 * documents as lib/server/sandbox/iam.ts (service 'iam'):
 *   user          key = user name          { arn, createdAt, path?, inlinePolicies?, tags? }
 *   role          key = role name          { arn, path, roleId, trustPolicy, maxSessionDuration, inlinePolicies, tags, createdAt, lastUsedAt }
 *   group         key = group name         { arn, path, inlinePolicies, createdAt }
 *   group-member  key = `${group} ${user}` { group, user }
 *   policy        key = policy ARN         { name, path, arn, document, tags, createdAt, updatedAt }
 *   attachment    key = `${principalArn} ${policyArn}` { principalArn, principalKind, policyArn, attachedAt }
 */

interface StoredUser {
  arn: string;
  createdAt: string;
  path?: string;
  inlinePolicies?: Record<string, RawPolicyDocument>;
  tags?: Record<string, string>;
}

interface StoredRole {
  arn: string;
  path: string;
  roleId: string;
  trustPolicy: RawPolicyDocument;
  maxSessionDuration: number;
  inlinePolicies: Record<string, RawPolicyDocument>;
  tags: Record<string, string>;
  createdAt: string;
  lastUsedAt: string | null;
}

interface StoredGroup {
  arn: string;
  path: string;
  inlinePolicies: Record<string, RawPolicyDocument>;
  createdAt: string;
}

interface StoredMember {
  group: string;
  user: string;
}

interface StoredPolicy {
  name: string;
  path: string;
  arn: string;
  document: RawPolicyDocument;
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

interface StoredAttachment {
  principalArn: string;
  principalKind: 'IAM_USER' | 'IAM_ROLE' | 'IAM_GROUP';
  policyArn: string;
  attachedAt: string;
}

const iamArn = (accountId: string, kind: 'user' | 'role' | 'group' | 'policy', path: string, name: string) => `arn:aws:iam::${accountId}:${kind}${path}${name}`;
const memberKey = (group: string, user: string) => `${group} ${user}`;
const attachmentKey = (principalArn: string, policyArn: string) => `${principalArn} ${policyArn}`;
const inline = (policies: Record<string, RawPolicyDocument> | undefined): InlinePolicy[] =>
  Object.entries(policies ?? {})
    .map(([name, document]) => ({ name, document }))
    .sort((a, b) => a.name.localeCompare(b.name));
const date = (iso: string | undefined) => (iso ? new Date(iso) : null);
/** Users created before paths were stored have their path in the ARN: `user/<path/>name`. */
function pathOfArn(arn: string): string {
  const resource = parseArn(arn)?.resource ?? '';
  return resource.slice(resource.indexOf('/'), resource.lastIndexOf('/') + 1) || '/';
}

/** IAM of the local sandbox account, account-wide: what the audit reads and the baseline writes. */
export function createSandboxIamAccount(store: SandboxStore, now: () => Date = () => new Date()): IamAccountPort {
  return {
    async describeAccount() {
      return { partition: 'aws', accountId: store.accountId };
    },

    async getAccountAuthorizationDetails(): Promise<AccountAuthorizationDetails> {
      const [users, roles, groups, members, policies, attachments] = await Promise.all([
        store.list<StoredUser>('iam', 'user'),
        store.list<StoredRole>('iam', 'role'),
        store.list<StoredGroup>('iam', 'group'),
        store.list<StoredMember>('iam', 'group-member'),
        store.list<StoredPolicy>('iam', 'policy'),
        store.list<StoredAttachment>('iam', 'attachment'),
      ]);
      const policyByArn = new Map(policies.map((p) => [p.data.arn, p.data]));
      const attached = new Map<string, AttachedPolicyRef[]>();
      for (const { data: a } of attachments) {
        const name = policyByArn.get(a.policyArn)?.name ?? a.policyArn.slice(a.policyArn.lastIndexOf('/') + 1);
        attached.set(a.principalArn, [...(attached.get(a.principalArn) ?? []), { name, arn: a.policyArn }]);
      }
      const attachedTo = (arn: string) => (attached.get(arn) ?? []).sort((a, b) => a.arn.localeCompare(b.arn));
      const groupsOf = new Map<string, string[]>();
      for (const { data: m } of members) groupsOf.set(m.user, [...(groupsOf.get(m.user) ?? []), m.group].sort());
      return {
        users: users.map(({ key, data }) => ({
          name: key,
          arn: data.arn,
          path: data.path ?? pathOfArn(data.arn),
          createdAt: date(data.createdAt),
          inlinePolicies: inline(data.inlinePolicies),
          attachedPolicies: attachedTo(data.arn),
          tags: data.tags ?? {},
          groups: groupsOf.get(key) ?? [],
        })),
        groups: groups.map(({ key, data }) => ({
          name: key,
          arn: data.arn,
          path: data.path,
          createdAt: date(data.createdAt),
          inlinePolicies: inline(data.inlinePolicies),
          attachedPolicies: attachedTo(data.arn),
        })),
        // The sandbox always knows when a role was last used (null: never), as IAM does.
        roles: roles.map(({ key, data }) => ({
          name: key,
          arn: data.arn,
          path: data.path,
          createdAt: date(data.createdAt),
          inlinePolicies: inline(data.inlinePolicies),
          attachedPolicies: attachedTo(data.arn),
          tags: data.tags ?? {},
          lastUsed: { tracked: true, at: date(data.lastUsedAt ?? undefined) },
        })),
        policies: policies.map(({ data }) => ({ name: data.name, arn: data.arn, path: data.path, document: data.document })),
      };
    },

    async ensureGroup(groupName, path) {
      const stored = await store.createIfAbsent<StoredGroup & JsonValue>('iam', 'group', groupName, {
        arn: iamArn(store.accountId, 'group', path, groupName),
        path,
        inlinePolicies: {},
        createdAt: now().toISOString(),
      });
      return stored.arn;
    },

    async ensureGroupPolicy(groupName, policyName, path, document: PolicyDocument) {
      const group = await store.get<StoredGroup>('iam', 'group', groupName);
      if (!group) throw new AppError('NOT_FOUND', `NoSuchEntity: group ${groupName} does not exist`);
      const arn = iamArn(store.accountId, 'policy', path, policyName);
      const existing = await store.get<StoredPolicy>('iam', 'policy', arn);
      const stamp = now().toISOString();
      if (!existing || JSON.stringify(existing.document) !== JSON.stringify(document)) {
        const policy: StoredPolicy = {
          name: policyName,
          path,
          arn,
          document: document as RawPolicyDocument,
          tags: existing?.tags ?? {},
          createdAt: existing?.createdAt ?? stamp,
          updatedAt: stamp,
        };
        await store.put('iam', 'policy', arn, policy as unknown as JsonValue);
      }
      const attachment: StoredAttachment = { principalArn: group.arn, principalKind: 'IAM_GROUP', policyArn: arn, attachedAt: stamp };
      await store.createIfAbsent('iam', 'attachment', attachmentKey(group.arn, arn), attachment as unknown as JsonValue);
      return arn;
    },

    async addUserToGroup(groupName, userName) {
      if (!(await store.get('iam', 'group', groupName))) throw new AppError('NOT_FOUND', `NoSuchEntity: group ${groupName} does not exist`);
      if (!(await store.get('iam', 'user', userName))) throw new AppError('NOT_FOUND', `NoSuchEntity: user ${userName} does not exist`);
      await store.createIfAbsent('iam', 'group-member', memberKey(groupName, userName), { group: groupName, user: userName });
    },

    async removeUserFromGroup(groupName, userName) {
      await store.remove('iam', 'group-member', memberKey(groupName, userName));
    },

    async listGroupMembers(groupName) {
      if (!(await store.get('iam', 'group', groupName))) return null;
      return (await store.list<StoredMember>('iam', 'group-member')).filter((m) => m.data.group === groupName).map((m) => m.data.user);
    },
  };
}

const DAY_MS = 86_400_000;
const ALL: RawPolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** A trust policy that lets the whole account assume the role. */
const trustAccount = (accountId: string): RawPolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }],
});

/**
 * Seeds the deliberately over-broad principals the audit page is there to find (one per finding
 * kind), and the security / DevOps groups that the privileged-principal rule exempts. Dates are
 * relative to the first seeding; safe to re-run (first writer wins, as for everything seeded).
 */
export async function seedSandboxAuditFixtures(store: SandboxStore, now: Date = new Date()): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const put = (kind: string, key: string, data: unknown) => store.createIfAbsent('iam', kind, key, data as JsonValue);

  const users: [string, Omit<StoredUser, 'arn'>][] = [
    // A CI user from before roles existed: an inline "allow everything".
    ['ci-deployer', { createdAt: ago(900), path: '/', inlinePolicies: { 'legacy-deploy': ALL }, tags: { owner: 'platform' } }],
    // Builds that pass "some role" to CodeBuild / Lambda: any role at all, admin roles included.
    [
      'build-bot',
      {
        createdAt: ago(400),
        path: '/',
        inlinePolicies: {
          'pass-any-role': { Version: '2012-10-17', Statement: [{ Sid: 'PassForBuilds', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] },
        },
      },
    ],
    // Reporting reads every secret instead of the warehouse one.
    [
      'data-analyst',
      {
        createdAt: ago(300),
        path: '/',
        tags: { team: 'data', env: 'prod' },
        inlinePolicies: {
          'read-secrets': {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: '*' }],
          },
        },
      },
    ],
    // A former operator with AWS's AdministratorAccess attached.
    ['legacy-ops', { createdAt: ago(1200), path: '/' }],
  ];
  for (const [name, data] of users) await put('user', name, { arn: iamArn(store.accountId, 'user', data.path ?? '/', name), ...data });

  const groups: [string, StoredGroup][] = [
    [
      'developers',
      {
        arn: iamArn(store.accountId, 'group', '/', 'developers'),
        path: '/',
        createdAt: ago(800),
        inlinePolicies: { 's3-everything': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } },
      },
    ],
    // The security team may read secret values (GATEHOUSE_PRIVILEGED_PRINCIPALS exempts it).
    [
      'security',
      {
        arn: iamArn(store.accountId, 'group', '/', 'security'),
        path: '/',
        createdAt: ago(800),
        inlinePolicies: {
          'security-secret-reads': {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecrets'], Resource: '*' },
            ],
          },
        },
      },
    ],
    ['devops', { arn: iamArn(store.accountId, 'group', '/', 'devops'), path: '/', createdAt: ago(800), inlinePolicies: {} }],
  ];
  for (const [name, data] of groups) await put('group', name, data);

  // Members only where the user exists (the portal's demo users are created by the account seed).
  const members: [string, string][] = [
    ['developers', 'data-analyst'],
    ['security', 'seoyeon.park'],
    ['security', 'lucas.meyer'],
    ['devops', 'priya.raman'],
  ];
  for (const [group, user] of members) if (await store.get('iam', 'user', user)) await put('group-member', memberKey(group, user), { group, user });

  const role = (
    name: string,
    path: string,
    inlinePolicies: Record<string, RawPolicyDocument>,
    createdDaysAgo: number,
    lastUsedDaysAgo: number | null,
    tags: Record<string, string> = {},
  ): StoredRole => ({
    arn: iamArn(store.accountId, 'role', path, name),
    path,
    roleId: `AROA${createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase()}`,
    trustPolicy: trustAccount(store.accountId),
    maxSessionDuration: 3600,
    inlinePolicies,
    tags,
    createdAt: ago(createdDaysAgo),
    lastUsedAt: lastUsedDaysAgo === null ? null : ago(lastUsedDaysAgo),
  });
  await put('role', 'legacy-admin', role('legacy-admin', '/', { admin: ALL }, 700, 3));
  // Narrow, but nobody has used it for 200 days.
  await put(
    'role',
    'reporting-etl-2023',
    role(
      'reporting-etl-2023',
      '/data/',
      {
        'read-exports': {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::prod-data-warehouse-exports/*' }],
        },
      },
      800,
      200,
      { team: 'data', env: 'prod' },
    ),
  );

  const admin: StoredPolicy = {
    name: 'AdministratorAccess',
    path: '/',
    arn: ADMINISTRATOR_ACCESS_ARN,
    document: ALL,
    tags: {},
    createdAt: '2015-02-06T18:39:46.000Z',
    updatedAt: '2015-02-06T18:39:46.000Z',
  };
  await put('policy', ADMINISTRATOR_ACCESS_ARN, admin);
  const legacyOps = iamArn(store.accountId, 'user', '/', 'legacy-ops');
  const attachment: StoredAttachment = { principalArn: legacyOps, principalKind: 'IAM_USER', policyArn: ADMINISTRATOR_ACCESS_ARN, attachedAt: ago(1100) };
  await put('attachment', attachmentKey(legacyOps, ADMINISTRATOR_ACCESS_ARN), attachment);
}
