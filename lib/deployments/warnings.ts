import type { DiffRow } from '@/lib/deployments/diff';
import type { Environment } from '@/lib/environments';

/**
 * What a plan does that an approver must see before approving:
 * - ENGINE_VERSION: a database (or other engine) version changes, e.g. RDS 16.3 -> 16.4;
 * - STATEFUL_REMOVE / STATEFUL_REPLACE: a resource that holds data is deleted, or replaced (the old
 *   one deleted) certainly or possibly (replacement Conditional);
 * - IAM: a role, policy, user or other IAM resource is added, changed or removed.
 */
export type PlanWarningKind = 'ENGINE_VERSION' | 'STATEFUL_REMOVE' | 'STATEFUL_REPLACE' | 'IAM';

export interface PlanWarning {
  kind: PlanWarningKind;
  logicalId: string;
  resourceType: string;
  /** The diff row's action (Add | Modify | Remove | …). */
  action: string;
  /** ENGINE_VERSION: the versions; STATEFUL_REPLACE: 'True' or 'Conditional' in `after`; otherwise null. */
  before: string | null;
  after: string | null;
}

/** Resource types whose replacement or deletion loses data (or the key to it). */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::SQS::Queue',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::KMS::Key',
  'AWS::S3::Bucket',
];

const ORDER: Record<PlanWarningKind, number> = { STATEFUL_REMOVE: 0, STATEFUL_REPLACE: 1, ENGINE_VERSION: 2, IAM: 3 };

/** The engine-version property changes of a row: a property named EngineVersion (or a path ending in it) whose value changes. */
function engineVersionChanges(row: DiffRow): { before: string | null; after: string | null }[] {
  if (row.action !== 'Modify' && row.action !== 'Dynamic') return [];
  return row.properties
    .filter((p) => p.attribute === 'Properties' && (p.name === 'EngineVersion' || (p.path ?? '').endsWith('/EngineVersion')))
    .filter((p) => p.before !== p.after)
    .map((p) => ({ before: p.before, after: p.after }));
}

/**
 * The warnings of a plan's diff, most dangerous first (deletions, replacements, engine versions,
 * IAM). One resource can give several (an engine upgrade that replaces the database gives two).
 */
export function planWarnings(rows: readonly DiffRow[]): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  for (const row of rows) {
    const base = { logicalId: row.logicalId, resourceType: row.resourceType, action: row.action };
    const stateful = STATEFUL_RESOURCE_TYPES.includes(row.resourceType);
    if (stateful && row.action === 'Remove') warnings.push({ ...base, kind: 'STATEFUL_REMOVE', before: null, after: null });
    if (stateful && row.action === 'Modify' && (row.replacement === 'True' || row.replacement === 'Conditional'))
      warnings.push({ ...base, kind: 'STATEFUL_REPLACE', before: null, after: row.replacement });
    for (const change of engineVersionChanges(row)) warnings.push({ ...base, kind: 'ENGINE_VERSION', ...change });
    if (row.resourceType.startsWith('AWS::IAM::')) warnings.push({ ...base, kind: 'IAM', before: null, after: null });
  }
  return warnings.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.logicalId.localeCompare(b.logicalId));
}

/**
 * Whether approving needs the stack name typed: a prod plan with any warning. The approval is where
 * the risk is accepted (execution of an approved plan is not asked again).
 */
export function requiresTypedConfirmation(environment: Environment, warnings: readonly PlanWarning[]): boolean {
  return environment === 'PROD' && warnings.length > 0;
}
