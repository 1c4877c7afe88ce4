import { redirect } from 'next/navigation';
import { z } from 'zod';
import { LocalUserList, SsoButton } from '@/components/signin/sign-in-options';
import { FormError } from '@/components/ui/form-error';
import { safeCallbackPath } from '@/lib/security/redirect';
import { authorize, getActor } from '@/lib/server/auth/guards';
import { listSignInUsers } from '@/lib/server/db/repositories/users';
import { env } from '@/lib/server/env';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.signin');

// Only paths on this site, resolved as a browser would (lib/security/redirect.ts): anything else is '/'.
const searchSchema = z.object({
  callbackUrl: z.unknown().transform((v) => safeCallbackPath(v)),
  error: z.string().max(64).optional().catch(undefined),
});

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await getActor();
  authorize(actor, 'auth.signin');
  const { callbackUrl, error } = searchSchema.parse(await searchParams);
  if (actor) redirect(callbackUrl);
  const { t } = await getTranslator();
  const e = env();
  const users =
    e.GATEHOUSE_AUTH === 'local'
      ? (await listSignInUsers()).map((u) => ({ id: u.id, name: u.name, email: u.email, roles: u.roles, teams: u.teams.map((team) => team.name) }))
      : [];
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-bold">{t('signin.title')}</h1>
      <FormError>{error ? t('signin.error', { reason: t('signin.error.generic') }) : null}</FormError>
      {e.GATEHOUSE_AUTH === 'oidc' ? (
        <SsoButton provider={e.OIDC_NAME} callbackUrl={callbackUrl} />
      ) : (
        <>
          <p className="rounded-md border border-violet-200 bg-violet-50 p-3 text-sm text-violet-900">{t('signin.localNotice')}</p>
          {users.length ? <LocalUserList users={users} callbackUrl={callbackUrl} /> : <p>{t('signin.noUsers')}</p>}
        </>
      )}
    </div>
  );
}
