'use client';

import {
  cloneElement,
  createContext,
  isValidElement,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ComponentProps,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { cn } from '@/components/ui/cn';

// A small menu button of our own: the header shows it on every page, and @radix-ui/react-dropdown-menu
// (with its positioning engine) weighed 32 kB gzip there (docs/decisions/052-page-weight-budget.md).
// It follows the WAI-ARIA menu-button pattern: Enter, Space or ArrowDown open it, arrows and
// Home/End move between items, Escape or Tab close it and focus returns to the button.

interface MenuState {
  open: boolean;
  setOpen: (open: boolean, focusTrigger?: boolean) => void;
  triggerId: string;
  menuId: string;
}

const MenuContext = createContext<MenuState | null>(null);

function useMenu(): MenuState {
  const menu = useContext(MenuContext);
  if (!menu) throw new Error('DropdownMenu parts need a DropdownMenu above them');
  return menu;
}

/** The menu's state; its children are the trigger and the content. */
export function DropdownMenu({ children }: { children: ReactNode }) {
  const [open, setOpenState] = useState(false);
  const menuId = useId();
  const triggerId = `${menuId}-trigger`;
  const setOpen = useCallback(
    (next: boolean, focusTrigger = false) => {
      setOpenState(next);
      if (!next && focusTrigger) document.getElementById(triggerId)?.focus();
    },
    [triggerId],
  );
  return <MenuContext.Provider value={{ open, setOpen, triggerId, menuId }}>{children}</MenuContext.Provider>;
}

type TriggerProps = ComponentProps<'button'> & { asChild?: boolean };

/** The button that opens the menu; with asChild its single child element is the button. */
export function DropdownMenuTrigger({ asChild, children, onClick, onKeyDown, ...props }: TriggerProps) {
  const { open, setOpen, triggerId, menuId } = useMenu();
  const triggerProps = {
    ...props,
    id: triggerId,
    type: 'button' as const,
    'aria-haspopup': 'menu' as const,
    'aria-expanded': open,
    'aria-controls': open ? menuId : undefined,
    'data-state': open ? 'open' : 'closed',
    onClick: (e: MouseEvent<HTMLButtonElement>) => {
      onClick?.(e);
      if (!e.defaultPrevented) setOpen(!open);
    },
    onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => {
      onKeyDown?.(e);
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setOpen(true);
      }
    },
  };
  if (asChild && isValidElement(children)) return cloneElement(children as ReactElement<Record<string, unknown>>, triggerProps);
  return <button {...triggerProps}>{children}</button>;
}

const items = (menu: HTMLElement) => [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')];

/** The menu, in a portal below the trigger (aligned to its right edge) so no clipping parent cuts it. */
export function DropdownMenuContent({ className, children, ...props }: ComponentProps<'div'>) {
  const { open, setOpen, triggerId, menuId } = useMenu();
  const menuRef = useRef<HTMLDivElement>(null);
  const [style, setStyle] = useState<CSSProperties>({ position: 'fixed', visibility: 'hidden' });

  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const rect = document.getElementById(triggerId)?.getBoundingClientRect();
      if (!rect) return;
      const right = Math.max(8, document.documentElement.clientWidth - rect.right);
      setStyle({ position: 'fixed', top: rect.bottom + 6, right, maxHeight: `calc(100vh - ${rect.bottom + 16}px)`, overflowY: 'auto' });
    };
    place();
    // Focus the first item, as a menu button does.
    (menuRef.current && items(menuRef.current)[0])?.focus();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [open, triggerId]);

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !document.getElementById(triggerId)?.contains(target)) setOpen(false);
    };
    // Escape closes it wherever the focus is (the menu's own handler returns the focus to the button first).
    const escape = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open, setOpen, triggerId]);

  if (!open) return null;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const menu = menuRef.current;
    if (!menu) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      return setOpen(false, true);
    }
    if (e.key === 'Tab') return setOpen(false);
    const all = items(menu);
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[e.key];
    if (move === undefined || !all.length) return;
    e.preventDefault();
    all[(move + all.length) % all.length]?.focus();
  };
  return createPortal(
    <div
      ref={menuRef}
      id={menuId}
      role="menu"
      tabIndex={-1}
      style={style}
      onKeyDown={onKeyDown}
      className={cn('z-50 min-w-48 rounded-md border border-border bg-surface p-1 text-sm shadow-lg', className)}
      {...props}
    >
      {children}
    </div>,
    document.body,
  );
}

type ItemProps = Omit<ComponentProps<'div'>, 'onSelect'> & { asChild?: boolean; onSelect?: () => void };

/** One choice; it closes the menu. With asChild its child (a link) is the item. */
export function DropdownMenuItem({ asChild, className, children, onSelect, onClick, ...props }: ItemProps) {
  const { setOpen } = useMenu();
  const itemProps = {
    ...props,
    role: 'menuitem',
    tabIndex: -1,
    className: cn(
      'flex cursor-pointer select-none items-center gap-2 rounded px-2 py-1.5 outline-none hover:bg-slate-100 focus:bg-slate-100',
      className,
      asChild && isValidElement(children) ? (children.props as { className?: string }).className : undefined,
    ),
    onClick: (e: MouseEvent<HTMLElement>) => {
      onClick?.(e as MouseEvent<HTMLDivElement>);
      onSelect?.();
      setOpen(false);
    },
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        (e.currentTarget as HTMLElement).click();
      }
    },
  };
  if (asChild && isValidElement(children)) return cloneElement(children as ReactElement<Record<string, unknown>>, itemProps);
  return <div {...itemProps}>{children}</div>;
}

/** Text in the menu that is not a choice. */
export function DropdownMenuLabel({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('px-2 py-1.5 text-xs text-muted', className)} {...props} />;
}

export const DropdownMenuSeparator = (props: ComponentProps<'div'>) => <div role="separator" className="my-1 h-px bg-border" {...props} />;
