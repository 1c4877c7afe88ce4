// Types of lib/security/credential-patterns.mjs for the TypeScript files that import it.
export const SANDBOX_VALUE: RegExp;
export const EXAMPLE_CREDENTIALS: ReadonlySet<string>;
export const CREDENTIAL_PATTERNS: readonly { name: string; re: RegExp; group?: number; skip?: (value: string) => boolean; freeTextOnly?: boolean }[];
export function findCredentials(text: string, options?: { freeText?: boolean }): { name: string; at: number; value: string }[];
