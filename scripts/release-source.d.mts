// Types of scripts/release-source.mjs for the TypeScript files that import it.
export interface BuildSource {
  gitCommit: string;
  gitDirty: boolean;
}
export function gitSource(cwd?: string): BuildSource;
export function noteBuildSource(dir: string, source?: BuildSource): BuildSource;
