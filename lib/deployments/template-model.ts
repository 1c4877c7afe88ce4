// A read-only model of a CloudFormation template: parameters, conditions, resources and outputs, with
// the intrinsic functions that depend only on parameters evaluated. The template test uses it to
// assert the stack's rules; the deployments use it to know which resources an environment gets, and
// the sandbox in which order CloudFormation would create them.
// Plain TypeScript: no IO and no parser (the YAML is read by template-parse.ts).

/** A JSON value as it appears in a template once short-form tags became long-form objects. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface TemplateParameter {
  name: string;
  type: string;
  default?: string;
  description?: string;
  allowedValues?: string[];
  allowedPattern?: string;
  constraintDescription?: string;
  minValue?: number;
  maxValue?: number;
  minLength?: number;
  maxLength?: number;
  noEcho: boolean;
}

export interface TemplateResource {
  logicalId: string;
  type: string;
  properties: JsonObject;
  condition?: string;
  dependsOn: string[];
  deletionPolicy?: string;
  updateReplacePolicy?: string;
  updatePolicy?: JsonObject;
  metadata?: JsonObject;
}

export interface TemplateOutput {
  name: string;
  value: Json;
  description?: string;
  condition?: string;
  exportName?: Json;
}

export interface TemplateModel {
  description?: string;
  parameters: TemplateParameter[];
  mappings: Record<string, Record<string, Record<string, Json>>>;
  conditions: Record<string, Json>;
  resources: TemplateResource[];
  outputs: TemplateOutput[];
}

/** A JSON mapping (not null, not a list). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown when a template cannot be read, or a value cannot be evaluated from parameters alone. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** Parameter values after defaults, as CloudFormation sees them (strings). */
export type ParameterValues = Record<string, string>;

/**
 * Applies defaults and checks every constraint CloudFormation checks before it starts; throws on the
 * first violation. With `requireAll: false`, parameters without a value or default are left out
 * (enough to evaluate conditions, e.g. which resources an environment gets, before artifacts exist).
 */
export function resolveParameters(
  model: TemplateModel,
  given: Record<string, string | number>,
  { requireAll = true }: { requireAll?: boolean } = {},
): ParameterValues {
  const known = new Set(model.parameters.map((p) => p.name));
  for (const name of Object.keys(given)) if (!known.has(name)) throw new TemplateError(`unknown parameter ${name}`);
  const values: ParameterValues = {};
  for (const p of model.parameters) {
    const raw = given[p.name] ?? p.default;
    if (raw === undefined && !requireAll) continue;
    if (raw === undefined) throw new TemplateError(`parameter ${p.name} needs a value`);
    const value = String(raw);
    const problem = `parameter ${p.name}=${JSON.stringify(value)}`;
    if (p.allowedValues && !p.allowedValues.includes(value)) throw new TemplateError(`${problem} is not one of ${p.allowedValues.join(', ')}`);
    if (p.type === 'String') {
      if (p.allowedPattern !== undefined && !new RegExp(`^(?:${p.allowedPattern})$`).test(value)) {
        throw new TemplateError(`${problem} does not match ${p.allowedPattern}${p.constraintDescription ? ` (${p.constraintDescription})` : ''}`);
      }
      if (p.minLength !== undefined && value.length < p.minLength) throw new TemplateError(`${problem} is shorter than ${p.minLength}`);
      if (p.maxLength !== undefined && value.length > p.maxLength) throw new TemplateError(`${problem} is longer than ${p.maxLength}`);
    }
    if (p.type === 'Number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new TemplateError(`${problem} is not a number`);
      if (p.minValue !== undefined && n < p.minValue) throw new TemplateError(`${problem} is below ${p.minValue}`);
      if (p.maxValue !== undefined && n > p.maxValue) throw new TemplateError(`${problem} is above ${p.maxValue}`);
    }
    values[p.name] = value;
  }
  return values;
}

