import 'server-only';
import { randomUUID } from 'node:crypto';
import type { IamPort } from '@/lib/grants/ports';
import type { JsonValue, SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

/** Where counted calls are kept: `sandbox_objects` rows of service 'sandbox', kind 'call'. */
export const CALL_SERVICE = 'sandbox';
export const CALL_KIND = 'call';

/** One IAM change the sandbox made (GATEHOUSE_SANDBOX_COUNT_CALLS=true). */
export interface SandboxCall {
  op: 'ensurePolicy' | 'attachPolicy' | 'detachPolicy' | 'deletePolicy' | 'ensureRole' | 'updateRoleInlinePolicy';
  /** The policy ARN, or the role name. */
  target: string;
  at: string;
  /** The server process that made it (tells replicas apart). */
  pid: number;
}

/**
 * Wraps the sandbox IAM so that every change that succeeded adds one row (a fresh key each, so
 * replicas never overwrite each other's counts). A test aid for proving "applied once, removed
 * once" across replicas (bench/scale-out.ts); off unless GATEHOUSE_SANDBOX_COUNT_CALLS=true.
 */
export function withCallCounter<T extends IamPort>(iam: T, store: SandboxStore, now: () => Date = () => new Date()): T {
  const record = async (op: SandboxCall['op'], target: string) => {
    const call: SandboxCall = { op, target, at: now().toISOString(), pid: process.pid };
    await store.createIfAbsent(CALL_SERVICE, CALL_KIND, `${op} ${target} ${randomUUID()}`, call as unknown as JsonValue);
  };
  return {
    ...iam,
    async ensurePolicy(name, document, tags) {
      const arn = await iam.ensurePolicy(name, document, tags);
      await record('ensurePolicy', arn);
      return arn;
    },
    async attachPolicy(principal, arn) {
      await iam.attachPolicy(principal, arn);
      await record('attachPolicy', arn);
    },
    async detachPolicy(principal, arn) {
      await iam.detachPolicy(principal, arn);
      await record('detachPolicy', arn);
    },
    async deletePolicy(arn) {
      await iam.deletePolicy(arn);
      await record('deletePolicy', arn);
    },
    async ensureRole(role) {
      const arn = await iam.ensureRole(role);
      await record('ensureRole', role.name);
      return arn;
    },
    async updateRoleInlinePolicy(roleName, policyName, change) {
      await iam.updateRoleInlinePolicy(roleName, policyName, change);
      await record('updateRoleInlinePolicy', roleName);
    },
  };
}

/** The counted calls, by time (calls within one millisecond in no particular order). */
export async function listSandboxCalls(store: SandboxStore): Promise<SandboxCall[]> {
  return (await store.list<SandboxCall>(CALL_SERVICE, CALL_KIND)).map((r) => r.data).sort((a, b) => a.at.localeCompare(b.at));
}
