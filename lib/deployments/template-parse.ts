// Parses CloudFormation template text (YAML with short-form tags, or JSON) into the model of
// template-model.ts. Pure (no IO); kept apart so that the deployment rules do not load a YAML parser.
import { parseDocument, type Tags } from 'yaml';
import {
  isObject,
  TemplateError,
  type Json,
  type JsonObject,
  type TemplateModel,
  type TemplateOutput,
  type TemplateParameter,
  type TemplateResource,
} from '@/lib/deployments/template-model';

// Short-form tags become the long form CloudFormation documents (`!Ref X` -> { Ref: 'X' }).
const FUNCTION_TAGS = [
  'Sub',
  'GetAtt',
  'If',
  'Equals',
  'Select',
  'GetAZs',
  'Join',
  'Split',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'Length',
  'ToJsonString',
] as const;

function longForm(tag: string, value: unknown): JsonObject {
  if (tag === 'Ref') return { Ref: value as Json };
  if (tag === 'Condition') return { Condition: value as Json };
  // `!GetAtt Db.Endpoint.Address` names the attribute `Endpoint.Address` of resource `Db`.
  if (tag === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    if (dot <= 0) throw new TemplateError(`!GetAtt ${value}: expected LogicalId.Attribute`);
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${tag}`]: value as Json };
}

const customTags: Tags = [
  ...['Ref', 'Condition'].map((name) => ({ tag: `!${name}`, resolve: (s: string) => longForm(name, s) })),
  ...FUNCTION_TAGS.flatMap((name) => [
    { tag: `!${name}`, resolve: (s: string) => longForm(name, s) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (c: { toJSON(): unknown }) => longForm(name, c.toJSON()) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (c: { toJSON(): unknown }) => longForm(name, c.toJSON()) },
  ]),
] as unknown as Tags;

function optionalString(value: Json | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`expected a string, got ${JSON.stringify(value)}`);
}

function optionalNumber(value: Json | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new TemplateError(`expected a number, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses template text (YAML with short-form tags, or JSON) into a model. */
export function parseTemplate(text: string): TemplateModel {
  const doc = parseDocument(text, { customTags, schema: 'core', uniqueKeys: true, prettyErrors: false });
  // An unknown tag is only a warning to the YAML parser; to CloudFormation it is an invalid template.
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) throw new TemplateError(`template is not valid YAML: ${problems.map((e) => e.message).join('; ')}`);
  const root: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!isObject(root)) throw new TemplateError('template must be a mapping');
  if (!isObject(root.Resources) || Object.keys(root.Resources).length === 0) throw new TemplateError('template has no Resources');

  const parameters: TemplateParameter[] = Object.entries(isObject(root.Parameters) ? root.Parameters : {}).map(([name, raw]) => {
    if (!isObject(raw) || typeof raw.Type !== 'string') throw new TemplateError(`parameter ${name} has no Type`);
    const allowed = raw.AllowedValues;
    if (allowed !== undefined && !Array.isArray(allowed)) throw new TemplateError(`parameter ${name}: AllowedValues must be a list`);
    return {
      name,
      type: raw.Type,
      default: optionalString(raw.Default),
      description: optionalString(raw.Description),
      allowedValues: allowed?.map((v) => String(v)),
      allowedPattern: optionalString(raw.AllowedPattern),
      constraintDescription: optionalString(raw.ConstraintDescription),
      minValue: optionalNumber(raw.MinValue),
      maxValue: optionalNumber(raw.MaxValue),
      minLength: optionalNumber(raw.MinLength),
      maxLength: optionalNumber(raw.MaxLength),
      noEcho: raw.NoEcho === true || raw.NoEcho === 'true',
    };
  });

  const resources: TemplateResource[] = Object.entries(root.Resources).map(([logicalId, raw]) => {
    if (!isObject(raw) || typeof raw.Type !== 'string') throw new TemplateError(`resource ${logicalId} has no Type`);
    if (raw.Properties !== undefined && !isObject(raw.Properties)) throw new TemplateError(`resource ${logicalId}: Properties must be a mapping`);
    const dependsOn = raw.DependsOn === undefined ? [] : Array.isArray(raw.DependsOn) ? raw.DependsOn.map(String) : [String(raw.DependsOn)];
    return {
      logicalId,
      type: raw.Type,
      properties: raw.Properties ?? {},
      condition: optionalString(raw.Condition),
      dependsOn,
      deletionPolicy: optionalString(raw.DeletionPolicy),
      updateReplacePolicy: optionalString(raw.UpdateReplacePolicy),
      updatePolicy: isObject(raw.UpdatePolicy) ? raw.UpdatePolicy : undefined,
      metadata: isObject(raw.Metadata) ? raw.Metadata : undefined,
    };
  });

  const outputs: TemplateOutput[] = Object.entries(isObject(root.Outputs) ? root.Outputs : {}).map(([name, raw]) => {
    if (!isObject(raw) || raw.Value === undefined) throw new TemplateError(`output ${name} has no Value`);
    return {
      name,
      value: raw.Value,
      description: optionalString(raw.Description),
      condition: optionalString(raw.Condition),
      exportName: isObject(raw.Export) ? raw.Export.Name : undefined,
    };
  });

  const mappings: TemplateModel['mappings'] = {};
  for (const [name, top] of Object.entries(isObject(root.Mappings) ? root.Mappings : {})) {
    if (!isObject(top)) throw new TemplateError(`mapping ${name} must be a mapping`);
    mappings[name] = {};
    for (const [key, second] of Object.entries(top)) {
      if (!isObject(second)) throw new TemplateError(`mapping ${name}.${key} must be a mapping`);
      mappings[name][key] = second;
    }
  }

  const model: TemplateModel = {
    description: optionalString(root.Description),
    parameters,
    mappings,
    conditions: isObject(root.Conditions) ? root.Conditions : {},
    resources,
    outputs,
  };
  for (const r of resources) {
    if (r.condition !== undefined && !(r.condition in model.conditions))
      throw new TemplateError(`resource ${r.logicalId} names unknown condition ${r.condition}`);
    for (const d of r.dependsOn) if (!resources.some((x) => x.logicalId === d)) throw new TemplateError(`resource ${r.logicalId} depends on unknown ${d}`);
  }
  return model;
}
