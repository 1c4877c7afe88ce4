import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_ALIASES, ENVIRONMENT_SLUGS, ENVIRONMENTS, environmentOf, environmentSlugOf, isEnvironmentSlug } from '@/lib/environments';

describe('environments', () => {
  it('spells each environment in both cases, in the same order', () => {
    expect(ENVIRONMENTS.map(environmentSlugOf)).toEqual(ENVIRONMENT_SLUGS);
    expect(ENVIRONMENT_SLUGS.map(environmentOf)).toEqual(ENVIRONMENTS);
  });

  it('recognises only the portal slugs', () => {
    expect(ENVIRONMENT_SLUGS.every(isEnvironmentSlug)).toBe(true);
    expect(['DEV', 'production', 'other', ''].some(isEnvironmentSlug)).toBe(false);
  });

  it('maps every alias to a slug, each slug to itself', () => {
    expect(Object.values(ENVIRONMENT_ALIASES).every(isEnvironmentSlug)).toBe(true);
    for (const slug of ENVIRONMENT_SLUGS) expect(ENVIRONMENT_ALIASES[slug]).toBe(slug);
  });
});
