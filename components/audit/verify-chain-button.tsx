'use client';

import { useMutation } from '@tanstack/react-query';
import { fetchJson } from '@/components/fetch-json';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import type { ChainBreak, ChainReport } from '@/lib/audit/hash-chain';
import { formatInstant } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

const verifyChain = () => fetchJson<ChainReport>('/api/v1/audit/verify', { method: 'POST' });

/** Why the chain is broken, in words (a rewrite names the checkpoint it disagrees with). */
function reasonText(t: Translate, zone: string, b: ChainBreak): string {
  return b.reason === 'checkpoint-mismatch'
    ? t('audit.verify.reason.checkpoint-mismatch', { at: formatInstant(b.checkpointAt, t.locale, zone, 'dateTime', { seconds: true }), since: b.since })
    : t(`audit.verify.reason.${b.reason}`);
}

/** Recomputes the audit history's hash chain on demand and says whether it is intact. */
export function VerifyChainButton() {
  const { t, zone } = useI18n();
  const verify = useMutation({ mutationFn: verifyChain });
  const report = verify.data;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button type="button" variant="secondary" size="sm" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? t('audit.verify.running') : t('audit.verify.button')}
      </Button>
      <p role="status" aria-live="polite" data-testid="verify-result" className="text-sm">
        {verify.isError ? (
          <span className="text-danger">{t('audit.verify.failed', { message: verify.error.message })}</span>
        ) : report && !verify.isPending ? (
          report.ok ? (
            <span className="text-ok">
              {t('audit.verify.intact', { count: report.checked })} {t('audit.verify.checkpoints', { count: report.checkpoints.read })}
            </span>
          ) : report.firstBreak ? (
            <span className="text-danger">{t('audit.verify.broken', { seq: report.firstBreak.seq, reason: reasonText(t, zone, report.firstBreak) })}</span>
          ) : null
        ) : null}
      </p>
    </div>
  );
}
