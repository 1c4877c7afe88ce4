// The local sandbox's CloudFormation engine, as pure functions: what a template gives each resource,
// how that differs from what a stack has (a change set), and how an execution unfolds over time
// (its events). lib/server/sandbox/cloudformation.ts stores the stacks and calls these.
import { createHash } from 'node:crypto';
import {
  creationOrder,
  dependencyGraph,
  evaluate,
  resourcesFor,
  type Json,
  type JsonObject,
  type ParameterValues,
  type TemplateModel,
} from '@/lib/deployments/template-model';
import type { RawChangeDetail, RawResourceChange } from '@/lib/deployments/model';
import { shiftSteps } from '@/lib/deployments/traffic';

/**
 * Properties whose change makes CloudFormation replace the resource ("Update requires:
 * Replacement" in each resource type's documentation), for the types the serverless template
 * uses. '*' : every property (the resource is immutable). Types not listed update in place.
 */
export const REPLACEMENT_PROPERTIES: Record<string, readonly string[] | '*'> = {
  'AWS::EC2::VPC': ['CidrBlock', 'InstanceTenancy', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength'],
  'AWS::EC2::Subnet': ['AvailabilityZone', 'AvailabilityZoneId', 'CidrBlock', 'VpcId', 'Ipv6Native'],
  'AWS::EC2::RouteTable': ['VpcId'],
  'AWS::EC2::Route': ['RouteTableId', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'],
  'AWS::EC2::SubnetRouteTableAssociation': ['SubnetId'],
  'AWS::EC2::EIP': ['Domain', 'NetworkBorderGroup', 'PublicIpv4Pool', 'Address'],
  'AWS::EC2::NatGateway': ['AllocationId', 'ConnectivityType', 'PrivateIpAddress', 'SubnetId'],
  'AWS::EC2::NetworkAcl': ['VpcId'],
  'AWS::EC2::NetworkAclEntry': ['NetworkAclId', 'RuleNumber', 'Egress'],
  'AWS::EC2::SubnetNetworkAclAssociation': ['SubnetId', 'NetworkAclId'],
  'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
  'AWS::EC2::SecurityGroupEgress': [
    'GroupId',
    'IpProtocol',
    'FromPort',
    'ToPort',
    'CidrIp',
    'CidrIpv6',
    'DestinationPrefixListId',
    'DestinationSecurityGroupId',
  ],
  'AWS::EC2::SecurityGroupIngress': [
    'GroupId',
    'GroupName',
    'IpProtocol',
    'FromPort',
    'ToPort',
    'CidrIp',
    'CidrIpv6',
    'SourcePrefixListId',
    'SourceSecurityGroupId',
    'SourceSecurityGroupName',
    'SourceSecurityGroupOwnerId',
  ],
  'AWS::EC2::VPCEndpoint': ['ServiceName', 'VpcEndpointType', 'VpcId'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SecretsManager::SecretTargetAttachment': ['SecretId'],
  'AWS::RDS::DBSubnetGroup': ['DBSubnetGroupName'],
  'AWS::RDS::DBInstance': [
    'DBInstanceIdentifier',
    'DBName',
    'Engine',
    'KmsKeyId',
    'MasterUsername',
    'StorageEncrypted',
    'DBSubnetGroupName',
    'CharacterSetName',
    'SourceDBInstanceIdentifier',
  ],
  'AWS::RDS::DBProxy': ['DBProxyName', 'EngineFamily'],
  'AWS::RDS::DBProxyTargetGroup': ['DBProxyName', 'TargetGroupName'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::SQS::Queue': ['QueueName', 'FifoQueue'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::Lambda::Function': ['FunctionName', 'PackageType'],
  'AWS::Lambda::Version': '*',
  'AWS::Lambda::Alias': ['FunctionName', 'Name'],
  'AWS::Lambda::EventSourceMapping': ['EventSourceArn', 'StartingPosition', 'StartingPositionTimestamp', 'SelfManagedEventSource'],
  'AWS::Lambda::Permission': '*',
  'AWS::ApiGatewayV2::Api': ['ProtocolType'],
  'AWS::ApiGatewayV2::Integration': ['ApiId'],
  'AWS::ApiGatewayV2::Route': ['ApiId'],
  'AWS::ApiGatewayV2::Stage': ['ApiId', 'StageName'],
  'AWS::CodeDeploy::Application': ['ApplicationName', 'ComputePlatform'],
  'AWS::CodeDeploy::DeploymentGroup': ['ApplicationName', 'DeploymentGroupName'],
  'AWS::SNS::Topic': ['TopicName', 'FifoTopic'],
  'AWS::SNS::Subscription': ['Endpoint', 'Protocol', 'TopicArn'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudWatch::CompositeAlarm': ['AlarmName'],
};

/** Whether changing `property` of a resource of `type` replaces it. */
export function requiresReplacement(type: string, property: string): boolean {
  const props = REPLACEMENT_PROPERTIES[type];
  return props === '*' ? property !== 'ProvisionedConcurrencyConfig' : (props?.includes(property) ?? false);
}

export const KNOWN_AFTER_APPLY = '{{changeSet:KNOWN_AFTER_APPLY}}';

// ---------------------------------------------------------------------------------------------
// What the template gives each resource

/** A reference to another resource inside an evaluated value: {{Id}} (Ref) or {{Id.Attribute}} (GetAtt). */
const TOKEN = /\{\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}\}/g;

function serviceOf(type: string): string {
  return (type.split('::')[1] ?? 'cloudformation').toLowerCase().replace('apigatewayv2', 'apigateway').replace('cloudwatch', 'cloudwatch');
}

function kindOf(type: string): string {
  return (type.split('::')[2] ?? 'resource').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

export interface Account {
  accountId: string;
  region: string;
}

/** The resource's properties with every intrinsic evaluated; references to other resources stay as tokens. */
export function symbolicProperties(model: TemplateModel, logicalId: string, parameters: ParameterValues, stackName: string, account: Account): JsonObject {
  const resource = model.resources.find((r) => r.logicalId === logicalId);
  if (!resource) throw new Error(`no resource ${logicalId}`);
  const types = new Map(model.resources.map((r) => [r.logicalId, r.type]));
  const value = evaluate(model, resource.properties, {
    parameters,
    stackName,
    region: account.region,
    accountId: account.accountId,
    ref: (id) => `{{${id}}}`,
    // ARN attributes keep the ARN's shape (a template may split them), with the resource's token as its last part;
    // a VPC endpoint's DnsEntries keeps its shape too: a list of "<hosted zone id>:<DNS name>".
    getAtt: (id, attr) =>
      /Arn$/.test(attr)
        ? `arn:aws:${serviceOf(types.get(id) ?? '')}:${account.region}:${account.accountId}:${kindOf(types.get(id) ?? '')}:{{${id}}}`
        : attr === 'DnsEntries'
          ? [`Z7HUB22UULQXV:{{${id}.DnsName}}`]
          : `{{${id}.${attr}}}`,
  });
  return (value ?? {}) as JsonObject;
}

export interface TargetResource {
  type: string;
  properties: JsonObject;
}

/** Every resource the template gives the stack with these parameters, in creation order, and each one's wave (0 = depends on nothing). */
export function targetResources(
  model: TemplateModel,
  parameters: ParameterValues,
  stackName: string,
  account: Account,
): { resources: Record<string, TargetResource>; order: string[]; levels: Record<string, number> } {
  const order = creationOrder(model, parameters);
  const graph = dependencyGraph(model, parameters);
  const types = new Map(resourcesFor(model, parameters).map((r) => [r.logicalId, r.type]));
  const resources: Record<string, TargetResource> = {};
  const levels: Record<string, number> = {};
  for (const id of order) {
    resources[id] = { type: types.get(id)!, properties: symbolicProperties(model, id, parameters, stackName, account) };
    levels[id] = Math.max(-1, ...(graph.get(id) ?? []).map((d) => levels[d] ?? 0)) + 1;
  }
  return { resources, order, levels };
}

// ---------------------------------------------------------------------------------------------
// Physical resources

function hashHex(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

const EC2_PREFIX: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc-',
  'AWS::EC2::Subnet': 'subnet-',
  'AWS::EC2::InternetGateway': 'igw-',
  'AWS::EC2::RouteTable': 'rtb-',
  'AWS::EC2::NatGateway': 'nat-',
  'AWS::EC2::NetworkAcl': 'acl-',
  'AWS::EC2::SecurityGroup': 'sg-',
  'AWS::EC2::VPCEndpoint': 'vpce-',
  'AWS::EC2::EIP': 'eipalloc-',
  'AWS::EC2::SecurityGroupIngress': 'sgr-',
  'AWS::EC2::SecurityGroupEgress': 'sgr-',
};

const NAME_PROPERTY: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::CompositeAlarm': 'AlarmName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::RDS::DBProxy': 'DBProxyName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::CodeDeploy::Application': 'ApplicationName',
  'AWS::CodeDeploy::DeploymentGroup': 'DeploymentGroupName',
};

/**
 * The physical id CloudFormation would give the resource: an EC2-style id, the name the template
 * sets, or "<stack>-<LogicalId>-<random>"; derived from the stack, the id and the generation (a
 * replacement is a new generation), so the sandbox is deterministic.
 */
export function physicalIdFor(stackName: string, logicalId: string, type: string, generation: number, properties: JsonObject, account: Account): string {
  const h = hashHex(stackName, logicalId, generation);
  const prefix = EC2_PREFIX[type];
  if (prefix) return `${prefix}${h.slice(0, 17)}`;
  const nameProp = NAME_PROPERTY[type];
  const named = nameProp ? properties[nameProp] : undefined;
  const generated = `${stackName}-${logicalId}-${h.slice(0, 12).toUpperCase()}`.slice(0, 64);
  const name = typeof named === 'string' && !named.includes('{{') ? named : generated;
  switch (type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${account.region}.amazonaws.com/${account.accountId}/${name}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${account.region}:${account.accountId}:${name}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${account.region}:${account.accountId}:secret:${name}-${h.slice(12, 18)}`;
    case 'AWS::Lambda::Version':
      return `arn:aws:lambda:${account.region}:${account.accountId}:function:${stackName}-${logicalId}:${generation}`;
    default:
      return name;
  }
}

export interface PhysicalResource {
  type: string;
  physicalId: string;
  generation: number;
}

/** The value of `{{Id}}` / `{{Id.Attribute}}` for an existing resource. */
export function attributeValue(r: PhysicalResource, attribute: string | null, account: Account): string {
  if (attribute === null) return r.physicalId;
  if (/Arn$/.test(attribute))
    return r.physicalId.startsWith('arn:')
      ? r.physicalId
      : `arn:aws:${serviceOf(r.type)}:${account.region}:${account.accountId}:${kindOf(r.type)}:${r.physicalId}`;
  switch (attribute) {
    case 'Version':
      return String(r.generation);
    case 'ApiEndpoint':
      return `https://${hashHex(r.physicalId).slice(0, 10)}.execute-api.${account.region}.amazonaws.com`;
    case 'Endpoint':
    case 'Endpoint.Address':
      return `${r.physicalId.toLowerCase()}.${attribute === 'Endpoint' ? 'proxy-' : ''}c0ffee${hashHex(r.physicalId).slice(0, 6)}.${account.region}.rds.amazonaws.com`;
    case 'Endpoint.Port':
      return '5432';
    case 'QueueName':
      return r.physicalId.split('/').at(-1) ?? r.physicalId;
    case 'DnsName':
      return `${r.physicalId}-${hashHex(r.physicalId).slice(0, 8)}.${account.region}.vpce.amazonaws.com`;
    default:
      return r.physicalId;
  }
}

/** Replaces every token with the referenced resource's value; unknown ones (not created yet) become KNOWN_AFTER_APPLY. */
export function materialize(value: Json, lookup: (logicalId: string, attribute: string | null) => string | undefined): Json {
  if (typeof value === 'string') return value.replace(TOKEN, (_m, id: string, attr?: string) => lookup(id, attr ?? null) ?? KNOWN_AFTER_APPLY);
  if (Array.isArray(value)) return value.map((v) => materialize(v, lookup));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v, lookup)]));
  return value;
}

