/**
 * The environments, defined once. The portal spells them in upper case (the database enum, request
 * and deployment records, audit events); AWS in lower case (stack names, parameter files, `env`
 * tags, secret names `<env>/<team>/<name>`, cost allocation tags). Both lists are in the same order,
 * least to most sensitive.
 */
export const ENVIRONMENTS = ['DEV', 'STAGING', 'PROD'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The same environments as AWS resources and tags spell them. */
export const ENVIRONMENT_SLUGS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentSlug = (typeof ENVIRONMENT_SLUGS)[number];

/** The lower-case spelling of an environment. */
export function environmentSlugOf(environment: Environment): EnvironmentSlug {
  return environment.toLowerCase() as EnvironmentSlug;
}

/** The upper-case spelling of an environment. */
export function environmentOf(slug: EnvironmentSlug): Environment {
  return slug.toUpperCase() as Environment;
}

/** Whether a string (an alarm's environment, a query value) is one of the portal's environments. */
export function isEnvironmentSlug(value: string): value is EnvironmentSlug {
  return (ENVIRONMENT_SLUGS as readonly string[]).includes(value);
}

/** Environment words as teams write them in tags, paths and alarm names, mapped to one slug each. */
export const ENVIRONMENT_ALIASES: Readonly<Record<string, EnvironmentSlug>> = {
  dev: 'dev',
  development: 'dev',
  staging: 'staging',
  stage: 'staging',
  stg: 'staging',
  prod: 'prod',
  production: 'prod',
  prd: 'prod',
};
