import Link from 'next/link';
import type { ReactNode } from 'react';
import { AccountLabel } from '@/components/shell/account-label';
import { NavLinks, type NavItem } from '@/components/shell/nav-links';
import { UserMenu } from '@/components/shell/user-menu';
import { Badge } from '@/components/ui/badge';
import type { CloudAccount } from '@/lib/cloud/account';
import type { Actor } from '@/lib/identity/actor';
import type { Translate } from '@/lib/i18n/messages';

/** The top bar: product, sections, cloud account, the user with role badges, language. */
export function AppHeader({
  actor,
  account,
  nav,
  t,
  languageSwitch,
}: {
  actor: Actor | null;
  account: CloudAccount | null;
  nav: NavItem[];
  t: Translate;
  languageSwitch: ReactNode;
}) {
  return (
    <header className="border-b border-border bg-surface" data-testid="app-header">
      {/* One row from lg up (sections that do not fit go into "More"); below, a menu button and the account on a second row. */}
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 lg:flex-nowrap">
        <Link href="/" className="shrink-0 text-lg font-bold tracking-tight text-fg">
          {t('app.name')}
        </Link>
        {actor ? <NavLinks items={nav} label={t('nav.main')} moreLabel={t('header.more')} menuLabel={t('header.menu')} /> : null}
        <div className="ml-auto flex shrink-0 items-center gap-3">
          <AccountLabel account={account} t={t} />
          {languageSwitch}
          {actor ? (
            <>
              <ul className="hidden gap-1 xl:flex" aria-label={t('home.yourRoles')} data-testid="role-badges">
                {actor.roles.map((role) => (
                  <li key={role}>
                    <Badge tone={role === 'ADMIN' ? 'danger' : role === 'SECURITY' ? 'warn' : role === 'OPS' ? 'ok' : 'info'}>{t(`role.${role}`)}</Badge>
                  </li>
                ))}
              </ul>
              <UserMenu name={actor.name} email={actor.email} />
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}
