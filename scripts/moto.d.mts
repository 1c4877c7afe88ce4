export function motoPython(): string | null;
export const MOTO_MISSING: string;
export function startMoto(options?: {
  env?: Record<string, string>;
}): Promise<{ url: string; stop: () => void; skipped?: undefined } | { skipped: string; url?: undefined; stop?: undefined }>;
