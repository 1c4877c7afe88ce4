import { notFound } from 'next/navigation';
import { AwsAccount } from '@/components/cloud/aws-account';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { stackNameFor } from '@/lib/deployments/model';
import { environmentSlugOf } from '@/lib/environments';
import { GRANT_POLICY_PATH, REVOKED_SESSIONS_POLICY, TEAM_ROLE_PATH } from '@/lib/grants/policy';
import { principalLabel, type PrincipalRef } from '@/lib/grants/principals';
import { tamperSandboxPolicyAction } from '@/app/sandbox/actions';
import { TamperButtons } from '@/components/sandbox/tamper-buttons';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { sandboxAccounts, type SandboxAccount } from '@/lib/server/cloud/adapters';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.sandbox');

/** What one simulated account holds, read from its own store. */
async function loadAccount(account: SandboxAccount) {
  const sandbox = account.adapters.sandbox;
  const iam = sandbox.iam();
  const cfn = sandbox.cloudFormation();
  const [policies, users, secrets, roles, arns, stacks] = await Promise.all([
    iam.listPolicies(GRANT_POLICY_PATH),
    iam.listUsers(),
    sandbox.secrets().listSecrets(),
    iam.listRoles(TEAM_ROLE_PATH),
    iam.principalArns(),
    Promise.all(account.environments.map((e) => cfn.describeStack(stackNameFor(environmentSlugOf(e))))),
  ]);
  return { ...account, policies, users, secrets, roles, arns, stacks: stacks.filter((s) => s !== null) };
}

export default async function SandboxPage() {
  const actor = await requirePermission('sandbox.view', '/sandbox');
  const mayTamper = can(actor, 'sandbox.tamper');
  const simulated = sandboxAccounts();
  if (!simulated.length) notFound();
  const [{ t }, accounts] = await Promise.all([getTranslator(), Promise.all(simulated.map(loadAccount))]);
  const environments = (a: SandboxAccount) => a.environments.map((e) => t(`access.env.${e}`)).join(', ') || t('access.sandbox.portalOnly');
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('access.sandbox.title')}</h1>
        <p className="text-muted">{t('access.sandbox.intro')}</p>
      </div>
      <Card>
        <CardTitle>{t('access.sandbox.accounts')}</CardTitle>
        <p className="mb-2 text-sm text-muted">{t('access.sandbox.accountsIntro')}</p>
        <Table data-testid="sandbox-accounts">
          <thead>
            <tr>
              <Th>{t('access.sandbox.account')}</Th>
              <Th>{t('access.sandbox.environments')}</Th>
              <Th>{t('access.sandbox.holds')}</Th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.accountId} data-account-id={a.accountId}>
                <Td>
                  <a href={`#account-${a.accountId}`}>
                    <AwsAccount account={a} />
                  </a>
                </Td>
                <Td data-testid="account-environments">{environments(a)}</Td>
                <Td className="text-sm">
                  {t('access.sandbox.holdsSummary', {
                    policies: a.policies.length,
                    roles: a.roles.length,
                    users: a.users.length,
                    secrets: a.secrets.length,
                    stacks: a.stacks.length,
                  })}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      {accounts.map((a) => {
        // Attachments are listed by name, as IAM lists them; the sandbox knows its principals' ARNs.
        const shown = (p: PrincipalRef) => a.arns.get(principalLabel(p)) ?? principalLabel(p);
        return (
          <section key={a.accountId} id={`account-${a.accountId}`} data-testid="sandbox-account" data-account-id={a.accountId} className="space-y-4">
            <h2 className="flex flex-wrap items-baseline gap-3 text-xl font-semibold">
              <AwsAccount account={a} className="font-mono text-base" />
              <span className="text-sm font-normal text-muted">{environments(a)}</span>
            </h2>
            <Card>
              <CardTitle>{t('access.sandbox.policies')}</CardTitle>
              {a.policies.length === 0 ? (
                <p className="text-sm text-muted">{t('access.sandbox.none')}</p>
              ) : (
                <Table data-testid="sandbox-policies">
                  <thead>
                    <tr>
                      <Th>{t('access.grant.policyName')}</Th>
                      <Th>{t('access.sandbox.attachedTo')}</Th>
                      <Th>{t('access.grant.json')}</Th>
                      {mayTamper ? <Th>{t('access.sandbox.tamper')}</Th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {a.policies.map((p) => (
                      <tr key={p.arn} data-policy-name={p.name} data-policy-arn={p.arn}>
                        <Td className="font-mono text-xs">{p.name}</Td>
                        <Td className="font-mono text-xs">{p.attachedTo.map(shown).join(', ') || '—'}</Td>
                        <Td>
                          <details>
                            <summary className="cursor-pointer text-primary">JSON</summary>
                            <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{JSON.stringify(p.document, null, 2)}</pre>
                          </details>
                        </Td>
                        {mayTamper ? (
                          <Td>
                            <TamperButtons accountId={a.accountId} policyName={p.name} tamper={tamperSandboxPolicyAction} />
                          </Td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </Card>
            <Card>
              <CardTitle>{t('access.sandbox.roles')}</CardTitle>
              {a.roles.length === 0 ? (
                <p className="text-sm text-muted">{t('access.sandbox.none')}</p>
              ) : (
                <Table data-testid="sandbox-roles">
                  <thead>
                    <tr>
                      <Th>{t('access.sandbox.role')}</Th>
                      <Th>{t('access.sandbox.maxSession')}</Th>
                      <Th>{t('access.sandbox.revokedSessions')}</Th>
                      <Th>{t('access.grant.json')}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.roles.map((r) => (
                      <tr key={r.arn} data-role-name={r.name}>
                        <Td className="font-mono text-xs">{r.arn}</Td>
                        <Td>{r.maxSessionDuration / 60} min</Td>
                        <Td data-testid="revoked-sessions">{r.inlinePolicies[REVOKED_SESSIONS_POLICY]?.Statement.length ?? 0}</Td>
                        <Td>
                          <details>
                            <summary className="cursor-pointer text-primary">JSON</summary>
                            <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
                              {JSON.stringify({ trustPolicy: r.trustPolicy, inlinePolicies: r.inlinePolicies }, null, 2)}
                            </pre>
                          </details>
                        </Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </Card>
            <div className="grid gap-4 md:grid-cols-3">
              <Card>
                <CardTitle>{t('access.sandbox.users')}</CardTitle>
                <ul className="font-mono text-xs">
                  {a.users.map((u) => (
                    <li key={u.arn} data-user-name={u.name}>
                      {u.arn}
                    </li>
                  ))}
                </ul>
              </Card>
              <Card>
                <CardTitle>{t('access.sandbox.secrets')}</CardTitle>
                <ul className="font-mono text-xs">
                  {a.secrets.map((s) => (
                    <li key={s.arn} data-secret-name={s.name}>
                      {s.arn}
                      {s.tags['gatehouse:grant'] ? (
                        <span className="text-muted"> · {t('access.sandbox.createdByGrant', { grant: s.tags['gatehouse:grant'] })}</span>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </Card>
              <Card>
                <CardTitle>{t('access.sandbox.stacks')}</CardTitle>
                {a.stacks.length === 0 ? (
                  <p className="text-sm text-muted">{t('access.sandbox.none')}</p>
                ) : (
                  <ul className="font-mono text-xs">
                    {a.stacks.map((s) => (
                      <li key={s.stackId} data-stack-name={s.stackName}>
                        {s.stackId} · {s.status}
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </div>
          </section>
        );
      })}
    </div>
  );
}
