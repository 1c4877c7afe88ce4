// Test-only: a Logger that records instead of printing (tests fail on an unexpected console.error).
import type { Logger } from './logger';

export interface RecordedLog {
  level: 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

export function recordingLogger(): Logger & { entries: RecordedLog[]; text(): string } {
  const entries: RecordedLog[] = [];
  const at = (level: RecordedLog['level']) => (message: string, data?: Record<string, unknown>) => void entries.push({ level, message, data });
  return { entries, info: at('info'), warn: at('warn'), error: at('error'), text: () => JSON.stringify(entries) };
}
