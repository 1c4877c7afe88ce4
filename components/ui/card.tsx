import type { ComponentProps } from 'react';
import { cn } from '@/components/ui/cn';

export function Card({ className, ...props }: ComponentProps<'section'>) {
  return <section className={cn('rounded-lg border border-border bg-surface p-5 shadow-sm', className)} {...props} />;
}

export function CardTitle({ className, ...props }: ComponentProps<'h2'>) {
  return <h2 className={cn('mb-3 text-base font-semibold', className)} {...props} />;
}
