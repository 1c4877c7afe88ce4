import { readCheckpoints, writeCheckpoint, type CheckpointDeps } from '@/lib/audit/checkpoint';
import type { ChainBreak, ChainCheckpoint, ChainReport } from '@/lib/audit/hash-chain';

/** Verifies the chain in the database against the given (signature-checked) checkpoints. */
export type VerifyChain = (checkpoints: readonly ChainCheckpoint[]) => Promise<ChainReport>;

/**
 * The audit history's verification (docs/decisions/030-audit-history-integrity.md): reads every
 * checkpoint kept outside the database, verifies the chain against those signed with our key, then
 * reports a forged one if the chain itself is intact. An intact history is checkpointed at the head
 * it was verified up to, so each verification also leaves a mark the database cannot rewrite; a
 * broken one is not (that would sign what an attacker left).
 */
export async function verifyHistory(verifyChain: VerifyChain, deps: CheckpointDeps): Promise<ChainReport> {
  // Checkpoints before the chain: one written meanwhile by another replica is at most the head read after.
  const { valid, forged } = await readCheckpoints(deps);
  const report = await verifyChain(valid);
  const firstBreak: ChainBreak | null = report.firstBreak ?? (forged.length ? { seq: Math.min(...forged), reason: 'checkpoint-signature' } : null);
  const latest = valid.reduce<ChainCheckpoint | null>(
    (a, c) => (!a || c.seq > a.seq || (c.seq === a.seq && c.at > a.at) ? { seq: c.seq, hash: c.hash, at: c.at } : a),
    null,
  );
  const signed = !firstBreak && report.head ? await writeCheckpoint(deps, report.head) : null;
  return {
    ...report,
    ok: !firstBreak,
    firstBreak,
    checkpoints: { read: valid.length + forged.length, latest, written: signed ? { seq: signed.seq, hash: signed.hash, at: signed.at } : null },
  };
}
