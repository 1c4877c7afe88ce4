import 'server-only';
import { closeDb } from '@/lib/server/db/connection';
import { env } from '@/lib/server/env';
import { startJobs } from '@/lib/server/jobs/scheduler';
import { startMemoryLog } from '@/lib/server/memory-log';
import { prepareDatabase } from '@/lib/server/prepare-database';
import { onShutdownSignal } from '@/lib/server/shutdown';

/** Validates the configuration, migrates (and in local mode seeds) the database, and closes it on shutdown. */
export async function startServer(): Promise<void> {
  const e = env();
  if (e.GATEHOUSE_AUTH === 'local' && e.NODE_ENV === 'production') {
    console.warn('[auth] local sign-in is enabled (GATEHOUSE_ALLOW_LOCAL_SIGNIN=true): anyone can act as any user. Demo use only.');
  }
  if (e.NODE_ENV === 'production' && !e.GATEHOUSE_AUDIT_CHECKPOINT_KEY) {
    console.warn(
      '[audit] GATEHOUSE_AUDIT_CHECKPOINT_KEY is unset: audit checkpoints are signed with a key file in the data directory. Demo use only (docs/decisions/030-audit-history-integrity.md).',
    );
  }
  await prepareDatabase();
  const stopJobs = startJobs();
  const stopMemoryLog = startMemoryLog(e.GATEHOUSE_MEMORY_LOG_SECONDS);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    onShutdownSignal(signal, {
      stop: () => {
        stopJobs();
        stopMemoryLog();
      },
      closeDb,
      process,
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, shutdown);
}
