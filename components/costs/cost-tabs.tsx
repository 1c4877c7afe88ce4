import Link from 'next/link';
import { cn } from '@/components/ui/cn';

/** The two costs pages: billed cost and the cost model. */
export function CostTabs({ current, labels }: { current: 'overview' | 'model'; labels: { nav: string; overview: string; model: string } }) {
  const tab = (href: string, label: string, active: boolean) => (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={cn('rounded-md px-3 py-1.5 text-sm font-medium', active ? 'bg-primary text-primary-fg' : 'text-primary hover:bg-slate-100')}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label={labels.nav} className="flex gap-2">
      {tab('/costs', labels.overview, current === 'overview')}
      {tab('/costs/model', labels.model, current === 'model')}
    </nav>
  );
}
