'use client';

import { useState } from 'react';
import { postToAuth } from '@/components/auth-post';
import { useI18n } from '@/components/i18n-provider';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { AppRole } from '@/lib/identity/actor';

export interface SignInUser {
  id: string;
  name: string;
  email: string;
  roles: AppRole[];
  teams: string[];
}

/** Local mode: one button per seeded user. */
export function LocalUserList({ users, callbackUrl }: { users: SignInUser[]; callbackUrl: string }) {
  const { t } = useI18n();
  const [pending, setPending] = useState<string | null>(null);
  return (
    <ul className="divide-y divide-border rounded-lg border border-border bg-surface" data-testid="local-users">
      {users.map((user) => (
        <li key={user.id} className="flex flex-wrap items-center justify-between gap-3 p-3">
          <div>
            <p className="font-medium">{user.name}</p>
            <p className="text-sm text-muted">
              {user.email}
              {user.teams.length ? ` · ${user.teams.join(', ')}` : ''}
            </p>
            <p className="mt-1 flex gap-1">
              {user.roles.map((role) => (
                <Badge key={role}>{t(`role.${role}`)}</Badge>
              ))}
            </p>
          </div>
          <Button
            size="sm"
            disabled={pending !== null}
            aria-label={t('signin.as', { name: user.name })}
            onClick={() => {
              setPending(user.id);
              void postToAuth('callback/local', { userId: user.id, callbackUrl });
            }}
          >
            {t('signin.as', { name: user.name.split(' ')[0] ?? user.name })}
          </Button>
        </li>
      ))}
    </ul>
  );
}

/** SSO mode: one button to the identity provider. */
export function SsoButton({ provider, callbackUrl }: { provider: string; callbackUrl: string }) {
  const { t } = useI18n();
  return (
    <Button size="lg" onClick={() => void postToAuth('signin/oidc', { callbackUrl })}>
      {t('signin.sso', { provider })}
    </Button>
  );
}
