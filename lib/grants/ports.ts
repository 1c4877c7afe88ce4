import type { PolicyDocument } from '@/lib/grants/policy';

/** The AWS identity a grant attaches to. */
export interface Principal {
  kind: 'IAM_USER' | 'IAM_ROLE';
  /** IAM user name or role name. */
  name: string;
  arn: string;
}

/** A managed policy Gatehouse created, as found in the account. */
export interface ManagedPolicy {
  name: string;
  arn: string;
  document: PolicyDocument;
  /** ARNs of the users and roles it is attached to. */
  attachedTo: string[];
}

/**
 * What the grant engine needs from IAM. Every operation is idempotent: applying twice, or
 * removing what is already gone, succeeds (the engine retries after crashes).
 */
export interface IamPort {
  /** Creates the customer-managed policy under GRANT_POLICY_PATH, or makes an existing one carry `document`; returns its ARN. */
  ensurePolicy(name: string, document: PolicyDocument, tags: Record<string, string>): Promise<string>;
  attachPolicy(principal: Principal, policyArn: string): Promise<void>;
  detachPolicy(principal: Principal, policyArn: string): Promise<void>;
  /** Deletes the policy (and its non-default versions); a policy that does not exist is fine. */
  deletePolicy(policyArn: string): Promise<void>;
  /** Every policy under the path, with its document and attachments (for the reconciler and the sandbox view). */
  listPolicies(pathPrefix: string): Promise<ManagedPolicy[]>;
}

/** What the grant engine needs from Secrets Manager (metadata only: never a value). */
export interface SecretsPort {
  /** The ARN and KMS key of a secret by name, or null when there is none. */
  describeSecret(name: string): Promise<{ arn: string; kmsKeyId: string | null } | null>;
}
