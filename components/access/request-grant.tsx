import type { InstantFormat } from '@/lib/i18n/format';
import type { ComponentProps } from 'react';
import { GiveBackButton, RevokeForm, ShortenForm } from '@/components/access/grant-actions';
import { GrantAccount, grantEndOf, GrantPanel, GrantSetupExplained, PolicyExplained, type GrantPanelData } from '@/components/access/grant-panel';
import { GrantUsagePanel } from '@/components/grants/grant-usage';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import type { AccountRef } from '@/lib/cloud/accounts';
import type { Environment } from '@/lib/environments';
import type { GrantUsage } from '@/lib/grants/usage';
import type { NewGrant } from '@/lib/grants/build-grant';
import type { GrantKind, GrantSetup } from '@/lib/grants/model';
import { summarizePolicy, type PolicyDocument } from '@/lib/grants/policy';
import type { Translate } from '@/lib/i18n/messages';

type GrantData = GrantPanelData & { kind: GrantKind; setup: GrantSetup | null; setupAt: Date | null; resourceArn: string; policy: PolicyDocument };

/** What the viewer may do to a live grant; the actions authorize themselves. */
export interface GrantControls {
  isRequester: boolean;
  mayRevoke: boolean;
  giveBack: ComponentProps<typeof GiveBackButton>['giveBack'];
  shorten: ComponentProps<typeof ShortenForm>['shorten'];
  revoke: ComponentProps<typeof RevokeForm>['revoke'];
}

function GrantActions({ grantId, c }: { grantId: string; c: GrantControls }) {
  return (
    <>
      {c.isRequester ? <GiveBackButton grantId={grantId} giveBack={c.giveBack} /> : null}
      {c.isRequester || c.mayRevoke ? <ShortenForm grantId={grantId} shorten={c.shorten} /> : null}
      {c.mayRevoke && !c.isRequester ? <RevokeForm grantId={grantId} revoke={c.revoke} /> : null}
    </>
  );
}

/**
 * The request's grant: the grant itself once there is one; before a decision, the exact policy an
 * approval now would apply (`preview`) or why it cannot be built; after approval, that it is not made yet.
 */
export function RequestGrant({
  grant,
  usage,
  environment,
  account,
  preview,
  previewError,
  approved,
  controls,
  now,
  when,
  t,
}: {
  grant: GrantData | null;
  /** How the holder uses the grant (shown to them while it is active). */
  usage: GrantUsage | null;
  environment: Environment;
  /** The account of the request's environment: where the grant acts. */
  account: AccountRef | null;
  preview: NewGrant | null;
  previewError: string | null;
  approved: boolean;
  controls: GrantControls;
  now: Date;
  when: InstantFormat;
  t: Translate;
}) {
  const format = (d: Date) => when.format(d);
  if (grant) {
    return (
      <GrantPanel
        grant={grant}
        account={account}
        t={t}
        when={format}
        explained={
          <div className="space-y-4">
            {grant.status === 'ACTIVE' && controls.isRequester ? (
              <section className="rounded-md border border-green-200 bg-green-50 p-3" aria-label={t('grantUse.title')}>
                <h3 className="mb-2 font-semibold">{t('grantUse.title')}</h3>
                <GrantUsagePanel usage={usage} environment={environment} endsAt={grant.endsAt} now={now} t={t} when={format} />
              </section>
            ) : null}
            {grant.setup ? (
              <GrantSetupExplained
                setup={grant.setup}
                grantId={grant.id}
                resourceArn={grant.resourceArn}
                endsAt={grant.endsAt}
                now={now}
                done={grant.setupAt !== null}
                t={t}
              />
            ) : null}
            <PolicyExplained kind={grant.kind} summary={summarizePolicy(grant.policy)} policy={grant.policy} t={t} when={format} ended={grantEndOf(grant)} />
          </div>
        }
        actions={['PENDING', 'ACTIVE', 'GRANT_FAILED'].includes(grant.status) ? <GrantActions grantId={grant.id} c={controls} /> : null}
      />
    );
  }
  if (preview) {
    return (
      <Card data-testid="policy-preview">
        <CardTitle>{t('access.grant.preview')}</CardTitle>
        {account?.accountId ? (
          <dl className="mb-3 grid grid-cols-[fit-content(40%)_minmax(0,1fr)] [overflow-wrap:anywhere] gap-x-4 gap-y-1 text-sm">
            <GrantAccount account={account} t={t} />
          </dl>
        ) : null}
        <div className="space-y-4">
          {preview.setup ? (
            <GrantSetupExplained setup={preview.setup} grantId={null} resourceArn={preview.resourceArn} endsAt={preview.endsAt} now={now} done={false} t={t} />
          ) : null}
          <PolicyExplained kind={preview.kind} summary={summarizePolicy(preview.policy)} policy={preview.policy} t={t} when={format} />
        </div>
      </Card>
    );
  }
  if (previewError) {
    return (
      <Card>
        <Alert>{previewError}</Alert>
      </Card>
    );
  }
  if (approved) {
    return (
      <Card>
        <p className="text-sm text-muted">{t('access.grant.notYet')}</p>
      </Card>
    );
  }
  return null;
}
