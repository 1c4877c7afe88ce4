import { describe, expect, it } from 'vitest';
import { buildDiff, describeSummary } from '@/lib/deployments/diff';
import { changeDetail, resourceChange } from '@/lib/deployments/change-set-fixtures';

const detail = changeDetail;
const change = resourceChange;

describe('buildDiff', () => {
  const changes = [
    change({ action: 'Add', logicalId: 'NewQueue', resourceType: 'AWS::SQS::Queue', replacement: null, afterContext: '{"Properties":{"QueueName":"q"}}' }),
    change({
      logicalId: 'ApiFunction',
      details: [detail({ name: 'Code', path: '/Properties/Code/S3Key', beforeValue: 'api/old.zip', afterValue: 'api/new.zip' })],
    }),
    change({
      logicalId: 'ApiVersion',
      resourceType: 'AWS::Lambda::Version',
      replacement: 'True',
      details: [
        detail({ name: 'Description', path: '/Properties/Description', requiresRecreation: 'Always', beforeValue: 'old', afterValue: 'new' }),
        detail({ name: 'Description', path: '/Properties/Description', requiresRecreation: 'Always', beforeValue: 'old', afterValue: 'new' }),
      ],
    }),
    change({
      logicalId: 'ApiAlias',
      resourceType: 'AWS::Lambda::Alias',
      replacement: 'Conditional',
      details: [
        detail({
          name: 'FunctionVersion',
          evaluation: 'Dynamic',
          changeSource: 'ResourceAttribute',
          causingEntity: 'ApiVersion.Version',
          afterValue: '{{changeSet:KNOWN_AFTER_APPLY}}',
        }),
      ],
    }),
    change({
      action: 'Remove',
      logicalId: 'NatGatewayB',
      resourceType: 'AWS::EC2::NatGateway',
      replacement: null,
      physicalId: 'nat-0abc',
      beforeContext: '{"Properties":{"SubnetId":"subnet-1"}}',
    }),
  ];

  it('puts removals first, then replacements, then other modifications, then additions', () => {
    const diff = buildDiff(changes);
    expect(diff.rows.map((r) => `${r.action}:${r.logicalId}:${r.replacement ?? '-'}`)).toEqual([
      'Remove:NatGatewayB:-',
      'Modify:ApiVersion:True',
      'Modify:ApiAlias:Conditional',
      'Modify:ApiFunction:False',
      'Add:NewQueue:-',
    ]);
    expect(diff.summary).toEqual({ add: 1, modify: 3, remove: 1, replace: 1, conditional: 1 });
    expect(describeSummary(diff.summary)).toBe('1 to add, 3 to modify (1 replaced, 1 maybe), 1 to remove');
  });

  it('keeps each property change once with its before and after values and what causes it', () => {
    const rows = buildDiff(changes).rows;
    const version = rows.find((r) => r.logicalId === 'ApiVersion')!;
    expect(version.properties).toHaveLength(1);
    expect(version.properties[0]).toMatchObject({ name: 'Description', requiresRecreation: 'Always', before: 'old', after: 'new' });
    const alias = rows.find((r) => r.logicalId === 'ApiAlias')!;
    expect(alias.properties[0]).toMatchObject({ evaluation: 'Dynamic', causingEntity: 'ApiVersion.Version', after: '{{changeSet:KNOWN_AFTER_APPLY}}' });
  });

  it('shows the whole resource for an addition or a removal', () => {
    const rows = buildDiff(changes).rows;
    expect(rows.find((r) => r.action === 'Add')!.after).toBe(JSON.stringify({ Properties: { QueueName: 'q' } }, null, 2));
    expect(rows.find((r) => r.action === 'Remove')!.before).toContain('subnet-1');
  });
});
