import type { AuditLog } from '@/lib/audit/model';
import type { ProposalLog } from '@/lib/control-plane/proposal';
import type { AppRole } from '@/lib/identity/actor';

/** The AWS identity a user's grants attach to. */
export interface PrincipalMapping {
  kind: 'IAM_USER' | 'IAM_ROLE';
  name: string;
  arn: string;
}

/** Users' roles and AWS identities inside one transaction; each write's audit event goes through the same transaction. */
export interface IdentityTx extends AuditLog, ProposalLog {
  findUser(id: string): Promise<{ id: string; name: string; email: string; roles: AppRole[] } | null>;
  setRoles(id: string, roles: AppRole[]): Promise<void>;
  findPrincipal(userId: string): Promise<PrincipalMapping | null>;
  /** True when another user (not `userId`) is mapped to this ARN. */
  principalTaken(arn: string, userId: string): Promise<boolean>;
  savePrincipal(userId: string, mapping: PrincipalMapping): Promise<void>;
}

/** The identity store: every change is one transaction. */
export interface IdentityStore {
  transaction<T>(work: (tx: IdentityTx) => Promise<T>): Promise<T>;
}
