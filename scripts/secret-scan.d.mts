// Types of scripts/secret-scan.mjs for the TypeScript files that import it (tests, e2e, bench).
export const SANDBOX_VALUE: RegExp;
export const PATTERNS: { name: string; re: RegExp; group?: number }[];
export interface Finding {
  name: string;
  at: number;
  /** The value, redacted. */
  excerpt: string;
}
export function scanText(text: string, options?: { literals?: string[] }): Finding[];
export function scan(options: { paths?: string[]; pglite?: string[]; pg?: string[]; literals?: string[] }): Promise<{
  findings: (Finding & { where: string })[];
  scanned: { files: number; bytes: number; tables: number; rows: number };
}>;
