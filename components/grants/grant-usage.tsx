import { Countdown } from '@/components/grants/countdown';
import type { Environment } from '@/lib/environments';
import type { GrantUsage } from '@/lib/grants/usage';
import type { Translate } from '@/lib/i18n/messages';

function Code({ children, testId }: { children: string; testId?: string }) {
  return (
    <pre className="overflow-x-auto whitespace-pre rounded bg-slate-900 p-2 text-xs text-slate-100" data-testid={testId}>
      {children}
    </pre>
  );
}

/**
 * How to use a live grant: the policy in plain words with the time left, the exact AWS CLI command
 * (or, for a team role, the profile that tags the session with the grant), and the console page in
 * the right region with the account to sign in to. Shown on the home page and the request page.
 */
export function GrantUsagePanel({
  usage,
  environment,
  endsAt,
  now,
  t,
  when,
}: {
  usage: GrantUsage | null;
  environment: Environment;
  endsAt: Date;
  now: Date;
  t: Translate;
  when: (d: Date) => string;
}) {
  const env = t(`access.env.${environment}`);
  if (!usage) return <p className="text-sm text-muted">{t('grantUse.unknown')}</p>;
  const name = usage.kind === 'ROLE' ? usage.roleName : usage.name;
  return (
    <div className="space-y-2 text-sm" data-testid="grant-usage">
      <p className="flex flex-wrap items-baseline gap-x-3">
        <span data-testid="grant-plain">{t(`grantUse.plain.${usage.kind}`, { name, env, until: when(endsAt) })}</span>
        <Countdown endsAt={endsAt.toISOString()} serverNow={now.toISOString()} />
      </p>
      {usage.kind === 'ROLE' ? (
        <>
          <p>{t('grantUse.profile')}</p>
          <Code testId="grant-profile">{usage.profile}</Code>
          <p>{t('grantUse.thenRun')}</p>
          <Code testId="grant-command">{usage.command}</Code>
          <p className="text-muted">{t('grantUse.noConsole')}</p>
        </>
      ) : (
        <>
          <p>{t('grantUse.cli')}</p>
          <Code testId="grant-command">{usage.command}</Code>
          <p>
            <a className="text-primary underline" href={usage.consoleUrl} target="_blank" rel="noreferrer noopener" data-testid="grant-console">
              {t('grantUse.console')}
            </a>{' '}
            <span className="text-muted">{t('grantUse.consoleAccount', { account: usage.accountId, region: usage.region })}</span>
          </p>
        </>
      )}
    </div>
  );
}
