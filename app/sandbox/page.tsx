import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { GRANT_POLICY_PATH, REVOKED_SESSIONS_POLICY, TEAM_ROLE_PATH } from '@/lib/grants/policy';
import { principalLabel, type PrincipalRef } from '@/lib/grants/principals';
import { tamperSandboxPolicyAction } from '@/app/sandbox/actions';
import { TamperButtons } from '@/components/sandbox/tamper-buttons';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { cloud } from '@/lib/server/cloud/adapters';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Sandbox account' };

export default async function SandboxPage() {
  const actor = await requirePermission('sandbox.view', '/sandbox');
  const mayTamper = can(actor, 'sandbox.tamper');
  const sandbox = cloud().sandbox;
  if (!sandbox) notFound();
  const iam = sandbox.iam();
  const [{ t }, policies, users, secrets, roles, arns] = await Promise.all([
    getTranslator(),
    iam.listPolicies(GRANT_POLICY_PATH),
    iam.listUsers(),
    sandbox.secrets().listSecrets(),
    iam.listRoles(TEAM_ROLE_PATH),
    iam.principalArns(),
  ]);
  // Attachments are listed by name, as IAM lists them; the sandbox knows its principals' ARNs.
  const shown = (p: PrincipalRef) => arns.get(principalLabel(p)) ?? principalLabel(p);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('access.sandbox.title')}</h1>
        <p className="text-muted">{t('access.sandbox.intro')}</p>
      </div>
      <Card>
        <CardTitle>{t('access.sandbox.policies')}</CardTitle>
        {policies.length === 0 ? (
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
              {policies.map((p) => (
                <tr key={p.arn} data-policy-name={p.name}>
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
                      <TamperButtons policyName={p.name} tamper={tamperSandboxPolicyAction} />
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
        {roles.length === 0 ? (
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
              {roles.map((r) => (
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
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardTitle>{t('access.sandbox.users')}</CardTitle>
          <ul className="font-mono text-xs">
            {users.map((u) => (
              <li key={u.arn}>{u.arn}</li>
            ))}
          </ul>
        </Card>
        <Card>
          <CardTitle>{t('access.sandbox.secrets')}</CardTitle>
          <ul className="font-mono text-xs">
            {secrets.map((s) => (
              <li key={s.arn} data-secret-name={s.name}>
                {s.arn}
                {s.tags['gatehouse:grant'] ? (
                  <span className="text-muted"> · {t('access.sandbox.createdByGrant', { grant: s.tags['gatehouse:grant'] })}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </div>
  );
}
