import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cidrsOverlap,
  cidrSubnets,
  creationOrder,
  dependencyGraph,
  evaluate,
  evaluateCondition,
  evaluateConditions,
  outputsFor,
  parseParameterFile,
  pruneConditionals,
  referencedResources,
  resolveParameters,
  resourcesFor,
  TemplateError,
  type TemplateModel,
} from '@/lib/deployments/template-model';
import { parseTemplate } from '@/lib/deployments/template-parse';

const loadTemplate = (file: string) => parseTemplate(readFileSync(file, 'utf8'));

const SHORT_FORMS = `
AWSTemplateFormatVersion: 2010-09-09
Parameters:
  Env: { Type: String, AllowedValues: [dev, prod], Default: dev }
  Cidr: { Type: String, Default: 10.0.0.0/16, AllowedPattern: "^10\\\\.[0-9]+\\\\.0\\\\.0/16$" }
  Count: { Type: Number, Default: 2, MinValue: 1, MaxValue: 3 }
  Zones: { Type: CommaDelimitedList, Default: "a, b" }
Mappings:
  Size: { dev: { Mem: 128 }, prod: { Mem: 512 } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref Count, 2]]
  Either: !Or [!Condition IsProd, !Equals ["a", !Select [0, !Ref Zones]]]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "app-\${Env}-\${AWS::Region}"
      Tagged: !Sub ["\${X}-\${!Literal}", { X: !Ref Env }]
      Arn: !GetAtt Role.Arn
      Nested: !GetAtt Db.Endpoint.Address
      Long: !GetAtt [Role, RoleId]
      Picked: !If [IsProd, big, small]
      Azs: !GetAZs ""
      Joined: !Join ["-", [a, !Ref Env]]
      Split: !Split [",", "x,y"]
      Mem: !FindInMap [Size, !Ref Env, Mem]
      Imported: !ImportValue shared-vpc
      Encoded: !Base64 "hi"
      Subnets: !Cidr [!Ref Cidr, 3, 8]
      Gone: !If [IsProd, kept, !Ref AWS::NoValue]
  Role:
    Type: AWS::IAM::Role
    Condition: IsProd
    Properties: { Name: !Ref Bucket }
  Db:
    Type: AWS::RDS::DBInstance
    DependsOn: [Bucket]
    DeletionPolicy: Snapshot
    Properties: {}
Outputs:
  Url: { Value: !Sub "https://\${Bucket}", Export: { Name: !Sub "\${AWS::StackName}-Url" } }
  RoleArn: { Condition: IsProd, Value: !GetAtt Role.Arn }
`;

function model(): TemplateModel {
  return parseTemplate(SHORT_FORMS);
}

