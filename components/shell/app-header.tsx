import Link from 'next/link';
import type { ReactNode } from 'react';
import { AccountLabel } from '@/components/shell/account-label';
import { NavLinks, type NavItem } from '@/components/shell/nav-links';
import { UserMenu } from '@/components/shell/user-menu';
import type { CloudAccount } from '@/lib/cloud/account';
import type { Actor } from '@/lib/identity/actor';
import type { Translate } from '@/lib/i18n/messages';

/** The top bar: product, sections, cloud account, language, and the user (with their roles in the user menu). */
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
              {/* The roles are in the user menu and on the home page: the row keeps its room for sections. */}
              <UserMenu name={actor.name} email={actor.email} roles={actor.roles.map((role) => t(`role.${role}`))} />
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}
