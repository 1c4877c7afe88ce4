'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Time } from '@/components/time';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { Table, Td, Th } from '@/components/ui/table';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';
import type { PendingChangeView } from '@/lib/control-plane/describe';

type Decide = (input: { changeId: string; decision: 'APPROVE' | 'REJECT' | 'WITHDRAW'; comment: string }) => Promise<ActionResult>;

function DecideChange({ change, decide }: { change: PendingChangeView; decide: Decide }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  // A refusal (stale, decided meanwhile) still reloads: the list may have changed.
  const { call, pending, error } = useActionCall(decide, { refreshOnError: true });
  const noteId = `own-change-${change.id}`;
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field id={`change-comment-${change.id}`} label={t('controlPlane.comment')}>
        <Input name="comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} className="px-2 py-1.5" />
      </Field>
      {change.own ? (
        <Button type="button" size="sm" variant="secondary" disabled={pending} onClick={() => call({ changeId: change.id, decision: 'WITHDRAW', comment })}>
          {t('controlPlane.withdraw')}
        </Button>
      ) : (
        <>
          <Button type="button" size="sm" disabled={pending} onClick={() => call({ changeId: change.id, decision: 'APPROVE', comment })}>
            {t('controlPlane.approve')}
          </Button>
          <Button type="button" size="sm" variant="danger" disabled={pending} onClick={() => call({ changeId: change.id, decision: 'REJECT', comment })}>
            {t('controlPlane.reject')}
          </Button>
        </>
      )}
      {change.own ? (
        <p id={noteId} className="w-full text-sm text-muted" data-testid="own-change-note">
          {t('controlPlane.own')}
        </p>
      ) : null}
      <FormError compact className="w-full">
        {error ? (error.fields?.comment ?? error.message) : null}
      </FormError>
    </div>
  );
}

/** The proposals awaiting a second approver: another security or admin user approves or rejects; the author withdraws. */
export function PendingChanges({ changes, decide }: { changes: PendingChangeView[]; decide: Decide }) {
  const { t } = useI18n();
  if (!changes.length) return <p className="text-sm text-muted">{t('controlPlane.pending.none')}</p>;
  return (
    <Table data-testid="pending-changes">
      <thead>
        <tr>
          <Th>{t('controlPlane.col.change')}</Th>
          <Th>{t('controlPlane.col.what')}</Th>
          <Th>{t('controlPlane.col.by')}</Th>
          <Th />
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.id} data-change-id={c.id} data-target={c.targetLabel}>
            <Td>
              <span className="block text-xs text-muted">{t(`controlPlane.kind.${c.kind}`)}</span>
              <span className="font-mono text-xs">{c.targetLabel}</span> {c.isNew ? <span className="text-xs text-muted">{t('controlPlane.new')}</span> : null}
              <span className="block text-xs text-warn" data-testid="proposed-note">
                {t('controlPlane.proposed')}
              </span>
            </Td>
            <Td>
              <ul className="space-y-0.5 font-mono text-xs">
                {c.lines.map((l) => (
                  <li key={l.field}>
                    {l.field}: {l.from === null ? '' : `${l.from} → `}
                    {l.to}
                  </li>
                ))}
              </ul>
            </Td>
            <Td>
              {c.authorName}
              <Time value={c.createdAt} className="block text-xs text-muted" />
            </Td>
            <Td>
              <DecideChange change={c} decide={decide} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
