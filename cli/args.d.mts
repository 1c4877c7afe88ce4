// Types of cli/args.mjs for the TypeScript files that import it (its tests).
export const EXIT: Readonly<{ OK: 0; USAGE: 1; AUTH: 2; FORBIDDEN: 3; REFUSED: 4; UNAVAILABLE: 5 }>;
export class UsageError extends Error {}
export function parseDuration(text: unknown): number;
export function parseEnvironment(text: unknown): 'DEV' | 'STAGING' | 'PROD';
export function parseCommandLine(argv: string[]): { command: string; args: Record<string, string>; options: Record<string, string | boolean | undefined> };
export function isSafePortalUrl(text: string): boolean;
export function exitCodeForStatus(status: number): number;
