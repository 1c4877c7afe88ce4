import type { RawChangeDetail, RawResourceChange } from '@/lib/deployments/model';

// Test fixtures: a change set's rows as CloudFormation describes them, with plain defaults a test
// overrides (a Lambda function modified in place, a property changed directly).

/** One property change of a resource, as DescribeChangeSet details it. */
export const changeDetail = (d: Partial<RawChangeDetail>): RawChangeDetail => ({
  attribute: 'Properties',
  name: null,
  path: null,
  requiresRecreation: 'Never',
  beforeValue: null,
  afterValue: null,
  attributeChangeType: 'Modify',
  evaluation: 'Static',
  changeSource: 'DirectModification',
  causingEntity: null,
  ...d,
});

/** One resource's change, as DescribeChangeSet lists it. */
export const resourceChange = (c: Partial<RawResourceChange>): RawResourceChange => ({
  action: 'Modify',
  logicalId: 'X',
  physicalId: null,
  resourceType: 'AWS::Lambda::Function',
  replacement: 'False',
  scope: ['Properties'],
  details: [],
  beforeContext: null,
  afterContext: null,
  ...c,
});