/** The resources a value refers to: logical id -> the attributes used (null for Ref). */
function tokensIn(value: Json): Map<string, Set<string | null>> {
  const found = new Map<string, Set<string | null>>();
  for (const m of JSON.stringify(value).matchAll(TOKEN)) {
    const set = found.get(m[1]!) ?? new Set<string | null>();
    set.add(m[2] ?? null);
    found.set(m[1]!, set);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Change sets

export interface StackResource extends PhysicalResource {
  properties: JsonObject;
}

function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function shownValue(v: Json | undefined): string | null {
  if (v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Paths where two values differ, down to the leaves (at most `limit`; then the whole value). */
export function leafDifferences(
  a: Json | undefined,
  b: Json | undefined,
  path: string,
  limit = 8,
): { path: string; before: Json | undefined; after: Json | undefined }[] {
  if (deepEqual(a, b)) return [];
  const isObj = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
  let out: { path: string; before: Json | undefined; after: Json | undefined }[] = [];
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) out.push(...leafDifferences(a[k], b[k], `${path}/${k}`, limit));
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => out.push(...leafDifferences(v, b[i], `${path}/${i}`, limit)));
  } else {
    out = [{ path, before: a, after: b }];
  }
  return out.length > limit ? [{ path, before: a, after: b }] : out;
}

export interface PlannedStep {
  logicalId: string;
  type: string;
  action: 'Add' | 'Modify' | 'Remove';
  replace: boolean;
  /** The wave it runs in (dependencies first); removals run in the clean-up after every wave. */
  level: number;
}

export interface ComputedChangeSet {
  changes: RawResourceChange[];
  steps: PlannedStep[];
}

/**
 * What CloudFormation's change set would say: Add for resources the stack lacks, Remove for those
 * the template no longer has, Modify (with the properties, before and after, whether each forces a
 * replacement) for those whose evaluated properties differ — and, like CloudFormation, Modify with
 * a Dynamic evaluation for resources that refer to one being replaced (their value is known only
 * after it is created).
 */
export function computeChangeSet(
  current: Record<string, StackResource>,
  target: { resources: Record<string, TargetResource>; order: string[]; levels: Record<string, number> },
  account: Account,
): ComputedChangeSet {
  const changes: RawResourceChange[] = [];
  const steps: PlannedStep[] = [];
  const replaced = new Set<string>();
  const existingValue = (id: string, attr: string | null) => {
    const r = current[id];
    return r && !replaced.has(id) ? attributeValue(r, attr, account) : undefined;
  };
  const shown = (v: Json) => materialize(v, existingValue);
  for (const id of target.order) {
    const next = target.resources[id]!;
    const now = current[id];
    if (!now) {
      replaced.add(id);
      changes.push({
        action: 'Add',
        logicalId: id,
        physicalId: null,
        resourceType: next.type,
        replacement: null,
        scope: [],
        details: [],
        beforeContext: null,
        afterContext: JSON.stringify({ Properties: shown(next.properties) }),
      });
      steps.push({ logicalId: id, type: next.type, action: 'Add', replace: false, level: target.levels[id] ?? 0 });
      continue;
    }
    const details: RawChangeDetail[] = [];
    let replacement: 'True' | 'Conditional' | 'False' = now.type !== next.type ? 'True' : 'False';
    const keys = [...new Set([...Object.keys(now.properties), ...Object.keys(next.properties)])];
    for (const key of keys) {
      const before = now.properties[key];
      const after = next.properties[key];
      const recreation = requiresReplacement(next.type, key) ? 'Always' : 'Never';
      const attribute = key === 'Tags' ? 'Tags' : 'Properties';
      for (const diff of leafDifferences(before, after, `/Properties/${key}`)) {
        if (recreation === 'Always') replacement = 'True';
        details.push({
          attribute,
          name: attribute === 'Tags' ? null : key,
          path: diff.path,
          requiresRecreation: recreation,
          beforeValue: shownValue(diff.before === undefined ? undefined : shown(diff.before)),
          afterValue: shownValue(diff.after === undefined ? undefined : shown(diff.after)),
          attributeChangeType: diff.before === undefined ? 'Add' : diff.after === undefined ? 'Remove' : 'Modify',
          evaluation: 'Static',
          changeSource: 'DirectModification',
          causingEntity: null,
        });
      }
      if (after === undefined) continue;
      for (const [ref, attrs] of tokensIn(after)) {
        if (!replaced.has(ref) || !current[ref]) continue;
        if (recreation === 'Always' && replacement === 'False') replacement = 'Conditional';
        for (const attr of attrs) {
          details.push({
            attribute,
            name: attribute === 'Tags' ? null : key,
            path: `/Properties/${key}`,
            requiresRecreation: recreation === 'Always' ? 'Conditionally' : 'Never',
            beforeValue: shownValue(
              before === undefined ? undefined : materialize(before, (i, a) => (current[i] ? attributeValue(current[i], a, account) : undefined)),
            ),
            afterValue: KNOWN_AFTER_APPLY,
            attributeChangeType: 'Modify',
            evaluation: 'Dynamic',
            changeSource: attr === null ? 'ResourceReference' : 'ResourceAttribute',
            causingEntity: attr === null ? ref : `${ref}.${attr}`,
          });
        }
      }
    }
    if (details.length === 0) continue;
    if (replacement !== 'False') replaced.add(id);
    changes.push({
      action: 'Modify',
      logicalId: id,
      physicalId: now.physicalId,
      resourceType: next.type,
      replacement,
      scope: [...new Set(details.map((d) => d.attribute ?? 'Properties'))],
      details,
      beforeContext: JSON.stringify({ Properties: materialize(now.properties, (i, a) => (current[i] ? attributeValue(current[i], a, account) : undefined)) }),
      afterContext: JSON.stringify({ Properties: shown(next.properties) }),
    });
    steps.push({ logicalId: id, type: next.type, action: 'Modify', replace: replacement !== 'False', level: target.levels[id] ?? 0 });
  }
  for (const [id, r] of Object.entries(current)) {
    if (target.resources[id]) continue;
    changes.push({
      action: 'Remove',
      logicalId: id,
      physicalId: r.physicalId,
      resourceType: r.type,
      replacement: null,
      scope: [],
      details: [],
      beforeContext: JSON.stringify({ Properties: materialize(r.properties, (i, a) => (current[i] ? attributeValue(current[i], a, account) : undefined)) }),
      afterContext: null,
    });
    steps.push({ logicalId: id, type: r.type, action: 'Remove', replace: false, level: Number.MAX_SAFE_INTEGER });
  }
  return { changes, steps };
}

// ---------------------------------------------------------------------------------------------
// Executions

export interface SimEvent {
  eventId: string;
  /** The ClientRequestToken of the execution that produced it (none on one-off notes). */
  token?: string;
  at: number;
  logicalId: string;
  physicalId: string | null;
  resourceType: string;
  status: string;
  reason: string | null;
}

/**
 * A simulated CodeDeploy deployment that moves a function's alias `live` to its new version (the
 * alias's CodeDeployLambdaAliasUpdate): CloudFormation's update of the alias waits for it.
 */
export interface ShiftPlan {
  /** The alias resource (ApiAlias) whose update the shift is. */
  aliasId: string;
  functionName: string;
  deploymentId: string;
  /** CodeDeployDefault.Lambda…: the deployment group's configuration. */
  config: string;
  /** The alarms the deployment group watches. */
  alarms: string[];
  fromVersion: string;
  toVersion: string;
}

export interface ExecutionPlan {
  executionId: string;
  kind: 'CREATE' | 'UPDATE';
  stackName: string;
  stackId: string;
  startedAt: number;
  durationMs: number;
  steps: (PlannedStep & { oldPhysicalId: string | null; newPhysicalId: string })[];
  failResource: string | null;
  /** The traffic shifts the execution runs (absent on executions recorded before them). */
  shifts?: ShiftPlan[];
  /** How long one minute of a deployment configuration lasts in the sandbox (GATEHOUSE_SANDBOX_SHIFT_SECONDS_PER_MINUTE). */
  shiftMinuteMs?: number;
}

/** An alarm the shift saw in ALARM: when, which, and CloudWatch's reason. */
export interface AlarmFiring {
  at: number;
  alarm: string;
  reason: string;
}

/** Whether one of the shift's alarms is in ALARM between two times (the first moment it is), or null. */
export type AlarmWatch = (shift: ShiftPlan, from: number, to: number) => AlarmFiring | null;

/** How a shift unfolds: when it starts, each traffic step, and how it ends. */
export interface ShiftTimeline {
  plan: ShiftPlan;
  startAt: number;
  steps: { at: number; weight: number }[];
  endAt: number;
  /** Stopped: by an alarm (the rollback is automatic), or because the stack update failed elsewhere. */
  stop: { at: number; reason: string; alarm: string | null } | null;
  /** The stack rolled back after the shift finished: CloudFormation moved the alias back (at). */
  revertedAt: number | null;
}

export interface SimulatedExecution {
  events: SimEvent[];
  endAt: number;
  finalStatus: string;
  succeeded: boolean;
  shifts: ShiftTimeline[];
}

/** The shift's phases in simulated minutes: traffic moves half a minute after the start (BeforeAllowTraffic), and it ends half a minute after the last step. */
function shiftSchedule(shift: ShiftPlan, startAt: number, minuteMs: number): { steps: { at: number; weight: number }[]; endAt: number } {
  const steps = shiftSteps(shift.config).map((s) => ({ at: startAt + (0.5 + s.afterMinutes) * minuteMs, weight: s.weight }));
  return { steps, endAt: (steps.at(-1)?.at ?? startAt) + 0.5 * minuteMs };
}

const noAlarms: AlarmWatch = () => null;

/** The reason an alias update fails when its shift was stopped by an alarm (CloudFormation's event, the history's reason). */
export function shiftStopReason(shift: ShiftPlan, firing: AlarmFiring): string {
  return `CodeDeploy deployment ${shift.deploymentId} of ${shift.functionName} was stopped by alarm ${firing.alarm} (ALARM: ${firing.reason}) and rolled back automatically: traffic is back on version ${shift.fromVersion}.`;
}

const STACK_TYPE = 'AWS::CloudFormation::Stack';

function fraction(...parts: (string | number)[]): number {
  return parseInt(hashHex(...parts).slice(0, 8), 16) / 0xffffffff;
}

function failureReason(step: { logicalId: string; type: string }, executionId: string): string {
  const requestId = hashHex(executionId, step.logicalId)
    .slice(0, 32)
    .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5');
  const service = (step.type.split('::')[1] ?? 'CloudFormation').replace('ApiGatewayV2', 'ApiGatewayV2');
  return `Resource handler returned message: "Simulated failure in the local sandbox account: ${step.type} ${step.logicalId} refused the change (Service: ${service}, Status Code: 400, Request ID: ${requestId})" (HandlerErrorCode: InvalidRequest)`;
}

/**
 * How an execution unfolds: the stack's IN_PROGRESS event, each changed resource in waves
 * (dependencies first; resources of one wave side by side), the clean-up of removed and replaced
 * resources, and the stack's final status — over `durationMs`. With `failResource`, that resource
 * fails at the end of its wave, what ran beside it is cancelled, and the stack rolls back (deleting
 * what a failed creation made, or restoring what an update changed, then cleaning up).
 */
export function simulateExecution(plan: ExecutionPlan, watch: AlarmWatch = noAlarms): SimulatedExecution {
  const events: SimEvent[] = [];
  const D = plan.durationMs;
  const t0 = plan.startedAt;
  let seq = 0;
  const push = (at: number, logicalId: string, physicalId: string | null, resourceType: string, status: string, reason: string | null = null) => {
    seq++;
    events.push({ eventId: `${plan.executionId}-${String(seq).padStart(4, '0')}`, at: Math.round(at), logicalId, physicalId, resourceType, status, reason });
  };
  const stackEvent = (at: number, status: string, reason: string | null = null) => push(at, plan.stackName, plan.stackId, STACK_TYPE, status, reason);
  const verb = plan.kind;
  stackEvent(t0, `${verb}_IN_PROGRESS`, 'User Initiated');

  const main = plan.steps.filter((s) => s.action !== 'Remove');
  const removals = plan.steps.filter((s) => s.action === 'Remove');
  const waves = [...new Set(main.map((s) => s.level))].sort((a, b) => a - b);
  const cleanupNeeded = removals.length > 0 || main.some((s) => s.replace);
  const mainStart = t0 + 0.02 * D;
  const mainSpan = (cleanupNeeded ? 0.86 : 0.95) * D;
  const slot = mainSpan / Math.max(1, waves.length);
  // A traffic shift holds its alias's update open, and the stack's completion waits for it. The
  // shifts run side by side, and the other resources do not wait (a simplification: in the template
  // only a few resources refer to an alias, and a code-only update does not change them).
  const minuteMs = plan.shiftMinuteMs ?? 1000;
  const shiftOf = new Map((plan.shifts ?? []).map((x) => [x.aliasId, x]));
  const shiftLength = (x: ShiftPlan) => shiftSchedule(x, 0, minuteMs).endAt;
  const timing = new Map<string, { start: number; end: number }>();
  for (const s of main) {
    const w = waves.indexOf(s.level);
    const start = mainStart + w * slot + fraction(plan.executionId, s.logicalId, 's') * 0.1 * slot;
    const end = mainStart + w * slot + (0.75 + fraction(plan.executionId, s.logicalId, 'e') * 0.2) * slot;
    const shift = shiftOf.get(s.logicalId);
    timing.set(s.logicalId, { start, end: shift ? end + shiftLength(shift) : end });
  }
  const totalExtra = Math.max(0, ...main.map((s) => timing.get(s.logicalId)!.end - (mainStart + mainSpan)));
  // The shifts: each starts when its alias would have been updated; an alarm in ALARM while traffic moves stops it.
  const shiftTimes = new Map<string, { startAt: number; steps: { at: number; weight: number }[]; endAt: number; firing: AlarmFiring | null }>();
  for (const x of plan.shifts ?? []) {
    const t = timing.get(x.aliasId);
    if (!t) continue;
    const startAt = t.end - shiftLength(x);
    const schedule = shiftSchedule(x, startAt, minuteMs);
    const firing = watch(x, schedule.steps[0]?.at ?? startAt, schedule.endAt);
    shiftTimes.set(x.aliasId, { startAt, ...schedule, firing });
  }
  let failing = plan.failResource ? main.find((s) => s.logicalId === plan.failResource) : undefined;
  let failAt = failing ? timing.get(failing.logicalId)!.end : Infinity;
  let failText = failing ? failureReason(failing, plan.executionId) : '';
  let stoppedBy: string | null = null;
  for (const [aliasId, st] of shiftTimes) {
    if (!st.firing) continue;
    // CodeDeploy notices the alarm, stops, and moves traffic back; then the alias update fails.
    const at = st.firing.at + 0.25 * minuteMs;
    if (at < failAt) {
      failing = main.find((s) => s.logicalId === aliasId);
      failAt = at;
      failText = shiftStopReason(shiftOf.get(aliasId)!, st.firing);
      stoppedBy = aliasId;
    }
  }
  const startVerb = (s: { action: string }) => (s.action === 'Add' ? 'CREATE' : 'UPDATE');
  const shiftsOut = (stackRollbackAt: number | null): ShiftTimeline[] =>
    [...shiftTimes].flatMap(([aliasId, st]) => {
      if (st.startAt >= failAt && aliasId !== stoppedBy) return [];
      const own = aliasId === stoppedBy && st.firing;
      const cut = !own && failAt < st.endAt;
      return [
        {
          plan: shiftOf.get(aliasId)!,
          startAt: st.startAt,
          steps: st.steps,
          endAt: st.endAt,
          stop: own
            ? { at: st.firing!.at, reason: shiftStopReason(shiftOf.get(aliasId)!, st.firing!), alarm: st.firing!.alarm }
            : cut
              ? {
                  at: failAt,
                  reason: `The stack update failed on ${failing?.logicalId ?? 'another resource'}: CloudFormation stopped the shift and traffic went back.`,
                  alarm: null,
                }
              : null,
          revertedAt: !own && !cut && stackRollbackAt !== null ? stackRollbackAt : null,
        },
      ];
    });

  const started: typeof main = [];
  for (const s of main) {
    const { start, end } = timing.get(s.logicalId)!;
    if (start >= failAt) continue;
    started.push(s);
    const physical = s.action === 'Add' || s.replace ? s.newPhysicalId : s.oldPhysicalId;
    const v = startVerb(s);
    push(
      start,
      s.logicalId,
      s.action === 'Add' ? null : s.oldPhysicalId,
      s.type,
      `${v}_IN_PROGRESS`,
      s.replace ? 'Requested update requires the creation of a new physical resource; hence creating one.' : null,
    );
    if (s.action === 'Add') push(start + 1, s.logicalId, physical, s.type, 'CREATE_IN_PROGRESS', 'Resource creation Initiated');
    if (s === failing) push(failAt, s.logicalId, physical, s.type, `${v}_FAILED`, failText);
    else if (end <= failAt) push(end, s.logicalId, physical, s.type, `${v}_COMPLETE`);
    else push(failAt + 1, s.logicalId, physical, s.type, `${v}_FAILED`, `Resource ${v === 'CREATE' ? 'creation' : 'update'} cancelled`);
  }

  if (!failing) {
    let at = mainStart + mainSpan + totalExtra;
    if (verb === 'UPDATE' && cleanupNeeded) {
      stackEvent(at, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
      const cleanup = [
        ...removals.map((s) => ({ s, physical: s.oldPhysicalId })),
        ...main.filter((s) => s.replace).map((s) => ({ s, physical: s.oldPhysicalId })),
      ];
      const step = (0.1 * D) / Math.max(1, cleanup.length);
      cleanup.forEach(({ s, physical }, i) => {
        push(at + i * step + 1, s.logicalId, physical, s.type, 'DELETE_IN_PROGRESS');
        push(at + (i + 0.8) * step, s.logicalId, physical, s.type, 'DELETE_COMPLETE');
      });
      at += 0.1 * D;
    }
    const endAt = Math.max(at, t0 + D + totalExtra);
    stackEvent(endAt, `${verb}_COMPLETE`);
    return { events: sortEvents(events), endAt, finalStatus: `${verb}_COMPLETE`, succeeded: true, shifts: shiftsOut(null) };
  }

  // Rollback.
  const failedVerb = failing.action === 'Add' ? 'create' : 'update';
  let at = failAt + 2;
  stackEvent(
    at,
    verb === 'CREATE' ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS',
    `The following resource(s) failed to ${failedVerb}: [${failing.logicalId}]. ${verb === 'CREATE' ? 'Rollback requested by user.' : ''}`.trim(),
  );
  // A long traffic shift before the failure does not make the rollback longer.
  const span = Math.max(0.25 * D, 0.5 * Math.min(failAt - t0, D));
  const reverse = [...started].reverse();
  if (verb === 'CREATE') {
    const step = span / Math.max(1, reverse.length);
    reverse.forEach((s, i) => {
      push(at + i * step + 1, s.logicalId, s.newPhysicalId, s.type, 'DELETE_IN_PROGRESS');
      push(at + (i + 0.8) * step, s.logicalId, s.newPhysicalId, s.type, 'DELETE_COMPLETE');
    });
    const endAt = at + span + 1;
    stackEvent(endAt, 'ROLLBACK_COMPLETE');
    return { events: sortEvents(events), endAt, finalStatus: 'ROLLBACK_COMPLETE', succeeded: false, shifts: [] };
  }
  const restore = reverse.filter((s) => s.action === 'Modify');
  const restoreSpan = 0.7 * span;
  restore.forEach((s, i) => {
    const step = restoreSpan / Math.max(1, restore.length);
    push(at + i * step + 1, s.logicalId, s.oldPhysicalId, s.type, 'UPDATE_IN_PROGRESS');
    push(at + (i + 0.8) * step, s.logicalId, s.oldPhysicalId, s.type, 'UPDATE_COMPLETE');
  });
  at += restoreSpan;
  stackEvent(at, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  const discard = reverse.filter((s) => s.action === 'Add' || s.replace);
  const step = (span - restoreSpan) / Math.max(1, discard.length);
  discard.forEach((s, i) => {
    push(at + i * step + 1, s.logicalId, s.newPhysicalId, s.type, 'DELETE_IN_PROGRESS');
    push(at + (i + 0.8) * step, s.logicalId, s.newPhysicalId, s.type, 'DELETE_COMPLETE');
  });
  const endAt = at + (span - restoreSpan) + 1;
  stackEvent(endAt, 'UPDATE_ROLLBACK_COMPLETE');
  return { events: sortEvents(events), endAt, finalStatus: 'UPDATE_ROLLBACK_COMPLETE', succeeded: false, shifts: shiftsOut(failAt + 2) };
}

function sortEvents(events: SimEvent[]): SimEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);
}

/**
 * A shift as CodeDeploy and Lambda would report it at `at`: the deployment's status, the share on
 * the new version, the alias's primary version, and the rollback. Null before it starts (CloudFormation
 * has not reached the alias yet: there is no deployment).
 */
export function shiftStateAt(
  t: ShiftTimeline,
  at: number,
): { status: string; weight: number; aliasVersion: string; rolledBack: boolean; reason: string | null; completedAt: number | null } | null {
  if (at < t.startAt) return null;
  const { fromVersion, toVersion } = t.plan;
  if (t.stop && at >= t.stop.at)
    return { status: 'Stopped', weight: 0, aliasVersion: fromVersion, rolledBack: true, reason: t.stop.reason, completedAt: t.stop.at };
  if (at >= t.endAt) {
    if (t.revertedAt !== null && at >= t.revertedAt)
      return {
        status: 'Succeeded',
        weight: 0,
        aliasVersion: fromVersion,
        rolledBack: true,
        reason: `The stack update failed after the shift: CloudFormation moved the alias back to version ${fromVersion}.`,
        completedAt: t.endAt,
      };
    return { status: 'Succeeded', weight: 1, aliasVersion: toVersion, rolledBack: false, reason: null, completedAt: t.endAt };
  }
  const weight = [...t.steps].reverse().find((s) => s.at <= at)?.weight ?? 0;
  return { status: 'InProgress', weight, aliasVersion: weight >= 1 ? toVersion : fromVersion, rolledBack: false, reason: null, completedAt: null };
}
