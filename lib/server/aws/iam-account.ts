import 'server-only';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetAccountAuthorizationDetailsCommand,
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListPolicyVersionsCommand,
  RemoveUserFromGroupCommand,
  type AttachedPolicy,
  type GroupDetail,
  type ManagedPolicyDetail,
  type PolicyDetail,
  type RoleDetail,
  type Tag,
  type UserDetail,
} from '@aws-sdk/client-iam';
import { canonicalJson } from '@/lib/audit/hash-chain';
import { AppError } from '@/lib/errors';
import type { PolicyDocument } from '@/lib/grants/policy';
import {
  decodePolicyDocument,
  type AccountAuthorizationDetails,
  type AttachedPolicyRef,
  type InlinePolicy,
  type RawPolicyDocument,
} from '@/lib/iam-audit/model';
import type { IamAccountPort } from '@/lib/iam-audit/ports';
import { byAge, call, isAwsError, MAX_POLICY_VERSIONS, partitionOf } from '@/lib/server/aws/iam-common';

// These helpers mirror lib/server/aws/iam.ts (the grant engine's adapter), which does not export
// them; one shared module is a follow-up for whoever next edits both.

/** IAM keeps at most five versions of a managed policy. */
/** A runaway Marker loop (an endpoint that keeps answering IsTruncated) stops here: 1,000 pages of 100 items. */
const MAX_PAGES = 1_000;
const DESCRIPTION = 'Managed by Gatehouse: the secrets baseline (list and describe secrets, never read values). Edits are overwritten.';

function decoded(text: string | undefined, what: string): RawPolicyDocument {
  if (!text) throw new AppError('UNAVAILABLE', `IAM GetAccountAuthorizationDetails: no document for ${what}`);
  try {
    return decodePolicyDocument(text);
  } catch (e) {
    throw new AppError('UNAVAILABLE', `IAM GetAccountAuthorizationDetails: the document of ${what} is unreadable (${e instanceof Error ? e.message : e})`);
  }
}

function inlinePolicies(list: PolicyDetail[] | undefined, owner: string): InlinePolicy[] {
  return (list ?? []).flatMap((p) =>
    p.PolicyName ? [{ name: p.PolicyName, document: decoded(p.PolicyDocument, `inline policy ${p.PolicyName} of ${owner}`) }] : [],
  );
}

function attached(list: AttachedPolicy[] | undefined): AttachedPolicyRef[] {
  return (list ?? []).flatMap((p) => (p.PolicyName && p.PolicyArn ? [{ name: p.PolicyName, arn: p.PolicyArn }] : []));
}

function tagsOf(list: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])));
}

