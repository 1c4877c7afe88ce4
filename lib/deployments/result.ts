import type { DeploymentStatus } from '@/lib/deployments/model';

/**
 * How a deployment ended, as the history, the CSV export and Slack say it: succeeded; failed, or
 * rolled back, with CloudFormation's reason (the first failed resource's event, else the stack's
 * status reason); or why a plan never ran. Null while it is open or running.
 */
export type DeploymentResult =
  | { kind: 'SUCCEEDED' }
  | { kind: 'FAILED' | 'ROLLED_BACK'; resource: string | null; reason: string | null; stackStatus: string | null }
  | { kind: 'NOT_RUN'; reason: string | null };

/** The fields of a deployment its result is read from. */
export interface ResultFacts {
  status: DeploymentStatus | string;
  stackStatus?: string | null;
  failureReason: string | null;
  failedResource: string | null;
  planError: string | null;
}

/** The result of a deployment (null while it is open or running). */
export function deploymentResult(d: ResultFacts): DeploymentResult | null {
  switch (d.status) {
    case 'SUCCEEDED':
      return { kind: 'SUCCEEDED' };
    case 'FAILED':
    case 'ROLLED_BACK':
      return { kind: d.status, resource: d.failedResource, reason: d.failureReason, stackStatus: d.stackStatus ?? null };
    case 'PLAN_FAILED':
    case 'EXPIRED':
    case 'REJECTED':
      return { kind: 'NOT_RUN', reason: d.planError };
    default:
      return null;
  }
}

/** "ApiFunction: reason", or whichever of the two is known; null when neither is. */
export function describeFailure(r: { resource: string | null; reason: string | null }): string | null {
  if (r.resource && r.reason) return `${r.resource}: ${r.reason}`;
  return r.reason ?? r.resource;
}

/** The result in one plain English line (the CSV export): "succeeded", "rolled back: ApiFunction: …". */
export function describeResult(r: DeploymentResult | null): string {
  if (!r) return '';
  if (r.kind === 'SUCCEEDED') return 'succeeded';
  if (r.kind === 'NOT_RUN') return r.reason ?? '';
  const why = describeFailure(r) ?? r.stackStatus;
  return `${r.kind === 'FAILED' ? 'failed' : 'rolled back'}${why ? `: ${why}` : ''}`;
}