describe('parseTemplate', () => {
  it('turns every short-form tag into the long form CloudFormation documents', () => {
    const bucket = model().resources.find((r) => r.logicalId === 'Bucket')!;
    expect(bucket.properties).toEqual({
      BucketName: { 'Fn::Sub': 'app-${Env}-${AWS::Region}' },
      Tagged: { 'Fn::Sub': ['${X}-${!Literal}', { X: { Ref: 'Env' } }] },
      Arn: { 'Fn::GetAtt': ['Role', 'Arn'] },
      Nested: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
      Long: { 'Fn::GetAtt': ['Role', 'RoleId'] },
      Picked: { 'Fn::If': ['IsProd', 'big', 'small'] },
      Azs: { 'Fn::GetAZs': '' },
      Joined: { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] },
      Split: { 'Fn::Split': [',', 'x,y'] },
      Mem: { 'Fn::FindInMap': ['Size', { Ref: 'Env' }, 'Mem'] },
      Imported: { 'Fn::ImportValue': 'shared-vpc' },
      Encoded: { 'Fn::Base64': 'hi' },
      Subnets: { 'Fn::Cidr': [{ Ref: 'Cidr' }, 3, 8] },
      Gone: { 'Fn::If': ['IsProd', 'kept', { Ref: 'AWS::NoValue' }] },
    });
    expect(model().conditions).toEqual({
      IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
      NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      Both: { 'Fn::And': [{ Condition: 'IsProd' }, { 'Fn::Equals': [{ Ref: 'Count' }, 2] }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['a', { 'Fn::Select': [0, { Ref: 'Zones' }] }] }] },
    });
  });

  it('returns parameters with their constraints, resources with condition and policies, and outputs', () => {
    const m = model();
    expect(m.parameters.map((p) => [p.name, p.type, p.default, p.allowedValues, p.allowedPattern])).toEqual([
      ['Env', 'String', 'dev', ['dev', 'prod'], undefined],
      ['Cidr', 'String', '10.0.0.0/16', undefined, '^10\\.[0-9]+\\.0\\.0/16$'],
      ['Count', 'Number', '2', undefined, undefined],
      ['Zones', 'CommaDelimitedList', 'a, b', undefined, undefined],
    ]);
    expect(m.resources.map((r) => [r.logicalId, r.type, r.condition, r.dependsOn, r.deletionPolicy])).toEqual([
      ['Bucket', 'AWS::S3::Bucket', undefined, [], undefined],
      ['Role', 'AWS::IAM::Role', 'IsProd', [], undefined],
      ['Db', 'AWS::RDS::DBInstance', undefined, ['Bucket'], 'Snapshot'],
    ]);
    expect(m.outputs).toEqual([
      {
        name: 'Url',
        value: { 'Fn::Sub': 'https://${Bucket}' },
        description: undefined,
        condition: undefined,
        exportName: { 'Fn::Sub': '${AWS::StackName}-Url' },
      },
      { name: 'RoleArn', value: { 'Fn::GetAtt': ['Role', 'Arn'] }, description: undefined, condition: 'IsProd', exportName: undefined },
    ]);
  });

  it('reads JSON templates too', () => {
    const m = parseTemplate(JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': 'q-${AWS::Region}' } } } } }));
    expect(m.resources[0]).toMatchObject({ logicalId: 'Q', properties: { QueueName: { 'Fn::Sub': 'q-${AWS::Region}' } } });
  });

  it.each([
    ['broken YAML', 'Resources: [unclosed', /not valid YAML/],
    ['an unknown tag', 'Resources:\n  A: { Type: X, Properties: { P: !Nope x } }', /not valid YAML/],
    ['duplicate keys', 'Resources:\n  A: { Type: X }\n  A: { Type: Y }', /not valid YAML/],
    ['no resources', 'Parameters: {}', /no Resources/],
    ['a resource without type', 'Resources:\n  A: { Properties: {} }', /resource A has no Type/],
    ['an unknown condition', 'Resources:\n  A: { Type: X, Condition: Nope }', /unknown condition Nope/],
    ['DependsOn an unknown resource', 'Resources:\n  A: { Type: X, DependsOn: B }', /depends on unknown B/],
    ['a GetAtt without attribute', 'Resources:\n  A: { Type: X, Properties: { P: !GetAtt B } }', /LogicalId.Attribute/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseTemplate(text)).toThrow(message);
  });
});

describe('resolveParameters', () => {
  it('applies defaults and keeps given values as strings', () => {
    expect(resolveParameters(model(), { Env: 'prod', Count: 3 })).toEqual({ Env: 'prod', Cidr: '10.0.0.0/16', Count: '3', Zones: 'a, b' });
  });

  it.each([
    [{ Env: 'qa' }, /Env="qa" is not one of dev, prod/],
    [{ Cidr: '192.168.0.0/16' }, /does not match/],
    [{ Count: 4 }, /above 3/],
    [{ Count: 'two' }, /not a number/],
    [{ Nope: 'x' }, /unknown parameter Nope/],
  ])('refuses %j', (given, message) => {
    expect(() => resolveParameters(model(), given)).toThrow(message);
  });

  it('requires a value for a parameter without default', () => {
    const m = parseTemplate('Parameters:\n  Bucket: { Type: String }\nResources:\n  A: { Type: X }');
    expect(() => resolveParameters(m, {})).toThrow('parameter Bucket needs a value');
  });
});

describe('parseParameterFile', () => {
  it('reads [{ParameterKey, ParameterValue}] and refuses anything else', () => {
    expect(parseParameterFile('[{"ParameterKey":"Env","ParameterValue":"dev"}]')).toEqual({ Env: 'dev' });
    expect(() => parseParameterFile('{"Env":"dev"}')).toThrow(/list/);
    expect(() => parseParameterFile('[{"ParameterKey":"Env"}]')).toThrow(/bad parameter file entry/);
    expect(() => parseParameterFile('[{"ParameterKey":"E","ParameterValue":"a"},{"ParameterKey":"E","ParameterValue":"b"}]')).toThrow(/given twice/);
  });
});