/** Normalises the pages of GetAccountAuthorizationDetails: documents decoded, default policy versions only. */
export function normaliseAuthorizationDetails(pages: {
  users: UserDetail[];
  groups: GroupDetail[];
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
}): AccountAuthorizationDetails {
  return {
    users: pages.users.flatMap((u) =>
      u.UserName && u.Arn
        ? [
            {
              name: u.UserName,
              arn: u.Arn,
              path: u.Path ?? '/',
              createdAt: u.CreateDate ?? null,
              inlinePolicies: inlinePolicies(u.UserPolicyList, `user ${u.UserName}`),
              attachedPolicies: attached(u.AttachedManagedPolicies),
              tags: tagsOf(u.Tags),
              groups: u.GroupList ?? [],
            },
          ]
        : [],
    ),
    groups: pages.groups.flatMap((g) =>
      g.GroupName && g.Arn
        ? [
            {
              name: g.GroupName,
              arn: g.Arn,
              path: g.Path ?? '/',
              createdAt: g.CreateDate ?? null,
              inlinePolicies: inlinePolicies(g.GroupPolicyList, `group ${g.GroupName}`),
              attachedPolicies: attached(g.AttachedManagedPolicies),
            },
          ]
        : [],
    ),
    roles: pages.roles.flatMap((r) =>
      r.RoleName && r.Arn
        ? [
            {
              name: r.RoleName,
              arn: r.Arn,
              path: r.Path ?? '/',
              createdAt: r.CreateDate ?? null,
              inlinePolicies: inlinePolicies(r.RolePolicyList, `role ${r.RoleName}`),
              attachedPolicies: attached(r.AttachedManagedPolicies),
              tags: tagsOf(r.Tags),
              // IAM sends RoleLastUsed (empty when never used in its 400-day window); an endpoint
              // that omits it altogether says nothing about use.
              lastUsed: r.RoleLastUsed ? { tracked: true as const, at: r.RoleLastUsed.LastUsedDate ?? null } : { tracked: false as const },
            },
          ]
        : [],
    ),
    policies: pages.policies.flatMap((p) => {
      if (!p.PolicyName || !p.Arn) return [];
      const current =
        (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? (p.PolicyVersionList ?? []).find((v) => v.VersionId === p.DefaultVersionId);
      return [{ name: p.PolicyName, arn: p.Arn, path: p.Path ?? '/', document: current?.Document ? decoded(current.Document, `policy ${p.Arn}`) : null }];
    }),
  };
}

/**
 * The account-wide IAM adapter of the audit and the baseline (docs/decisions/016-iam-audit.md).
 * Throttling is retried inside `client.send` by the SDK's adaptive retry (client config); each
 * page of a paginated read is one `send`, so a throttled page is retried on its own.
 */
export function createAwsIamAccount(client: IAMClient, accountId: () => Promise<string>): IamAccountPort {
  async function arnPrefix(): Promise<string> {
    const [region, account] = await Promise.all([client.config.region(), accountId()]);
    return `arn:${partitionOf(region)}:iam::${account}`;
  }

  /** Makes the existing policy carry `document` (a new default version when it does not). */
  async function updatePolicy(policyArn: string, name: string, path: string, document: PolicyDocument): Promise<void> {
    let defaultVersion: string | undefined;
    try {
      defaultVersion = (await call('GetPolicy', () => client.send(new GetPolicyCommand({ PolicyArn: policyArn })))).Policy?.DefaultVersionId;
    } catch (e) {
      // Policy names are unique per account, not per path: the name is taken outside our path.
      if (isAwsError(e, 'NoSuchEntity'))
        throw new AppError('CONFLICT', `IAM CreatePolicy: a policy named ${name} already exists outside ${path}`, { policyArn });
      throw e;
    }
    const version = await call('GetPolicyVersion', () => client.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: defaultVersion })));
    const current = version.PolicyVersion?.Document ? decodePolicyDocument(version.PolicyVersion.Document) : null;
    if (current && canonicalJson(current) === canonicalJson(document)) return;
    // At most five versions exist: one page always holds them all.
    const versions = (await call('ListPolicyVersions', () => client.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn })))).Versions ?? [];
    if (versions.length >= MAX_POLICY_VERSIONS) {
      const oldest = versions.filter((v) => !v.IsDefaultVersion).sort(byAge)[0];
      if (oldest) await call('DeletePolicyVersion', () => client.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: oldest.VersionId })));
    }
    await call('CreatePolicyVersion', () =>
      client.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: JSON.stringify(document), SetAsDefault: true })),
    );
  }

  return {
    async describeAccount() {
      const [region, account] = await Promise.all([client.config.region(), accountId()]);
      return { partition: partitionOf(region), accountId: account };
    },

    async getAccountAuthorizationDetails() {
      const pages = { users: [] as UserDetail[], groups: [] as GroupDetail[], roles: [] as RoleDetail[], policies: [] as ManagedPolicyDetail[] };
      const seen = new Set<string>();
      let marker: string | undefined;
      for (let page = 0; ; page++) {
        if (page >= MAX_PAGES) throw new AppError('UNAVAILABLE', `IAM GetAccountAuthorizationDetails: still truncated after ${MAX_PAGES} pages`);
        // No Filter: every entity type (users, roles, groups, customer and AWS managed policies).
        const input = marker ? { Marker: marker } : {};
        const out = await call('GetAccountAuthorizationDetails', () => client.send(new GetAccountAuthorizationDetailsCommand(input)));
        pages.users.push(...(out.UserDetailList ?? []));
        pages.groups.push(...(out.GroupDetailList ?? []));
        pages.roles.push(...(out.RoleDetailList ?? []));
        pages.policies.push(...(out.Policies ?? []));
        if (!out.IsTruncated) break;
        if (!out.Marker || seen.has(out.Marker)) throw new AppError('UNAVAILABLE', 'IAM GetAccountAuthorizationDetails: a truncated page without a new Marker');
        seen.add(out.Marker);
        marker = out.Marker;
      }
      return normaliseAuthorizationDetails(pages);
    },

    async ensureGroup(groupName, path) {
      try {
        const out = await call('CreateGroup', () => client.send(new CreateGroupCommand({ GroupName: groupName, Path: path })));
        if (out.Group?.Arn) return out.Group.Arn;
      } catch (e) {
        if (!isAwsError(e, 'EntityAlreadyExists')) throw e;
      }
      const out = await call('GetGroup', () => client.send(new GetGroupCommand({ GroupName: groupName, MaxItems: 1 })));
      if (!out.Group?.Arn) throw new AppError('UNAVAILABLE', `IAM GetGroup: no ARN returned for ${groupName}`);
      return out.Group.Arn;
    },

    async ensureGroupPolicy(groupName, policyName, path, document) {
      let policyArn: string | undefined;
      try {
        const out = await call('CreatePolicy', () =>
          client.send(new CreatePolicyCommand({ PolicyName: policyName, Path: path, PolicyDocument: JSON.stringify(document), Description: DESCRIPTION })),
        );
        policyArn = out.Policy?.Arn;
        if (!policyArn) throw new AppError('UNAVAILABLE', `IAM CreatePolicy: no ARN returned for ${policyName}`);
      } catch (e) {
        if (!isAwsError(e, 'EntityAlreadyExists')) throw e;
        policyArn = `${await arnPrefix()}:policy${path}${policyName}`;
        await updatePolicy(policyArn, policyName, path, document);
      }
      // Attaching an attached policy is a no-op in IAM.
      const arn = policyArn;
      await call('AttachGroupPolicy', () => client.send(new AttachGroupPolicyCommand({ GroupName: groupName, PolicyArn: arn })));
      return arn;
    },

    async addUserToGroup(groupName, userName) {
      // Adding a member twice succeeds in IAM.
      await call('AddUserToGroup', () => client.send(new AddUserToGroupCommand({ GroupName: groupName, UserName: userName })));
    },

    async removeUserFromGroup(groupName, userName) {
      try {
        await call('RemoveUserFromGroup', () => client.send(new RemoveUserFromGroupCommand({ GroupName: groupName, UserName: userName })));
      } catch (e) {
        // Not a member (or no such user / group): already what was wanted.
        if (!isAwsError(e, 'NoSuchEntity')) throw e;
      }
    },

    async listGroupMembers(groupName) {
      const members: string[] = [];
      let marker: string | undefined;
      try {
        for (let page = 0; page < MAX_PAGES; page++) {
          const input = marker ? { GroupName: groupName, Marker: marker } : { GroupName: groupName };
          const out = await call('GetGroup', () => client.send(new GetGroupCommand(input)));
          members.push(...(out.Users ?? []).flatMap((u) => (u.UserName ? [u.UserName] : [])));
          if (!out.IsTruncated || !out.Marker || out.Marker === marker) break;
          marker = out.Marker;
        }
      } catch (e) {
        if (isAwsError(e, 'NoSuchEntity')) return null;
        throw e;
      }
      return members;
    },
  };
}
