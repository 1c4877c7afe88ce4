'use client';

import Link from 'next/link';
import { signOut } from 'next-auth/react';
import { useI18n } from '@/components/i18n-provider';
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

/** The signed-in user: name, email and roles, and signing out. */
export function UserMenu({ name, email, roles }: { name: string; email: string; roles: string[] }) {
  const { t } = useI18n();
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
        <DropdownMenuItem asChild>
          <Link href="/tokens">{t('shell.tokens')}</Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOut({ callbackUrl: '/signin' })}>{t('shell.signOut')}</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
