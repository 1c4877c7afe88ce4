'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

/** "Run scan": reads the whole account on the server, then reloads the page's findings. */
export function RunScanButton({ run }: { run: (input: Record<string, never>) => Promise<ActionResult> }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(run);
  return (
    <div>
      <Button type="button" size="sm" disabled={pending} onClick={() => call({})}>
        {pending ? t('iamAudit.scan.running') : t('iamAudit.scan.run')}
      </Button>
      <FormError compact className="mt-1">
        {error?.message}
      </FormError>
    </div>
  );
}
