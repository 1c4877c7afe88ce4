import 'server-only';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
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
  GetGroupCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  type Policy,
  type PolicyVersion,
} from '@aws-sdk/client-iam';
import { AppError } from '@/lib/errors';
import { GRANT_POLICY_PATH, ROLE_PERMISSIONS_POLICY, type PolicyDocument, type TeamRoleSpec } from '@/lib/grants/policy';
import { comparePrincipals, type Principal, type PrincipalRef } from '@/lib/grants/principals';
import type { IamPort, ManagedPolicy } from '@/lib/grants/ports';
import { byAge, call, isAwsError, MAX_POLICY_VERSIONS, partitionOf } from '@/lib/server/aws/iam-common';

const DESCRIPTION = 'Managed by Gatehouse for one access grant: edits are overwritten and the policy is deleted when the grant ends';

/** Runs `run`; a NoSuchEntity error means the thing is already gone, which is what the caller wanted. */
async function unlessGone(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!isAwsError(e, 'NoSuchEntity')) throw e;
  }
}

/** Keys sorted at every level, so that two documents compare equal whatever order their keys came in. */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => [k, sort(x)]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
function decodeDocument(version: PolicyVersion | undefined, policyArn: string): PolicyDocument {
  if (!version?.Document) throw new AppError('UNAVAILABLE', `IAM GetPolicyVersion: no document for ${policyArn}`);
  return parseEncoded(version.Document, `IAM GetPolicyVersion: the document of ${policyArn}`);
}

function parseEncoded(document: string, what: string): PolicyDocument {
  try {
    return JSON.parse(decodeURIComponent(document)) as PolicyDocument;
  } catch {
    throw new AppError('UNAVAILABLE', `${what} is not URL-encoded JSON`);
  }
}

/** Read-modify-write of an inline policy is retried this often when a concurrent writer is seen. */
const INLINE_POLICY_WRITES = 3;

/** A listing still truncated after this many pages is an endpoint that never ends it. */
const MAX_PAGES = 1_000;

/**
 * Every item of a Marker-paginated IAM listing. Written out rather than with the SDK's paginators,
 * which reject a client made by another copy of the SDK (docs/decisions/025-one-aws-sdk-instance.md);
 * each page is one `send`, so a throttled page is retried on its own.
 */
async function listAllPages<T>(
  operation: string,
  page: (marker: string | undefined) => Promise<{ items: T[]; IsTruncated?: boolean; Marker?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const out = await call(operation, () => page(marker));
    items.push(...out.items);
    if (!out.IsTruncated) return items;
    if (!out.Marker || seen.has(out.Marker)) throw new AppError('UNAVAILABLE', `IAM ${operation}: a truncated page without a new Marker`);
    seen.add(out.Marker);
    marker = out.Marker;
  }
  throw new AppError('UNAVAILABLE', `IAM ${operation}: still truncated after ${MAX_PAGES} pages`);
}

/**
 * The IAM adapter of the grant engine (docs/decisions/004-cloud-mode.md). Every operation is
 * idempotent; throttling is retried inside `client.send` by the SDK's adaptive retry (client
 * config), so no loop here.
 */
