import { AppError } from '@/lib/errors';
import { resolveParameters, TemplateError, type ParameterValues, type TemplateModel } from '@/lib/deployments/template-model';
import type { EnvironmentSlug } from '@/lib/environments';

/** What a plan deploys: every value (after defaults) and the ones the planner changed. */
export interface PlanParameters {
  values: ParameterValues;
  /** Only the values that differ from the environment's parameter file. */
  overrides: Record<string, string>;
}

/** Shown instead of a NoEcho parameter's value. */
export const MASKED = '****';

/**
 * The environment's parameter file with the planner's overrides, checked as CloudFormation checks
 * them before it starts (AllowedValues, AllowedPattern, Min/Max, lengths). The Environment
 * parameter is the environment being planned and cannot be overridden.
 */
export function resolvePlanParameters(
  model: TemplateModel,
  env: EnvironmentSlug,
  fileValues: Record<string, string>,
  given: Record<string, string>,
): PlanParameters {
  const known = new Map(model.parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) throw new AppError('UNPROCESSABLE', `Unknown parameter ${name}: the template has ${[...known.keys()].join(', ')}.`);
  }
  if ((fileValues.Environment ?? env) !== env)
    throw new AppError('UNAVAILABLE', `infra/parameters/${env}.json sets Environment=${fileValues.Environment}: fix the file.`);
  if (given.Environment !== undefined && given.Environment !== env) {
    throw new AppError('UNPROCESSABLE', `Environment is the environment you plan (${env}); it cannot be overridden.`);
  }
  const overrides = Object.fromEntries(Object.entries(given).filter(([name, value]) => value !== (fileValues[name] ?? known.get(name)?.default)));
  try {
    const values = resolveParameters(model, { ...fileValues, ...overrides, ...(known.has('Environment') ? { Environment: env } : {}) });
    return { values, overrides };
  } catch (e) {
    if (e instanceof TemplateError) throw new AppError('UNPROCESSABLE', `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`);
    throw e;
  }
}

/** The values as recorded and shown: NoEcho ones masked. */
export function maskParameters(model: TemplateModel, values: Record<string, string>): Record<string, string> {
  const secret = new Set(model.parameters.filter((p) => p.noEcho).map((p) => p.name));
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secret.has(k) ? MASKED : v]));
}

/** A parameter whose value the plan changes on the stack (null before: the stack is created, or did not have it). */
export interface ParameterChange {
  name: string;
  from: string | null;
  to: string | null;
}

/**
 * Every parameter whose value differs between what the stack runs (DescribeStacks' parameters;
 * null when the plan creates the stack) and what the plan deploys: the code keys, the release label,
 * the engine version, anything. Both sides are compared as recorded (NoEcho masked), in the
 * template's order.
 */
export function parameterChanges(model: TemplateModel, running: Record<string, string> | null, planned: Record<string, string>): ParameterChange[] {
  // The template's order first; then what only one side has (a parameter the template dropped).
  const names = [...new Set([...model.parameters.map((p) => p.name), ...Object.keys(planned), ...Object.keys(running ?? {})])];
  const out: ParameterChange[] = [];
  for (const name of names) {
    const from = running?.[name] ?? null;
    const to = planned[name] ?? null;
    if (from !== to) out.push({ name, from, to });
  }
  return out;
}
