import { AppError } from '@/lib/errors';
import { GRANT_POLICY_PATH, type PolicyDocument, type TeamRoleSpec } from '@/lib/grants/policy';
import type { IamPort, ManagedPolicy, NewSecretSpec, SecretsPort } from '@/lib/grants/ports';
import { samePrincipal, type PrincipalRef } from '@/lib/grants/principals';

/** What an in-memory account holds, for tests to read back. */
export interface MemoryIam extends IamPort {
  readonly accountId: string;
  readonly policies: Map<string, ManagedPolicy>;
  readonly roles: Map<string, TeamRoleSpec & { arn: string; inline: Map<string, PolicyDocument> }>;
  /** Principals that no longer exist (deleted outside the portal). */
  readonly gone: PrincipalRef[];
  /** Makes every call fail, as an account whose role cannot be assumed does. */
  failWith: Error | null;
}

/**
 * IAM of one account, in memory: a fake that implements the grant engine's port (tests of several
 * accounts give each its own). Idempotent like the real adapter; ARNs carry the account id.
 */
export function createMemoryIam(accountId: string): MemoryIam {
  const policies = new Map<string, ManagedPolicy>();
  const roles: MemoryIam['roles'] = new Map();
  const gone: PrincipalRef[] = [];
  const policyAt = (arn: string) => [...policies.values()].find((p) => p.arn === arn);
  const self: MemoryIam = {
    accountId,
    policies,
    roles,
    gone,
    failWith: null,
    async ensurePolicy(name, document) {
      check();
      const existing = policies.get(name);
      if (existing) {
        existing.document = document;
        return existing.arn;
      }
      const arn = `arn:aws:iam::${accountId}:policy${GRANT_POLICY_PATH}${name}`;
      policies.set(name, { name, path: GRANT_POLICY_PATH, arn, document, attachedTo: [] });
      return arn;
    },
    async attachPolicy(principal, policyArn) {
      check();
      const p = policyAt(policyArn);
      if (!p) throw Object.assign(new Error(`Policy ${policyArn} does not exist in ${accountId}.`), { name: 'NoSuchEntityException' });
      if (gone.some((g) => samePrincipal(g, principal)))
        throw Object.assign(new Error(`${principal.name} does not exist in ${accountId}.`), { name: 'NoSuchEntityException' });
      if (!p.attachedTo.some((a) => samePrincipal(a, principal))) p.attachedTo.push({ kind: principal.kind, name: principal.name });
    },
    async detachPolicy(principal, policyArn) {
      check();
      const p = policyAt(policyArn);
      if (p) p.attachedTo = p.attachedTo.filter((a) => !samePrincipal(a, principal));
    },
    async principalExists(principal) {
      check();
      return !gone.some((g) => samePrincipal(g, principal));
    },
    async deletePolicy(policyArn) {
      check();
      const p = policyAt(policyArn);
      if (p) policies.delete(p.name);
    },
    async listPolicies(pathPrefix) {
      check();
      return [...policies.values()].filter((p) => p.path.startsWith(pathPrefix)).map((p) => ({ ...p, attachedTo: [...p.attachedTo] }));
    },
    async ensureRole(role) {
      check();
      const arn = `arn:aws:iam::${accountId}:role${role.path}${role.name}`;
      roles.set(role.name, { ...role, arn, inline: roles.get(role.name)?.inline ?? new Map() });
      return arn;
    },
    async updateRoleInlinePolicy(roleName, policyName, change) {
      check();
      const role = roles.get(roleName);
      if (!role) return;
      const next = change(role.inline.get(policyName) ?? null);
      if (next) role.inline.set(policyName, next);
      else role.inline.delete(policyName);
    },
  };
  function check() {
    if (self.failWith) throw self.failWith;
  }
  return self;
}

/** Secrets Manager of one account, in memory (metadata only, like the port). */
export function createMemorySecrets(accountId: string, region: string): SecretsPort & { readonly secrets: Map<string, NewSecretSpec & { arn: string }> } {
  const secrets = new Map<string, NewSecretSpec & { arn: string }>();
  return {
    secrets,
    async describeSecret(name) {
      const s = secrets.get(name);
      return s ? { arn: s.arn, kmsKeyId: null } : null;
    },
    async createSecret(spec) {
      const existing = secrets.get(spec.name);
      if (existing && existing.idempotencyKey !== spec.idempotencyKey) throw new AppError('CONFLICT', `${spec.name} exists in ${accountId}.`);
      const arn = existing?.arn ?? `arn:aws:secretsmanager:${region}:${accountId}:secret:${spec.name}-AbCdEf`;
      secrets.set(spec.name, { ...spec, arn });
      return { arn, kmsKeyId: null };
    },
  };
}
