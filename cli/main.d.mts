// Types of cli/main.mjs for the TypeScript files that import it (its tests).
export const HELP: string;
export function grantCommands(
  grant: { id: string; kind: string; status: string; resourceArn: string; endsAt: string; setup: unknown },
  options?: { sourceProfile?: string; now?: Date },
): { commands: string[]; profile: string | null };
export function main(
  argv: string[],
  io?: { env?: Record<string, string | undefined>; stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream },
): Promise<number>;
