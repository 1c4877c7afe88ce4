import type { ColumnFiltersState, SortingState } from '@tanstack/react-table';
import type { DataTableColumn } from '@/components/ui/data-table';

/**
 * The URL side of the shared table (components/ui/data-table.tsx), usable on the server too: a
 * page whose own query is strict strips the table's parameters before parsing it.
 */

/** The prefix of the tables on server-paginated pages (`t.q`, `t.sort`): never a server filter's name. */
export const PAGE_TABLE_PREFIX = 't';

/** The query without the parameters of a table with this prefix (they are the browser's, not the server's). */
export function withoutTableParams<T>(raw: Record<string, T>, prefix = PAGE_TABLE_PREFIX): Record<string, T> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith(`${prefix}.`)));
}

/** The URL parameter names of a table (a prefix keeps two tables on a page, or a page's own filters, apart). */
export function tableParams(prefix: string | undefined) {
  const key = (name: string) => (prefix ? `${prefix}.${name}` : name);
  return { q: key('q'), sort: key('sort'), facet: (column: string) => key(column) };
}

/** The table's view as the URL holds it: `q`, `sort` (`name` or `-name`) and one parameter per facet. */
export function readTableState(
  params: URLSearchParams,
  columns: readonly DataTableColumn[],
  prefix?: string,
): { q: string; sorting: SortingState; filters: ColumnFiltersState } {
  const names = tableParams(prefix);
  const rawSort = params.get(names.sort) ?? '';
  const desc = rawSort.startsWith('-');
  const sortId = desc ? rawSort.slice(1) : rawSort;
  const sortable = columns.find((c) => c.id === sortId && c.sortable !== false);
  const sorting: SortingState = sortable ? [{ id: sortId, desc }] : [];
  const filters: ColumnFiltersState = columns
    .filter((c) => c.facet)
    .flatMap((c) => {
      const value = params.get(names.facet(c.id));
      return value ? [{ id: c.id, value }] : [];
    });
  return { q: (params.get(names.q) ?? '').slice(0, 200), sorting, filters };
}
