import type { AuditLog } from '@/lib/audit/model';
import type { ProposalLog } from '@/lib/control-plane/proposal';
import type { AppRole } from '@/lib/identity/actor';

/** The AWS identity a user's grants attach to in one account (the ARN's). */
export interface PrincipalMapping {
  accountId: string;
  kind: 'IAM_USER' | 'IAM_ROLE';
  name: string;
  arn: string;
}

/** Users' roles and AWS identities inside one transaction; each write's audit event goes through the same transaction. */
export interface IdentityTx extends AuditLog, ProposalLog {
  findUser(id: string): Promise<{ id: string; name: string; email: string; roles: AppRole[] } | null>;
  setRoles(id: string, roles: AppRole[]): Promise<void>;
  /** The user's principal in one account, or null. */
  findPrincipal(userId: string, accountId: string): Promise<PrincipalMapping | null>;
  /** True when another user (not `userId`) is mapped to this ARN. */
  principalTaken(arn: string, userId: string): Promise<boolean>;
  /** Creates or replaces the user's principal in `mapping.accountId`. */
  savePrincipal(userId: string, mapping: PrincipalMapping): Promise<void>;
  removePrincipal(userId: string, accountId: string): Promise<void>;
}

/** The identity store: every change is one transaction. */
export interface IdentityStore {
  transaction<T>(work: (tx: IdentityTx) => Promise<T>): Promise<T>;
}