/** Reads a CloudFormation parameter file ([{ ParameterKey, ParameterValue }]) into name -> value. */
export function parseParameterFile(text: string): Record<string, string> {
  const raw: unknown = JSON.parse(text);
  if (!Array.isArray(raw)) throw new TemplateError('a parameter file is a list of { ParameterKey, ParameterValue }');
  const values: Record<string, string> = {};
  for (const entry of raw) {
    if (!isObject(entry) || typeof entry.ParameterKey !== 'string' || typeof entry.ParameterValue !== 'string') {
      throw new TemplateError(`bad parameter file entry ${JSON.stringify(entry)}`);
    }
    if (entry.ParameterKey in values) throw new TemplateError(`parameter ${entry.ParameterKey} given twice`);
    values[entry.ParameterKey] = entry.ParameterValue;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What an evaluation may know beyond parameters; anything it lacks makes the value unresolvable. */
export interface EvaluationContext {
  parameters: ParameterValues;
  /** AWS::Region, AWS::AccountId, … Defaults: us-east-1, 123456789012, partition aws, stack name from `stackName`. */
  region?: string;
  accountId?: string;
  partition?: string;
  stackName?: string;
  /** Physical id of a resource (`!Ref Resource`); unresolvable when absent. */
  ref?: (logicalId: string) => Json | undefined;
  /** `!GetAtt Resource.Attribute`; unresolvable when absent. */
  getAtt?: (logicalId: string, attribute: string) => Json | undefined;
  importValue?: (name: string) => Json | undefined;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Evaluated = Json | typeof NO_VALUE;

const PSEUDO = new Set([
  'AWS::Region',
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
  'AWS::NoValue',
  'AWS::NotificationARNs',
]);

function pseudo(name: string, ctx: EvaluationContext): Evaluated {
  const region = ctx.region ?? 'us-east-1';
  const partition = ctx.partition ?? 'aws';
  const account = ctx.accountId ?? '123456789012';
  const stack = ctx.stackName ?? 'stack';
  switch (name) {
    case 'AWS::Region':
      return region;
    case 'AWS::AccountId':
      return account;
    case 'AWS::Partition':
      return partition;
    case 'AWS::StackName':
      return stack;
    case 'AWS::StackId':
      return `arn:${partition}:cloudformation:${region}:${account}:stack/${stack}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::URLSuffix':
      return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::NotificationARNs':
      return [];
    default:
      return NO_VALUE;
  }
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new TemplateError(`bad IPv4 address ${ip}`);
  return (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses "a.b.c.d/n" into its first address and size; throws when malformed. */
export function parseCidr(cidr: string): { first: number; prefix: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (ip === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new TemplateError(`bad CIDR ${cidr}`);
  const size = 2 ** (32 - prefix);
  const first = ipToInt(ip);
  if (first % size !== 0) throw new TemplateError(`CIDR ${cidr} has host bits set`);
  return { first, prefix, size };
}

/** True when two IPv4 CIDR blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.first < y.first + y.size && y.first < x.first + x.size;
}

/** Fn::Cidr: `count` consecutive blocks of 2^cidrBits addresses carved from the start of `block`. */
export function cidrSubnets(block: string, count: number, cidrBits: number): string[] {
  const { first, size } = parseCidr(block);
  const subnetSize = 2 ** cidrBits;
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new TemplateError(`Fn::Cidr count ${count} must be 1..256`);
  if (subnetSize > size || count * subnetSize > size) throw new TemplateError(`Fn::Cidr: ${count} blocks of /${32 - cidrBits} do not fit in ${block}`);
  return Array.from({ length: count }, (_, i) => `${intToIp(first + i * subnetSize)}/${32 - cidrBits}`);
}

function asString(v: Evaluated, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(`${what}: expected a string, got ${JSON.stringify(v)}`);
}

function asList(v: Evaluated, what: string): Json[] {
  if (Array.isArray(v)) return v;
  throw new TemplateError(`${what}: expected a list, got ${JSON.stringify(v)}`);
}

function asBoolean(v: Evaluated, what: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new TemplateError(`${what}: expected a boolean, got ${JSON.stringify(v)}`);
}

/** The single `Fn::*` / `Ref` / `Condition` key of an intrinsic, or undefined for plain data. */
export function intrinsicName(value: Json): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

class Evaluator {
  private readonly conditionCache = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();
  private readonly parameterTypes: Map<string, string>;

  constructor(
    private readonly model: TemplateModel,
    private readonly ctx: EvaluationContext,
  ) {
    this.parameterTypes = new Map(model.parameters.map((p) => [p.name, p.type]));
  }

  condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const expr = this.model.conditions[name];
    if (expr === undefined) throw new TemplateError(`unknown condition ${name}`);
    if (this.evaluating.has(name)) throw new TemplateError(`condition ${name} refers to itself`);
    this.evaluating.add(name);
    try {
      const result = asBoolean(this.value(expr), `condition ${name}`);
      this.conditionCache.set(name, result);
      return result;
    } finally {
      this.evaluating.delete(name);
    }
  }

  value(expr: Json): Evaluated {
    if (Array.isArray(expr)) return expr.map((e) => this.value(e)).filter((e): e is Json => e !== NO_VALUE);
    if (!isObject(expr)) return expr;
    const fn = intrinsicName(expr);
    if (fn === undefined) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(expr)) {
        const r = this.value(v);
        if (r !== NO_VALUE) out[k] = r;
      }
      return out;
    }
    const arg = expr[fn]!;
    switch (fn) {
      case 'Ref':
        return this.ref(asString(arg, 'Ref'));
      case 'Condition':
        return this.condition(asString(arg, 'Condition'));
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg.map((a) => asString(this.value(a), 'Fn::GetAtt')) : asString(arg, 'Fn::GetAtt').split(/\.(.*)/s);
        if (!id || !attr) throw new TemplateError(`Fn::GetAtt ${JSON.stringify(arg)}: expected [LogicalId, Attribute]`);
        const v = this.ctx.getAtt?.(id, attr);
        if (v === undefined) throw new TemplateError(`Fn::GetAtt ${id}.${attr} is not known before deployment`);
        return v;
      }
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Join': {
        const [sep, list] = asList(arg, 'Fn::Join');
        return asList(this.value(list ?? []), 'Fn::Join')
          .map((x) => asString(x, 'Fn::Join item'))
          .join(asString(sep ?? '', 'Fn::Join delimiter'));
      }
      case 'Fn::Select': {
        const [index, list] = asList(arg, 'Fn::Select');
        const i = Number(this.value(index ?? null));
        const items = asList(this.value(list ?? []), 'Fn::Select');
        if (!Number.isInteger(i) || i < 0 || i >= items.length) throw new TemplateError(`Fn::Select index ${i} out of range (${items.length} items)`);
        return items[i]!;
      }
      case 'Fn::Split': {
        const [sep, source] = asList(arg, 'Fn::Split');
        return asString(this.value(source ?? ''), 'Fn::Split').split(asString(sep ?? '', 'Fn::Split delimiter'));
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = asList(arg, 'Fn::If');
        return this.value(this.condition(asString(name ?? '', 'Fn::If condition')) ? (whenTrue ?? null) : (whenFalse ?? null));
      }
      case 'Fn::Equals': {
        const [a, b] = asList(arg, 'Fn::Equals').map((x) => this.value(x));
        return JSON.stringify(normalizeScalar(a)) === JSON.stringify(normalizeScalar(b));
      }
      case 'Fn::Not':
        return !asBoolean(this.value(asList(arg, 'Fn::Not')[0] ?? null), 'Fn::Not');
      case 'Fn::And':
        return asList(arg, 'Fn::And').every((x) => asBoolean(this.value(x), 'Fn::And'));
      case 'Fn::Or':
        return asList(arg, 'Fn::Or').some((x) => asBoolean(this.value(x), 'Fn::Or'));
      case 'Fn::FindInMap': {
        const [map, top, second] = asList(arg, 'Fn::FindInMap').map((x, i) => asString(this.value(x), `Fn::FindInMap[${i}]`));
        const v = this.model.mappings[map ?? '']?.[top ?? '']?.[second ?? ''];
        if (v === undefined) throw new TemplateError(`Fn::FindInMap ${map}.${top}.${second} does not exist`);
        return v;
      }
      case 'Fn::GetAZs': {
        const region = asString(this.value(arg), 'Fn::GetAZs') || (this.ctx.region ?? 'us-east-1');
        return ['a', 'b', 'c'].map((z) => `${region}${z}`);
      }
      case 'Fn::Cidr': {
        const [block, count, bits] = asList(arg, 'Fn::Cidr').map((x) => this.value(x));
        return cidrSubnets(asString(block ?? null, 'Fn::Cidr block'), Number(count), Number(bits));
      }
      case 'Fn::Base64':
        return Buffer.from(asString(this.value(arg), 'Fn::Base64'), 'utf8').toString('base64');
      case 'Fn::ImportValue': {
        const name = asString(this.value(arg), 'Fn::ImportValue');
        const v = this.ctx.importValue?.(name);
        if (v === undefined) throw new TemplateError(`Fn::ImportValue ${name} is not known before deployment`);
        return v;
      }
      case 'Fn::Length':
        return asList(this.value(arg), 'Fn::Length').length;
      case 'Fn::ToJsonString':
        return JSON.stringify(this.value(arg));
      default:
        throw new TemplateError(`${fn} is not supported`);
    }
  }

  private ref(name: string): Evaluated {
    if (PSEUDO.has(name)) return pseudo(name, this.ctx);
    if (name in this.ctx.parameters) {
      const v = this.ctx.parameters[name]!;
      const type = this.parameterTypes.get(name) ?? 'String';
      return type === 'CommaDelimitedList' || type.startsWith('List<') ? v.split(',').map((s) => s.trim()) : v;
    }
    const v = this.ctx.ref?.(name);
    if (v === undefined) throw new TemplateError(`Ref ${name} is not known before deployment`);
    return v;
  }

  private sub(arg: Json): string {
    const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    const text = asString(template ?? null, 'Fn::Sub');
    const local = isObject(vars) ? vars : {};
    return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in local) return asString(this.value(local[name]!), `Fn::Sub \${${name}}`);
      const dot = name.indexOf('.');
      if (dot > 0 && !PSEUDO.has(name)) return asString(this.value({ 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] }), `Fn::Sub ${whole}`);
      return asString(this.ref(name), `Fn::Sub ${whole}`);
    });
  }
}

function normalizeScalar(v: Evaluated | undefined): Json {
  if (v === undefined || v === NO_VALUE) return null;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

/** Evaluates a template value; throws TemplateError when it needs something the context does not know. */
export function evaluate(model: TemplateModel, expr: Json, ctx: EvaluationContext): Json | undefined {
  const v = new Evaluator(model, ctx).value(expr);
  return v === NO_VALUE ? undefined : v;
}

/** Evaluates a named condition for the given parameter values. */
export function evaluateCondition(model: TemplateModel, name: string, parameters: ParameterValues): boolean {
  return new Evaluator(model, { parameters }).condition(name);
}

/** Every condition's value for the given parameter values. */
export function evaluateConditions(model: TemplateModel, parameters: ParameterValues): Record<string, boolean> {
  const ev = new Evaluator(model, { parameters });
  return Object.fromEntries(Object.keys(model.conditions).map((name) => [name, ev.condition(name)]));
}

/** The resources CloudFormation would create for these parameter values (conditions applied). */
export function resourcesFor(model: TemplateModel, parameters: ParameterValues): TemplateResource[] {
  const conditions = evaluateConditions(model, parameters);
  return model.resources.filter((r) => r.condition === undefined || conditions[r.condition] === true);
}

/** The outputs the stack would have for these parameter values. */
export function outputsFor(model: TemplateModel, parameters: ParameterValues): TemplateOutput[] {
  const conditions = evaluateConditions(model, parameters);
  return model.outputs.filter((o) => o.condition === undefined || conditions[o.condition] === true);
}

/**
 * Removes the untaken branch of every Fn::If (and AWS::NoValue) so that what remains is what the
 * environment really gets; other intrinsics are kept as they are.
 */
export function pruneConditionals(model: TemplateModel, expr: Json, parameters: ParameterValues): Json | undefined {
  const ev = new Evaluator(model, { parameters });
  const walk = (e: Json): Json | typeof NO_VALUE => {
    if (Array.isArray(e)) return e.map(walk).filter((x): x is Json => x !== NO_VALUE);
    if (!isObject(e)) return e;
    if (intrinsicName(e) === 'Fn::If') {
      const [name, a, b] = asList(e['Fn::If']!, 'Fn::If');
      return walk(ev.condition(asString(name ?? '', 'Fn::If condition')) ? (a ?? null) : (b ?? null));
    }
    if (intrinsicName(e) === 'Ref' && e.Ref === 'AWS::NoValue') return NO_VALUE;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(e)) {
      const r = walk(v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  };
  const r = walk(expr);
  return r === NO_VALUE ? undefined : r;
}

// ---------------------------------------------------------------------------------------------
// Dependencies

/** Logical ids of resources a value refers to through Ref, Fn::GetAtt or Fn::Sub. */
export function referencedResources(model: TemplateModel, expr: Json): string[] {
  const ids = new Set(model.resources.map((r) => r.logicalId));
  const found = new Set<string>();
  const walk = (e: Json, shadowed: Set<string>) => {
    if (Array.isArray(e)) return e.forEach((x) => walk(x, shadowed));
    if (!isObject(e)) return;
    const fn = intrinsicName(e);
    if (fn === 'Ref' && typeof e.Ref === 'string' && ids.has(e.Ref)) found.add(e.Ref);
    else if (fn === 'Fn::GetAtt') {
      const arg = e['Fn::GetAtt']!;
      const id = Array.isArray(arg) ? arg[0] : typeof arg === 'string' ? arg.split('.')[0] : undefined;
      if (typeof id === 'string' && ids.has(id)) found.add(id);
    } else if (fn === 'Fn::Sub') {
      const arg = e['Fn::Sub']!;
      const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
      const local = new Set(isObject(vars) ? Object.keys(vars) : []);
      if (isObject(vars)) walk(vars, shadowed);
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const name = m[1]!;
          if (local.has(name)) continue;
          const id = name.split('.')[0]!;
          if (ids.has(id)) found.add(id);
        }
      }
      return;
    }
    for (const v of Object.values(e)) walk(v, shadowed);
  };
  walk(expr, new Set());
  return [...found];
}

/** For each resource present with these parameters: the resources it waits for (references + DependsOn). */
export function dependencyGraph(model: TemplateModel, parameters: ParameterValues): Map<string, string[]> {
  const present = resourcesFor(model, parameters);
  const presentIds = new Set(present.map((r) => r.logicalId));
  const graph = new Map<string, string[]>();
  for (const r of present) {
    const pruned = pruneConditionals(model, { p: r.properties, u: r.updatePolicy ?? null }, parameters) ?? null;
    const deps = new Set([...referencedResources(model, pruned), ...r.dependsOn]);
    deps.delete(r.logicalId);
    for (const d of deps) {
      if (!presentIds.has(d)) throw new TemplateError(`${r.logicalId} refers to ${d}, which does not exist with these parameters`);
    }
    graph.set(r.logicalId, [...deps]);
  }
  return graph;
}

/**
 * The order CloudFormation may create the environment's resources in: every resource after all it
 * refers to; ties keep template order. Throws on a dependency cycle, naming it.
 */
export function creationOrder(model: TemplateModel, parameters: ParameterValues): string[] {
  const graph = dependencyGraph(model, parameters);
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = [...graph.keys()];
  while (remaining.length > 0) {
    const next = remaining.findIndex((id) => graph.get(id)!.every((d) => done.has(d)));
    if (next === -1) throw new TemplateError(`dependency cycle: ${findCycle(graph, remaining).join(' -> ')}`);
    const [id] = remaining.splice(next, 1);
    order.push(id!);
    done.add(id!);
  }
  return order;
}

function findCycle(graph: Map<string, string[]>, among: string[]): string[] {
  const pending = new Set(among);
  const path: string[] = [];
  let node = among[0]!;
  while (!path.includes(node)) {
    path.push(node);
    node = graph.get(node)!.find((d) => pending.has(d))!;
  }
  return [...path.slice(path.indexOf(node)), node];
}