export function createAwsIam(client: IAMClient, accountId: () => Promise<string>): IamPort {
  async function arnPrefix(): Promise<string> {
    const [region, account] = await Promise.all([client.config.region(), accountId()]);
    return `arn:${partitionOf(region)}:iam::${account}`;
  }

  async function getDocument(policyArn: string, versionId: string | undefined): Promise<PolicyDocument> {
    const out = await call('GetPolicyVersion', () => client.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })));
    return decodeDocument(out.PolicyVersion, policyArn);
  }

  async function listVersions(policyArn: string): Promise<PolicyVersion[]> {
    // At most five versions exist: one page always holds them all.
    const out = await call('ListPolicyVersions', () => client.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn })));
    return out.Versions ?? [];
  }

  async function deleteVersion(policyArn: string, versionId: string | undefined): Promise<void> {
    await unlessGone(() => call('DeletePolicyVersion', () => client.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }))));
  }

  /** Makes the existing policy carry `document`, as a new default version when it does not already. */
  async function updatePolicy(policyArn: string, name: string, document: PolicyDocument): Promise<void> {
    let policy: Policy | undefined;
    try {
      policy = (await call('GetPolicy', () => client.send(new GetPolicyCommand({ PolicyArn: policyArn })))).Policy;
    } catch (e) {
      // Policy names are unique per account, not per path: the name is taken outside our path.
      if (isAwsError(e, 'NoSuchEntity')) {
        throw new AppError('CONFLICT', `IAM CreatePolicy: a policy named ${name} already exists outside ${GRANT_POLICY_PATH}`, { policyArn });
      }
      throw e;
    }
    const current = await getDocument(policyArn, policy?.DefaultVersionId);
    if (canonicalJson(current) === canonicalJson(document)) return;

    const versions = await listVersions(policyArn);
    if (versions.length >= MAX_POLICY_VERSIONS) {
      const oldest = versions.filter((v) => !v.IsDefaultVersion).sort(byAge)[0];
      if (oldest) await deleteVersion(policyArn, oldest.VersionId);
    }
    await call('CreatePolicyVersion', () =>
      client.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: JSON.stringify(document), SetAsDefault: true })),
    );
  }

  /** Every user, group and role the policy is attached to, by name (IAM returns no path here). */
  async function listAttachments(policyArn: string): Promise<PrincipalRef[]> {
    const refs = await listAllPages<PrincipalRef>('ListEntitiesForPolicy', async (Marker) => {
      const out = await client.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, ...(Marker ? { Marker } : {}) }));
      const items: PrincipalRef[] = [
        ...(out.PolicyUsers ?? []).flatMap((u) => (u.UserName ? [{ kind: 'IAM_USER' as const, name: u.UserName }] : [])),
        ...(out.PolicyGroups ?? []).flatMap((g) => (g.GroupName ? [{ kind: 'IAM_GROUP' as const, name: g.GroupName }] : [])),
        ...(out.PolicyRoles ?? []).flatMap((r) => (r.RoleName ? [{ kind: 'IAM_ROLE' as const, name: r.RoleName }] : [])),
      ];
      return { items, IsTruncated: out.IsTruncated, Marker: out.Marker };
    });
    return refs.sort(comparePrincipals);
  }

  async function detach(principal: PrincipalRef, policyArn: string): Promise<void> {
    const PolicyArn = policyArn;
    if (principal.kind === 'IAM_USER') {
      await unlessGone(() => call('DetachUserPolicy', () => client.send(new DetachUserPolicyCommand({ UserName: principal.name, PolicyArn }))));
    } else if (principal.kind === 'IAM_ROLE') {
      await unlessGone(() => call('DetachRolePolicy', () => client.send(new DetachRolePolicyCommand({ RoleName: principal.name, PolicyArn }))));
    } else {
      await unlessGone(() => call('DetachGroupPolicy', () => client.send(new DetachGroupPolicyCommand({ GroupName: principal.name, PolicyArn }))));
    }
  }

  /** Removes the policy from every user, role and group it is attached to. */
  async function detachEverywhere(policyArn: string): Promise<void> {
    for (const principal of await listAttachments(policyArn)) await detach(principal, policyArn);
  }

  /** A policy can only be deleted once its non-default versions are gone. */
  async function deleteVersionsAndPolicy(policyArn: string): Promise<void> {
    for (const version of await listVersions(policyArn)) {
      if (!version.IsDefaultVersion) await deleteVersion(policyArn, version.VersionId);
    }
    await call('DeletePolicy', () => client.send(new DeletePolicyCommand({ PolicyArn: policyArn })));
  }

  return {
    async ensurePolicy(name, document, tags) {
      const tagList = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      try {
        const out = await call('CreatePolicy', () =>
          client.send(
            new CreatePolicyCommand({
              PolicyName: name,
              Path: GRANT_POLICY_PATH,
              PolicyDocument: JSON.stringify(document),
              Description: DESCRIPTION,
              ...(tagList.length ? { Tags: tagList } : {}),
            }),
          ),
        );
        if (!out.Policy?.Arn) throw new AppError('UNAVAILABLE', `IAM CreatePolicy: no ARN returned for ${name}`);
        return out.Policy.Arn;
      } catch (e) {
        if (!isAwsError(e, 'EntityAlreadyExists')) throw e;
      }
      // A retry after a crash, or a changed document: bring the existing policy up to date.
      const policyArn = `${await arnPrefix()}:policy${GRANT_POLICY_PATH}${name}`;
      await updatePolicy(policyArn, name, document);
      return policyArn;
    },

    async attachPolicy(principal: Principal, policyArn) {
      // Attaching an attached policy is a no-op in IAM.
      if (principal.kind === 'IAM_USER') {
        await call('AttachUserPolicy', () => client.send(new AttachUserPolicyCommand({ UserName: principal.name, PolicyArn: policyArn })));
      } else {
        await call('AttachRolePolicy', () => client.send(new AttachRolePolicyCommand({ RoleName: principal.name, PolicyArn: policyArn })));
      }
    },

    async detachPolicy(principal, policyArn) {
      await detach(principal, policyArn);
    },

    async principalExists(principal) {
      try {
        if (principal.kind === 'IAM_USER') await call('GetUser', () => client.send(new GetUserCommand({ UserName: principal.name })));
        else if (principal.kind === 'IAM_ROLE') await call('GetRole', () => client.send(new GetRoleCommand({ RoleName: principal.name })));
        else await call('GetGroup', () => client.send(new GetGroupCommand({ GroupName: principal.name, MaxItems: 1 })));
        return true;
      } catch (e) {
        if (isAwsError(e, 'NoSuchEntity')) return false;
        throw e;
      }
    },

    async deletePolicy(policyArn) {
      await unlessGone(async () => {
        try {
          await deleteVersionsAndPolicy(policyArn);
        } catch (e) {
          if (!isAwsError(e, 'DeleteConflict')) throw e;
          // Still attached somewhere (e.g. a detach that was lost): detach everywhere, then once more.
          await detachEverywhere(policyArn);
          await deleteVersionsAndPolicy(policyArn);
        }
      });
    },

    async ensureRole(role: TeamRoleSpec) {
      const trust = JSON.stringify(role.trustPolicy);
      const Tags = Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value }));
      let arn: string | undefined;
      try {
        const out = await call('CreateRole', () =>
          client.send(
            new CreateRoleCommand({
              RoleName: role.name,
              Path: role.path,
              AssumeRolePolicyDocument: trust,
              Description: role.description,
              MaxSessionDuration: role.maxSessionSeconds,
              Tags,
            }),
          ),
        );
        arn = out.Role?.Arn;
      } catch (e) {
        if (!isAwsError(e, 'EntityAlreadyExists')) throw e;
        // Role names are unique per account: one outside our path is somebody else's.
        const existing = (await call('GetRole', () => client.send(new GetRoleCommand({ RoleName: role.name })))).Role;
        if (existing?.Path !== role.path) throw new AppError('CONFLICT', `IAM CreateRole: a role named ${role.name} already exists outside ${role.path}`);
        arn = existing.Arn;
        // A retry, or a catalog entry edited since: bring the role up to the spec.
        await call('UpdateAssumeRolePolicy', () => client.send(new UpdateAssumeRolePolicyCommand({ RoleName: role.name, PolicyDocument: trust })));
        await call('UpdateRole', () =>
          client.send(new UpdateRoleCommand({ RoleName: role.name, Description: role.description, MaxSessionDuration: role.maxSessionSeconds })),
        );
        await call('TagRole', () => client.send(new TagRoleCommand({ RoleName: role.name, Tags })));
      }
      await call('PutRolePolicy', () =>
        client.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: ROLE_PERMISSIONS_POLICY, PolicyDocument: JSON.stringify(role.permissions) })),
      );
      return arn ?? role.arn;
    },

    async updateRoleInlinePolicy(roleName, policyName, change) {
      const read = async (): Promise<PolicyDocument | null> => {
        try {
          const out = await call('GetRolePolicy', () => client.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })));
          return out.PolicyDocument ? parseEncoded(out.PolicyDocument, `IAM GetRolePolicy: ${roleName}/${policyName}`) : null;
        } catch (e) {
          if (isAwsError(e, 'NoSuchEntity')) return null;
          throw e;
        }
      };
      // Two replicas may change the same role's policy at once: write, read back, and write again
      // while the change is not in what IAM holds.
      let current = await read();
      for (let i = 0; i < INLINE_POLICY_WRITES; i++) {
        const next = change(current);
        if (canonicalJson(next) === canonicalJson(current)) return;
        try {
          if (next) {
            await call('PutRolePolicy', () =>
              client.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: JSON.stringify(next) })),
            );
          } else {
            await unlessGone(() => call('DeleteRolePolicy', () => client.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))));
          }
        } catch (e) {
          // The role itself is gone: it has no sessions left to cut.
          if (isAwsError(e, 'NoSuchEntity')) return;
          throw e;
        }
        current = await read();
      }
      if (canonicalJson(change(current)) !== canonicalJson(current)) {
        throw new AppError('CONFLICT', `IAM PutRolePolicy: ${roleName}/${policyName} kept changing under concurrent writers; retried later`);
      }
    },

    async listPolicies(pathPrefix) {
      const policies = await listAllPages<Policy>('ListPolicies', async (Marker) => {
        const out = await client.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: pathPrefix, ...(Marker ? { Marker } : {}) }));
        return { items: out.Policies ?? [], IsTruncated: out.IsTruncated, Marker: out.Marker };
      });
      const result: ManagedPolicy[] = [];
      for (const policy of policies) {
        if (!policy.Arn || !policy.PolicyName) continue;
        const policyArn = policy.Arn;
        try {
          // The default version is the one IAM evaluates; other versions are inert.
          const document = await getDocument(policyArn, policy.DefaultVersionId);
          const attachedTo = await listAttachments(policyArn);
          result.push({ name: policy.PolicyName, path: policy.Path ?? '/', arn: policyArn, document, attachedTo });
        } catch (e) {
          // Deleted between the listing and this read: it is no longer in the account.
          if (!isAwsError(e, 'NoSuchEntity')) throw e;
        }
      }
      return result;
    },
  };
}
