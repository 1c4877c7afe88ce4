import 'server-only';
import { AppError } from '@/lib/errors';
import { ROLE_PERMISSIONS_POLICY, type PolicyDocument, type TeamRoleSpec, type TrustPolicyDocument } from '@/lib/grants/policy';
import { comparePrincipals, principalFromArn, principalLabel, type PrincipalRef } from '@/lib/grants/principals';
import type { IamPort, ManagedPolicy } from '@/lib/grants/ports';
import type { JsonValue, SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

interface StoredPolicy {
  name: string;
  path: string;
  arn: string;
  document: PolicyDocument;
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** Keyed by the principal's stored ARN (with its path), as IAM resolves a name to the principal itself. */
interface StoredAttachment {
  principalArn: string;
  principalKind: PrincipalRef['kind'];
  policyArn: string;
  attachedAt: string;
}

/** The sandbox document kind of each principal kind (users, roles and groups are keyed by name, as in IAM). */
const PRINCIPAL_DOC = { IAM_USER: 'user', IAM_ROLE: 'role', IAM_GROUP: 'group' } as const;

/** A role of the sandbox account (the shape the IAM audit scan reads too). */
export interface StoredRole {
  arn: string;
  path: string;
  roleId: string;
  trustPolicy: TrustPolicyDocument;
  maxSessionDuration: number;
  description: string;
  inlinePolicies: Record<string, PolicyDocument>;
  tags: Record<string, string>;
  createdAt: string;
  lastUsedAt: string | null;
}

const attachmentKey = (principalArn: string, policyArn: string) => `${principalArn} ${policyArn}`;

/**
 * IAM of one local sandbox account (`store.accountId`): managed policies and their attachments really stored, with
 * AWS's behaviour where the engine depends on it (NoSuchEntity for an unknown principal or policy,
 * DeleteConflict while a policy is attached; users and roles with paths, groups; attachments
 * listed by kind and name, without paths, as ListEntitiesForPolicy does). Attachments are
 * separate documents so that concurrent grants on one user never overwrite each other.
 */
export function createSandboxIam(
  store: SandboxStore,
  now: () => Date = () => new Date(),
): IamPort & {
  listUsers(): Promise<{ name: string; arn: string }[]>;
  listRoles(pathPrefix: string): Promise<({ name: string } & StoredRole)[]>;
  ensureUser(name: string, path?: string): Promise<string>;
  /** The stored ARN (with its path) of every user, role and group, by `principalLabel`: what /sandbox shows for an attachment. */
  principalArns(): Promise<Map<string, string>>;
  /** What someone outside the portal can do as well: attach a policy to a group (or a user or role). */
  attachPolicyTo(principal: PrincipalRef, policyArn: string): Promise<void>;
} {
  const policyArn = (name: string, path: string) => `arn:aws:iam::${store.accountId}:policy${path}${name}`;
  /** The stored principal's ARN (its path included), or null when there is no such principal. */
  async function principalArn(p: PrincipalRef): Promise<string | null> {
    return (await store.get<{ arn: string }>('iam', PRINCIPAL_DOC[p.kind], p.name))?.arn ?? null;
  }
  async function attachPolicyTo(principal: PrincipalRef, arn: string): Promise<void> {
    if (!(await store.get('iam', 'policy', arn))) throw new AppError('NOT_FOUND', `NoSuchEntity: policy ${arn} does not exist`);
    // IAM attaches by name: the attachment is the stored principal's, whatever ARN the caller holds.
    const stored = await principalArn(principal);
    if (!stored) throw new AppError('NOT_FOUND', `NoSuchEntity: ${PRINCIPAL_DOC[principal.kind]} ${principal.name} does not exist`);
    const attachment: StoredAttachment = { principalArn: stored, principalKind: principal.kind, policyArn: arn, attachedAt: now().toISOString() };
    await store.createIfAbsent('iam', 'attachment', attachmentKey(stored, arn), attachment as unknown as JsonValue);
  }
  return {
    async ensurePolicy(name, document, tags) {
      const path = '/gatehouse/';
      const arn = policyArn(name, path);
      const existing = await store.get<StoredPolicy>('iam', 'policy', arn);
      const stamp = now().toISOString();
      const doc: StoredPolicy = { name, path, arn, document, tags, createdAt: existing?.createdAt ?? stamp, updatedAt: stamp };
      await store.put('iam', 'policy', arn, doc as unknown as JsonValue);
      return arn;
    },
    async attachPolicy(principal, arn) {
      await attachPolicyTo(principal, arn);
    },
    attachPolicyTo,
    async detachPolicy(principal, arn) {
      const stored = await principalArn(principal);
      if (stored && (await store.remove('iam', 'attachment', attachmentKey(stored, arn)))) return;
      // Not under the stored principal's key: the principal is gone (IAM would show no attachment of
      // it), or the attachment was made before attachments were keyed by the stored ARN (keyed by the
      // caller's ARN then). Either way, clear what is left of this principal on this policy.
      const left = (await store.list<StoredAttachment>('iam', 'attachment')).filter(
        (a) => a.data.policyArn === arn && a.data.principalKind === principal.kind && principalFromArn(a.data.principalArn).name === principal.name,
      );
      for (const a of left) await store.remove('iam', 'attachment', a.key);
    },
    async principalExists(principal) {
      return (await principalArn(principal)) !== null;
    },
    async deletePolicy(arn) {
      const attached = (await store.list<StoredAttachment>('iam', 'attachment')).filter((a) => a.data.policyArn === arn);
      if (attached.length) throw new AppError('CONFLICT', `DeleteConflict: ${arn} is still attached to ${attached.map((a) => a.data.principalArn).join(', ')}`);
      await store.remove('iam', 'policy', arn);
    },
    async listPolicies(pathPrefix): Promise<ManagedPolicy[]> {
      const [policies, attachments] = await Promise.all([store.list<StoredPolicy>('iam', 'policy'), store.list<StoredAttachment>('iam', 'attachment')]);
      return policies
        .filter((p) => p.data.path.startsWith(pathPrefix))
        .map((p) => ({
          name: p.data.name,
          path: p.data.path,
          arn: p.data.arn,
          document: p.data.document,
          attachedTo: attachments
            .filter((a) => a.data.policyArn === p.data.arn)
            .map((a) => ({ kind: a.data.principalKind, name: principalFromArn(a.data.principalArn).name }))
            .sort(comparePrincipals),
        }));
    },
    async ensureRole(role: TeamRoleSpec) {
      const arn = `arn:aws:iam::${store.accountId}:role${role.path}${role.name}`;
      const existing = await store.get<StoredRole>('iam', 'role', role.name);
      if (existing && existing.path !== role.path)
        throw new AppError('CONFLICT', `EntityAlreadyExists: a role named ${role.name} already exists outside ${role.path}`);
      const stored: StoredRole = {
        arn,
        path: role.path,
        // AWS role ids start with AROA; the sandbox derives a stable one from the name.
        roleId: existing?.roleId ?? `AROA${Buffer.from(role.name).toString('hex').toUpperCase().slice(0, 17).padEnd(17, '0')}`,
        trustPolicy: role.trustPolicy,
        maxSessionDuration: role.maxSessionSeconds,
        description: role.description,
        inlinePolicies: { ...(existing?.inlinePolicies ?? {}), [ROLE_PERMISSIONS_POLICY]: role.permissions },
        tags: { ...(existing?.tags ?? {}), ...role.tags },
        createdAt: existing?.createdAt ?? now().toISOString(),
        lastUsedAt: existing?.lastUsedAt ?? null,
      };
      await store.put('iam', 'role', role.name, stored as unknown as JsonValue);
      return arn;
    },
    async updateRoleInlinePolicy(roleName, policyName, change) {
      const role = await store.get<StoredRole>('iam', 'role', roleName);
      if (!role) return;
      const next = change(role.inlinePolicies[policyName] ?? null);
      const inlinePolicies = { ...role.inlinePolicies };
      if (next) inlinePolicies[policyName] = next;
      else delete inlinePolicies[policyName];
      await store.put('iam', 'role', roleName, { ...role, inlinePolicies } as unknown as JsonValue);
    },
    async listRoles(pathPrefix) {
      return (await store.list<StoredRole>('iam', 'role')).filter((r) => r.data.path.startsWith(pathPrefix)).map((r) => ({ name: r.key, ...r.data }));
    },
    async principalArns() {
      const kinds = Object.entries(PRINCIPAL_DOC) as [PrincipalRef['kind'], string][];
      const lists = await Promise.all(kinds.map(([, doc]) => store.list<{ arn: string }>('iam', doc)));
      return new Map(kinds.flatMap(([kind], i) => lists[i]!.map((p) => [principalLabel({ kind, name: p.key }), p.data.arn] as const)));
    },
    async listUsers() {
      return (await store.list<{ arn: string }>('iam', 'user')).map((u) => ({ name: u.key, arn: u.data.arn }));
    },
    async ensureUser(name, path = '/') {
      const arn = `arn:aws:iam::${store.accountId}:user${path}${name}`;
      return (await store.createIfAbsent<{ arn: string } & JsonValue>('iam', 'user', name, { arn, path, createdAt: now().toISOString() })).arn;
    },
  };
}
