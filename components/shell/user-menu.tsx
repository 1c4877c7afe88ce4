'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { postToAuth } from '@/components/auth-post';
import { useI18n } from '@/components/i18n-provider';
import { browserTimeZone, rememberTimeZone } from '@/components/time-zone';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Select } from '@/components/ui/field';
import { isTimeZone, listTimeZones, zoneLabel } from '@/lib/i18n/format';

/** The signed-in user: name, email and roles, the time zone times are shown in, and signing out. */
export function UserMenu({ name, email, roles }: { name: string; email: string; roles: string[] }) {
  const { t, zone } = useI18n();
  const router = useRouter();
  const chooseZone = (next: string, pinned: boolean) => {
    if (!isTimeZone(next)) return;
    rememberTimeZone(next, pinned);
    router.refresh();
  };
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={t('shell.userMenu')} data-testid="user-menu">
          <span aria-hidden className="flex h-7 w-7 items-center justify-center rounded-full bg-primary text-xs text-primary-fg">
            {name
              .split(/\s+/)
              .map((p) => p[0])
              .join('')
              .slice(0, 2)}
          </span>
          <span className="hidden sm:inline">{name}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        <DropdownMenuLabel>
          {t('shell.signedInAs', { name })}
          <br />
          {email}
          <span className="mt-2 flex flex-wrap gap-1" aria-label={t('home.yourRoles')} data-testid="role-badges">
            {roles.map((role) => (
              <Badge key={role}>{role}</Badge>
            ))}
          </span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <TimeZoneChoice zone={zone} chooseZone={chooseZone} />
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/tokens">{t('shell.tokens')}</Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void postToAuth('signout', { callbackUrl: '/signin' })}>{t('shell.signOut')}</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

/** The zone times are shown in, and the ways to change it (docs/decisions/048-time-zone-policy.md). */
function TimeZoneChoice({ zone, chooseZone }: { zone: string; chooseZone: (zone: string, pinned: boolean) => void }) {
  const { t } = useI18n();
  // The menu's content renders only once opened, in the browser: its zone is known here.
  const browser = browserTimeZone();
  return (
    <>
      <DropdownMenuLabel data-testid="time-zone-current">{t('format.zone.current', { zone: `${zone} (${zoneLabel(new Date(), zone)})` })}</DropdownMenuLabel>
      <DropdownMenuItem onSelect={() => chooseZone(browser, false)}>{t('format.zone.browser', { zone: browser })}</DropdownMenuItem>
      <DropdownMenuItem onSelect={() => chooseZone('UTC', true)}>{t('format.zone.utc')}</DropdownMenuItem>
      <label className="flex flex-col gap-1 px-2 py-1.5 text-sm">
        <span className="text-muted">{t('format.zone.other')}</span>
        <Select
          className="px-2 py-1"
          value={zone}
          // The menu's typeahead would take the keys meant for the list.
          onKeyDown={(e) => e.stopPropagation()}
          onChange={(e) => chooseZone(e.target.value, true)}
        >
          {listTimeZones().map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </Select>
      </label>
    </>
  );
}
