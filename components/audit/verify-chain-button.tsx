'use client';

import { useMutation } from '@tanstack/react-query';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import type { ChainBreak } from '@/lib/audit/hash-chain';

/** The verification report, as /api/v1/audit/verify answers it. */
interface ChainReport {
  ok: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
  verifiedAt: string;
}

async function verifyChain(): Promise<ChainReport> {
  const res = await fetch('/api/v1/audit/verify', { method: 'POST', cache: 'no-store' });
  const body = (await res.json().catch(() => null)) as (ChainReport & { error?: { message?: string } }) | null;
  if (!res.ok || !body || typeof body.ok !== 'boolean') throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** Recomputes the audit history's hash chain on demand and says whether it is intact. */
export function VerifyChainButton() {
  const { t } = useI18n();
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
            <span className="text-ok">{t('audit.verify.intact', { count: report.checked })}</span>
          ) : report.firstBreak ? (
            <span className="text-danger">
              {t('audit.verify.broken', { seq: report.firstBreak.seq, reason: t(`audit.verify.reason.${report.firstBreak.reason}`) })}
            </span>
          ) : null
        ) : null}
      </p>
    </div>
  );
}
