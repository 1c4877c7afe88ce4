import { describe, expect, it } from 'vitest';
import { buildDiff } from '@/lib/deployments/diff';
import { changeDetail, resourceChange } from '@/lib/deployments/change-set-fixtures';
import type { RawResourceChange } from '@/lib/deployments/model';
import { planWarnings, requiresTypedConfirmation, type PlanWarning } from '@/lib/deployments/warnings';

const detail = changeDetail;
const change = resourceChange;
const engine = detail({
  name: 'EngineVersion',
  path: '/Properties/EngineVersion',
  beforeValue: '16.3',
  afterValue: '16.4',
  changeSource: 'ParameterReference',
  causingEntity: 'DbEngineVersion',
});

type Row = Pick<PlanWarning, 'kind' | 'logicalId'> & Partial<PlanWarning>;
const cases: { name: string; changes: RawResourceChange[]; expected: Row[] }[] = [
  {
    name: 'engine version 16.3 -> 16.4 on the database',
    changes: [change({ logicalId: 'Database', resourceType: 'AWS::RDS::DBInstance', details: [engine] })],
    expected: [{ kind: 'ENGINE_VERSION', logicalId: 'Database', before: '16.3', after: '16.4' }],
  },
  {
    name: 'engine version change that also replaces the cluster',
    changes: [change({ logicalId: 'Db', resourceType: 'AWS::RDS::DBCluster', replacement: 'True', details: [{ ...engine, requiresRecreation: 'Always' }] })],
    expected: [
      { kind: 'STATEFUL_REPLACE', logicalId: 'Db', after: 'True' },
      { kind: 'ENGINE_VERSION', logicalId: 'Db' },
    ],
  },
  {
    name: 'queue removed',
    changes: [change({ action: 'Remove', logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', replacement: null })],
    expected: [{ kind: 'STATEFUL_REMOVE', logicalId: 'Jobs' }],
  },
  {
    name: 'secret replaced conditionally',
    changes: [change({ logicalId: 'DbSecret', resourceType: 'AWS::SecretsManager::Secret', replacement: 'Conditional' })],
    expected: [{ kind: 'STATEFUL_REPLACE', logicalId: 'DbSecret', after: 'Conditional' }],
  },
  {
    name: 'log group removed',
    changes: [change({ action: 'Remove', logicalId: 'Logs', resourceType: 'AWS::Logs::LogGroup', replacement: null })],
    expected: [{ kind: 'STATEFUL_REMOVE', logicalId: 'Logs' }],
  },
  {
    name: 'KMS key replaced',
    changes: [change({ logicalId: 'Key', resourceType: 'AWS::KMS::Key', replacement: 'True' })],
    expected: [{ kind: 'STATEFUL_REPLACE', logicalId: 'Key' }],
  },
  {
    name: 'DynamoDB table removed',
    changes: [change({ action: 'Remove', logicalId: 'T', resourceType: 'AWS::DynamoDB::Table', replacement: null })],
    expected: [{ kind: 'STATEFUL_REMOVE', logicalId: 'T' }],
  },
  {
    name: 'stateful resource modified in place: no warning',
    changes: [change({ logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', replacement: 'False' })],
    expected: [],
  },
  {
    name: 'stateful resource added: no warning',
    changes: [change({ action: 'Add', logicalId: 'Jobs', resourceType: 'AWS::SQS::Queue', replacement: null })],
    expected: [],
  },
  {
    name: 'stateless resource replaced: no warning',
    changes: [change({ logicalId: 'ApiVersion', resourceType: 'AWS::Lambda::Version', replacement: 'True' })],
    expected: [],
  },
  {
    name: 'stateless resource removed: no warning',
    changes: [change({ action: 'Remove', logicalId: 'Alarm', resourceType: 'AWS::CloudWatch::Alarm', replacement: null })],
    expected: [],
  },
  {
    name: 'IAM role added',
    changes: [change({ action: 'Add', logicalId: 'NewRole', resourceType: 'AWS::IAM::Role', replacement: null })],
    expected: [{ kind: 'IAM', logicalId: 'NewRole', action: 'Add' }],
  },
  {
    name: 'IAM policy modified',
    changes: [change({ logicalId: 'ApiPolicy', resourceType: 'AWS::IAM::ManagedPolicy' })],
    expected: [{ kind: 'IAM', logicalId: 'ApiPolicy', action: 'Modify' }],
  },
  {
    name: 'IAM role removed',
    changes: [change({ action: 'Remove', logicalId: 'OldRole', resourceType: 'AWS::IAM::Role', replacement: null })],
    expected: [{ kind: 'IAM', logicalId: 'OldRole', action: 'Remove' }],
  },
  {
    name: 'engine version unchanged value (tag-only change on the database): no warning',
    changes: [
      change({
        logicalId: 'Database',
        resourceType: 'AWS::RDS::DBInstance',
        details: [detail({ attribute: 'Tags', name: null, beforeValue: 'a', afterValue: 'b' })],
      }),
    ],
    expected: [],
  },
  {
    name: 'code-only change: no warning',
    changes: [change({ logicalId: 'ApiFunction', details: [detail({ name: 'Code', path: '/Properties/Code/S3Key', beforeValue: 'a', afterValue: 'b' })] })],
    expected: [],
  },
  {
    name: 'several, most dangerous first',
    changes: [
      change({ action: 'Add', logicalId: 'ARole', resourceType: 'AWS::IAM::Role', replacement: null }),
      change({ logicalId: 'Database', resourceType: 'AWS::RDS::DBInstance', details: [engine] }),
      change({ action: 'Remove', logicalId: 'Queue', resourceType: 'AWS::SQS::Queue', replacement: null }),
    ],
    expected: [
      { kind: 'STATEFUL_REMOVE', logicalId: 'Queue' },
      { kind: 'ENGINE_VERSION', logicalId: 'Database' },
      { kind: 'IAM', logicalId: 'ARole' },
    ],
  },
];

describe('planWarnings', () => {
  it.each(cases)('$name', ({ changes, expected }) => {
    const warnings = planWarnings(buildDiff(changes).rows);
    expect(warnings).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(warnings[i]).toMatchObject(e));
  });
});

describe('requiresTypedConfirmation', () => {
  const warning: PlanWarning = { kind: 'IAM', logicalId: 'R', resourceType: 'AWS::IAM::Role', action: 'Add', before: null, after: null };
  it.each([
    { env: 'PROD' as const, warnings: [warning], expected: true },
    { env: 'PROD' as const, warnings: [], expected: false },
    { env: 'STAGING' as const, warnings: [warning], expected: false },
    { env: 'DEV' as const, warnings: [warning], expected: false },
  ])('$env with $warnings.length warning(s): $expected', ({ env, warnings, expected }) => {
    expect(requiresTypedConfirmation(env, warnings)).toBe(expected);
  });
});