describe('evaluate', () => {
  const m = model();
  const dev = resolveParameters(m, {});
  const prod = resolveParameters(m, { Env: 'prod' });
  const bucket = m.resources.find((r) => r.logicalId === 'Bucket')!.properties;

  it('evaluates the intrinsics that depend only on parameters and pseudo parameters', () => {
    const ctx = { parameters: prod, region: 'eu-central-1', stackName: 'serverless-prod' };
    expect(evaluate(m, bucket.BucketName!, ctx)).toBe('app-prod-eu-central-1');
    expect(evaluate(m, bucket.Tagged!, ctx)).toBe('prod-${Literal}');
    expect(evaluate(m, bucket.Picked!, ctx)).toBe('big');
    expect(evaluate(m, bucket.Azs!, ctx)).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
    expect(evaluate(m, bucket.Joined!, ctx)).toBe('a-prod');
    expect(evaluate(m, bucket.Split!, ctx)).toEqual(['x', 'y']);
    expect(evaluate(m, bucket.Mem!, ctx)).toBe(512);
    expect(evaluate(m, bucket.Encoded!, ctx)).toBe('aGk=');
    expect(evaluate(m, bucket.Subnets!, ctx)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    expect(evaluate(m, m.outputs[0]!.exportName!, ctx)).toBe('serverless-prod-Url');
    expect(
      evaluate(m, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::x-${AWS::AccountId}' }, { parameters: prod, partition: 'aws-cn', accountId: '111122223333' }),
    ).toBe('arn:aws-cn:s3:::x-111122223333');
  });

  it('drops AWS::NoValue from maps and lists', () => {
    expect(evaluate(m, { Gone: bucket.Gone!, List: [1, { Ref: 'AWS::NoValue' }, 2] }, { parameters: dev })).toEqual({ List: [1, 2] });
    expect(evaluate(m, bucket.Gone!, { parameters: prod })).toBe('kept');
  });

  it('needs the context for resource references and imports, and says which', () => {
    expect(() => evaluate(m, bucket.Arn!, { parameters: prod })).toThrow(new TemplateError('Fn::GetAtt Role.Arn is not known before deployment'));
    expect(() => evaluate(m, { Ref: 'Bucket' }, { parameters: prod })).toThrow('Ref Bucket is not known before deployment');
    expect(() => evaluate(m, bucket.Imported!, { parameters: prod })).toThrow('Fn::ImportValue shared-vpc');
    expect(evaluate(m, bucket.Nested!, { parameters: prod, getAtt: (id, attr) => `${id}/${attr}` })).toBe('Db/Endpoint.Address');
    expect(evaluate(m, m.outputs[0]!.value, { parameters: prod, ref: (id) => `${id.toLowerCase()}-physical` })).toBe('https://bucket-physical');
    expect(evaluate(m, { 'Fn::Sub': '${Role.Arn}' }, { parameters: prod, getAtt: () => 'arn:aws:iam::1:role/r' })).toBe('arn:aws:iam::1:role/r');
  });

  it('reports malformed intrinsics', () => {
    expect(() => evaluate(m, { 'Fn::Select': [5, ['a']] }, { parameters: dev })).toThrow(/out of range/);
    expect(() => evaluate(m, { 'Fn::FindInMap': ['Size', 'qa', 'Mem'] }, { parameters: dev })).toThrow(/Size.qa.Mem does not exist/);
    expect(() => evaluate(m, { 'Fn::Cidr': ['10.0.0.0/24', 2, 8] }, { parameters: dev })).toThrow(/do not fit/);
    expect(() => evaluate(m, { 'Fn::Transform': {} }, { parameters: dev })).toThrow(/not supported/);
  });
});

describe('conditions and the resources of an environment', () => {
  const m = model();

  it('evaluates conditions, including ones built on other conditions and list parameters', () => {
    expect(evaluateConditions(m, resolveParameters(m, {}))).toEqual({ IsProd: false, NotProd: true, Both: false, Either: true });
    expect(evaluateConditions(m, resolveParameters(m, { Env: 'prod', Zones: 'b,c' }))).toEqual({ IsProd: true, NotProd: false, Both: true, Either: true });
    expect(evaluateCondition(m, 'Either', resolveParameters(m, { Zones: 'b,c' }))).toBe(false);
  });

  it('refuses a condition that refers to itself', () => {
    const loop = parseTemplate('Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]\nResources:\n  R: { Type: X, Condition: A }');
    expect(() => evaluateCondition(loop, 'A', {})).toThrow(/refers to itself/);
  });

  it('lists the resources and outputs that exist for the parameters', () => {
    expect(resourcesFor(m, resolveParameters(m, {})).map((r) => r.logicalId)).toEqual(['Bucket', 'Db']);
    expect(resourcesFor(m, resolveParameters(m, { Env: 'prod' })).map((r) => r.logicalId)).toEqual(['Bucket', 'Role', 'Db']);
    expect(outputsFor(m, resolveParameters(m, {})).map((o) => o.name)).toEqual(['Url']);
  });

  it('prunes the untaken branches of Fn::If', () => {
    const bucket = m.resources[0]!.properties;
    expect(pruneConditionals(m, { p: bucket.Picked!, g: bucket.Gone!, keep: { Ref: 'Env' } }, resolveParameters(m, {}))).toEqual({
      p: 'small',
      keep: { Ref: 'Env' },
    });
  });
});

describe('dependencies and creation order', () => {
  const m = model();

  it('finds references through Ref, GetAtt and Sub (not Sub variables or parameters)', () => {
    expect(referencedResources(m, { a: { Ref: 'Bucket' }, b: { 'Fn::Sub': ['${Role.Arn}/${X}/${Env}', { X: { Ref: 'Db' } }] } }).sort()).toEqual([
      'Bucket',
      'Db',
      'Role',
    ]);
  });

  it('orders creation after dependencies, and a reference to a resource that does not exist is an error', () => {
    const prod = resolveParameters(m, { Env: 'prod' });
    // Bucket refers to Role (GetAtt) and Role to Bucket: a cycle CloudFormation would refuse.
    expect(() => creationOrder(m, prod)).toThrow(/dependency cycle: (Bucket -> Role -> Bucket|Role -> Bucket -> Role)/);
    expect(() => dependencyGraph(m, resolveParameters(m, {}))).toThrow('Bucket refers to Role, which does not exist with these parameters');

    const ok = parseTemplate(`
Resources:
  C: { Type: X, Properties: { A: !GetAtt A.Arn, B: !Sub "\${B}" } }
  A: { Type: X }
  B: { Type: X, DependsOn: A }
`);
    expect(creationOrder(ok, {})).toEqual(['A', 'B', 'C']);
  });
});

describe('CIDR helpers', () => {
  it('carves and compares IPv4 blocks', () => {
    expect(cidrSubnets('10.20.0.0/16', 6, 8)).toEqual(['10.20.0.0/24', '10.20.1.0/24', '10.20.2.0/24', '10.20.3.0/24', '10.20.4.0/24', '10.20.5.0/24']);
    expect(cidrsOverlap('10.20.0.0/16', '10.20.5.0/24')).toBe(true);
    expect(cidrsOverlap('10.20.4.0/24', '10.20.5.0/24')).toBe(false);
    expect(cidrsOverlap('0.0.0.0/0', '192.168.1.0/24')).toBe(true);
    expect(() => cidrsOverlap('10.20.0.1/24', '10.0.0.0/8')).toThrow(/host bits/);
  });
});

describe('the serverless template', () => {
  it('tells which resources an environment gets from the Environment alone (defaults for the rest: egress through the proxy)', () => {
    const m = loadTemplate(path.join(__dirname, 'template.yaml'));
    expect(() => resolveParameters(m, { Environment: 'prod' })).toThrow('parameter ArtifactBucket needs a value');
    const ids = (env: string, more: Record<string, string> = {}) =>
      resourcesFor(m, resolveParameters(m, { Environment: env, ...more }, { requireAll: false })).map((r) => r.logicalId);
    for (const env of ['dev', 'prod']) {
      expect(ids(env)).toEqual(expect.arrayContaining(['EgressProxyEndpoint', 'Database', 'ApiAlias']));
      expect(ids(env).filter((id) => /^(InternetGateway|Nat|Public)/.test(id))).toEqual([]);
    }
    // NAT only when chosen explicitly: one gateway, two in prod.
    expect(ids('prod', { EgressMode: 'nat' })).toEqual(expect.arrayContaining(['InternetGateway', 'NatGatewayA', 'NatGatewayB', 'Database', 'ApiAlias']));
    expect(ids('dev', { EgressMode: 'nat' })).toContain('NatGatewayA');
    expect(ids('dev', { EgressMode: 'nat' })).not.toContain('NatGatewayB');
    expect(ids('prod', { EgressMode: 'nat' }).length - ids('dev', { EgressMode: 'nat' }).length).toBe(2);
  });

  it('loads, and every environment has a creation order CloudFormation accepts', () => {
    const m = loadTemplate(path.join(__dirname, 'template.yaml'));
    for (const env of ['dev', 'staging', 'prod']) {
      const params = resolveParameters(m, { Environment: env, ArtifactBucket: 'b-1', ApiCodeKey: 'a.zip', WorkerCodeKey: 'w.zip', NotifierCodeKey: 'n.zip' });
      const order = creationOrder(m, params);
      expect(order.length).toBe(resourcesFor(m, params).length);
      expect(order.indexOf('Vpc')).toBeLessThan(order.indexOf('PrivateSubnetA'));
      expect(order.indexOf('ApiVersion')).toBeLessThan(order.indexOf('ApiAlias'));
      expect(order.indexOf('ApiDeploymentGroup')).toBeLessThan(order.indexOf('ApiAlias'));
    }
  });
});
