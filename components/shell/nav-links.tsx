'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useLayoutEffect, useRef, useState } from 'react';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { cn } from '@/components/ui/cn';

export interface NavItem {
  href: string;
  label: string;
  /** A count badge (approvals waiting, plans waiting, alarms firing) and what it counts, for screen readers. */
  badge?: { count: number; label: string };
}

const isActive = (href: string, pathname: string) => (href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`));
const itemClass = 'flex items-center gap-1.5 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium';
/** Space between two links (the ul's gap-1). */
const GAP_PX = 4;

function Badge({ badge }: { badge: NavItem['badge'] }) {
  if (!badge || badge.count <= 0) return null;
  return (
    <>
      <span aria-hidden className="rounded-full bg-danger px-1.5 text-xs font-semibold leading-5 text-white" data-nav-badge>
        {badge.count}
      </span>
      <span className="sr-only">({badge.label})</span>
    </>
  );
}

function ItemContent({ item }: { item: NavItem }) {
  return (
    <>
      <span data-nav-label>{item.label}</span>
      <Badge badge={item.badge} />
    </>
  );
}

/**
 * The sections the user may open, on one row: as many as fit (measured in the browser), the rest
 * in a "More" menu; below the lg breakpoint a menu button opens all of them. Until measured the
 * row is clipped, never wrapped, so the header is one row from the first paint.
 */
/** One navigation entry of the row or the phone menu: highlighted and marked current on its section's pages. */
function NavItemLink({ item, pathname, className }: { item: NavItem; pathname: string; className?: string }) {
  const active = isActive(item.href, pathname);
  return (
    <Link
      href={item.href}
      aria-current={active ? 'page' : undefined}
      className={cn(itemClass, className, 'hover:bg-slate-100', active ? 'bg-slate-100 text-primary' : 'text-fg')}
    >
      <ItemContent item={item} />
    </Link>
  );
}

export function NavLinks({ items, label, moreLabel, menuLabel }: { items: NavItem[]; label: string; moreLabel: string; menuLabel: string }) {
  const pathname = usePathname();
  const navRef = useRef<HTMLElement>(null);
  const measureRef = useRef<HTMLUListElement>(null);
  const [fit, setFit] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const signature = items.map((i) => `${i.href}|${i.label}|${i.badge?.count ?? ''}`).join('\n');

  useLayoutEffect(() => {
    const nav = navRef.current;
    const measure = measureRef.current;
    if (!nav || !measure) return;
    const compute = () => {
      const available = nav.clientWidth;
      const widths = [...measure.children].map((c) => (c as HTMLElement).offsetWidth);
      const more = widths.pop() ?? 0;
      const all = widths.reduce((sum, w) => sum + w, 0) + GAP_PX * Math.max(0, widths.length - 1);
      if (all <= available) return setFit(widths.length);
      let used = more;
      let n = 0;
      while (n < widths.length && used + widths[n]! + GAP_PX <= available) used += widths[n++]! + GAP_PX;
      setFit(n);
    };
    compute();
    const observer = new ResizeObserver(compute);
    observer.observe(nav);
    return () => observer.disconnect();
  }, [signature]);

  // Close the phone menu when a link took the user elsewhere.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  const inline = fit === null ? items : items.slice(0, fit);
  const overflow = fit === null ? [] : items.slice(fit);
  const overflowCount = overflow.reduce((sum, i) => sum + (i.badge?.count ?? 0), 0);
  return (
    <>
      <nav ref={navRef} aria-label={label} className="relative hidden min-w-0 flex-1 lg:flex" data-measured={fit === null ? 'false' : 'true'}>
        <ul className="flex min-w-0 flex-nowrap items-center gap-1 overflow-hidden">
          {inline.map((item) => (
            <li key={item.href} className="shrink-0">
              <NavItemLink item={item} pathname={pathname} />
            </li>
          ))}
          {overflow.length ? (
            <li className="shrink-0">
              <DropdownMenu>
                <DropdownMenuTrigger
                  className={cn(itemClass, 'hover:bg-slate-100', overflow.some((i) => isActive(i.href, pathname)) ? 'bg-slate-100 text-primary' : 'text-fg')}
                  data-testid="nav-more"
                >
                  {moreLabel}
                  {overflowCount > 0 ? (
                    <span aria-hidden className="rounded-full bg-danger px-1.5 text-xs font-semibold leading-5 text-white">
                      {overflowCount}
                    </span>
                  ) : null}
                  <span aria-hidden>▾</span>
                </DropdownMenuTrigger>
                <DropdownMenuContent data-testid="nav-more-menu">
                  {overflow.map((item) => (
                    <DropdownMenuItem key={item.href} asChild>
                      <Link href={item.href} aria-current={isActive(item.href, pathname) ? 'page' : undefined}>
                        <ItemContent item={item} />
                      </Link>
                    </DropdownMenuItem>
                  ))}
                </DropdownMenuContent>
              </DropdownMenu>
            </li>
          ) : null}
        </ul>
        {/* Every item at its natural width, out of sight and taking no room (no page overflow): what the row is computed from. */}
        <div aria-hidden className="pointer-events-none invisible absolute left-0 top-0 h-0 w-0 overflow-hidden">
          <ul ref={measureRef} className="flex w-max flex-nowrap gap-1">
            {items.map((item) => (
              <li key={item.href} className={cn(itemClass, 'shrink-0')}>
                <span>{item.label}</span>
                {item.badge && item.badge.count > 0 ? <span className="rounded-full px-1.5 text-xs leading-5">{item.badge.count}</span> : null}
              </li>
            ))}
            <li className={cn(itemClass, 'shrink-0')}>
              {moreLabel} <span className="px-1.5 text-xs">99</span> ▾
            </li>
          </ul>
        </div>
      </nav>

      <button
        type="button"
        className="inline-flex h-9 items-center gap-2 rounded-md border border-border px-3 text-sm font-medium lg:hidden"
        aria-expanded={open}
        aria-controls="phone-nav"
        onClick={() => setOpen((o) => !o)}
        data-testid="nav-menu-button"
      >
        <span aria-hidden>☰</span>
        {menuLabel}
      </button>
      {open ? (
        <nav id="phone-nav" aria-label={label} className="order-last w-full basis-full lg:hidden" data-testid="phone-nav">
          <ul className="grid grid-cols-1 gap-1 border-t border-border pt-2 sm:grid-cols-2">
            {items.map((item) => (
              <li key={item.href}>
                <NavItemLink item={item} pathname={pathname} className="py-2" />
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
