// Types of scripts/server-flags.mjs for the TypeScript files that import it (bench).
export const SERVER_NODE_FLAGS: string[];
