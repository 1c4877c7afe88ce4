// Types of scripts/bare-next-app.mjs for the TypeScript files that import it (bench).
export function nextVersion(): string;
export function buildBareApp(files: Record<string, string>, options?: { webpack?: boolean }): { dir: string; next: string; remove: () => void };
