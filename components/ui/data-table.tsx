'use client';

import {
  columnFacetingFeature,
  columnFilteringFeature,
  createFacetedRowModel,
  createFacetedUniqueValues,
  createFilteredRowModel,
  createSortedRowModel,
  globalFilteringFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnFiltersState,
  type FilterFn,
  type SortFn,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { cn } from '@/components/ui/cn';
import { Input, Select } from '@/components/ui/field';
import { PAGE_TABLE_PREFIX, readTableState, tableParams } from '@/components/ui/table-url';

/** A value a column sorts and facets by (the cell shows whatever it likes). */
export type CellValue = string | number | null;

/** One column: what its header says and what it can do. */
export interface DataTableColumn {
  id: string;
  header: string;
  /** Sortable by its value (default: true when the rows give values for it). */
  sortable?: boolean;
  /** A facet filter (a select of the values present); options give labels to coded values. */
  facet?: boolean | { value: string; label: string }[];
  /** Extra classes of the column's cells (`whitespace-nowrap`, alignment). */
  className?: string;
  /** The column's width class (e.g. `w-28`, `w-[30%]`); with `fixedLayout`, tables of the same columns line up. */
  width?: string;
}

/**
 * One row: rendered cells (server components render them, so translations and links stay on the
 * server) and the plain values sorting, facets and the search box use.
 */
export interface DataTableRow {
  id: string;
  cells: Record<string, ReactNode>;
  values?: Record<string, CellValue>;
  /** More text the search box matches besides the values (a description, a justification). */
  search?: string;
  /** Attributes of the `<tr>` (e.g. `data-testid`, `data-state`) that tests and styles key on. */
  attrs?: Record<`data-${string}`, string>;
  className?: string;
}

/** A sort driven by the page (server-side): the table shows it and reports header clicks. */
export interface ControlledSort {
  sort: { id: string; desc: boolean } | null;
  onSortChange: (sort: { id: string; desc: boolean } | null) => void;
}

const features = tableFeatures({
  columnFilteringFeature,
  globalFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  columnFacetingFeature,
  facetedRowModel: createFacetedRowModel(),
  facetedUniqueValues: createFacetedUniqueValues(),
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
});
type Features = typeof features;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Numbers numerically, text naturally ("role-2" before "role-10"), empty values last either way. */
export function compareValues(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null || a === '') return 1;
  if (b === null || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

const sortByValue: SortFn<Features, DataTableRow> = (a, b, id) => compareValues(a.original.values?.[id] ?? null, b.original.values?.[id] ?? null);
const facetEquals: FilterFn<Features, DataTableRow> = (row, id, value: string) => String(row.original.values?.[id] ?? '') === value;

/** Every word of the search must appear somewhere in the row's values or search text. */
export function rowMatches(row: DataTableRow, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [...Object.values(row.values ?? {}), row.search ?? ''].join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}
const globalMatch: FilterFn<Features, DataTableRow> = (row, _id, query: string) => rowMatches(row.original, query);

/** Writes the view into the current URL without a navigation (Next.js keeps useSearchParams in step). */
function writeTableState(prefix: string | undefined, state: { q: string; sorting: SortingState; filters: ColumnFiltersState }, facetIds: string[]) {
  const names = tableParams(prefix);
  const params = new URLSearchParams(window.location.search);
  const set = (name: string, value: string) => (value ? params.set(name, value) : params.delete(name));
  set(names.q, state.q);
  const s = state.sorting[0];
  set(names.sort, s ? `${s.desc ? '-' : ''}${s.id}` : '');
  for (const id of facetIds) set(names.facet(id), String(state.filters.find((f) => f.id === id)?.value ?? ''));
  const query = params.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
}

function SortMark({ dir }: { dir: false | 'asc' | 'desc' }) {
  return (
    <span aria-hidden="true" className={cn('text-[10px]', dir ? 'text-fg' : 'text-slate-300')}>
      {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
    </span>
  );
}

/**
 * The one table of the portal (TanStack Table): sortable columns, a search box, facet selects, the
 * view kept in the URL so a link reproduces it, and a horizontal scroll inside its box on a phone
 * instead of a page wider than the screen. See docs/decisions/050-tables.md.
 *
 * `scope="page"`: the rows are one server page (cursor lists); sorting and searching say so.
 * `controlledSort`: the page sorts on the server; header clicks go to it.
 */
export function DataTable({
  columns,
  rows,
  urlPrefix,
  search = true,
  scope = 'all',
  controlledSort,
  fixedLayout = false,
  empty,
  caption,
  className,
  ...rest
}: {
  columns: DataTableColumn[];
  rows: DataTableRow[];
  urlPrefix?: string;
  search?: boolean;
  scope?: 'all' | 'page';
  controlledSort?: ControlledSort;
  /** Column widths from `width`, not from content: several tables of the same columns line up. */
  fixedLayout?: boolean;
  empty?: string;
  caption?: string;
  className?: string;
  'data-testid'?: string;
}) {
  const { t } = useI18n();
  // A server page's table keeps its parameters apart from the page's own filters.
  const prefix = urlPrefix ?? (scope === 'page' ? PAGE_TABLE_PREFIX : undefined);
  const searchParams = useSearchParams();
  const initial = useMemo(() => readTableState(new URLSearchParams(searchParams?.toString() ?? ''), columns, prefix), [searchParams, columns, prefix]);
  const [q, setQ] = useState(initial.q);
  const [sorting, setSorting] = useState<SortingState>(initial.sorting);
  const [filters, setFilters] = useState<ColumnFiltersState>(initial.filters);
  const facetColumns = useMemo(() => columns.filter((c) => c.facet), [columns]);
  const facetIds = useMemo(() => facetColumns.map((c) => c.id), [facetColumns]);

  const commit = useCallback(
    (next: { q?: string; sorting?: SortingState; filters?: ColumnFiltersState }) => {
      writeTableState(prefix, { q: next.q ?? q, sorting: next.sorting ?? sorting, filters: next.filters ?? filters }, facetIds);
    },
    [prefix, q, sorting, filters, facetIds],
  );

  const tableColumns = useMemo<ColumnDef<Features, DataTableRow>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        accessorFn: (row: DataTableRow) => row.values?.[c.id] ?? null,
        cell: ({ row }) => row.original.cells[c.id] ?? null,
        enableSorting: c.sortable ?? rows.some((r) => r.values?.[c.id] !== undefined),
        sortFn: sortByValue,
        sortDescFirst: false,
        filterFn: facetEquals,
      })),
    [columns, rows],
  );

  const activeSort: SortingState = controlledSort ? (controlledSort.sort ? [controlledSort.sort] : []) : sorting;
  const table = useTable({
    features,
    columns: tableColumns,
    data: rows,
    getRowId: (row) => row.id,
    state: { sorting: activeSort, columnFilters: filters, globalFilter: q },
    manualSorting: Boolean(controlledSort),
    globalFilterFn: globalMatch,
    getColumnCanGlobalFilter: (column) => column.id === columns[0]?.id,
    enableSortingRemoval: true,
    enableMultiSort: false,
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(activeSort) : updater;
      if (controlledSort) {
        controlledSort.onSortChange(next[0] ?? null);
        return;
      }
      setSorting(next);
      commit({ sorting: next });
    },
    onColumnFiltersChange: (updater: Updater<ColumnFiltersState>) => {
      const next = typeof updater === 'function' ? updater(filters) : updater;
      setFilters(next);
      commit({ filters: next });
    },
    onGlobalFilterChange: (updater: Updater<string>) => {
      const next = typeof updater === 'function' ? updater(q) : updater;
      setQ(next ?? '');
      commit({ q: next ?? '' });
    },
  });

  const shown = table.getRowModel().rows;
  const filtered = q !== '' || filters.length > 0;
  const toolbar = search || facetColumns.length > 0;

  return (
    <div className={cn('min-w-0 space-y-2', className)}>
      {toolbar ? (
        <div className="flex flex-wrap items-end gap-2 text-sm" role="search" aria-label={caption ? `${t('table.filter')}: ${caption}` : t('table.filter')}>
          {search ? (
            <Input
              type="search"
              value={q}
              maxLength={200}
              onChange={(e) => table.setGlobalFilter(e.target.value)}
              placeholder={scope === 'page' ? t('table.filter.pagePlaceholder') : t('table.filter.placeholder')}
              aria-label={caption ? `${t('table.filter')}: ${caption}` : t('table.filter')}
              className="w-auto min-w-0 flex-1 px-2 py-1.5 sm:max-w-xs"
            />
          ) : null}
          {facetColumns.map((c) => {
            const column = table.getColumn(c.id);
            const present = [...(column?.getFacetedUniqueValues().keys() ?? [])].filter((v) => v !== null && v !== '').map(String);
            const options = Array.isArray(c.facet)
              ? c.facet.filter((o) => present.includes(o.value) || o.value === column?.getFilterValue())
              : present.sort(compareValues).map((v) => ({ value: v, label: v }));
            return (
              <Select
                key={c.id}
                aria-label={c.header}
                value={String(column?.getFilterValue() ?? '')}
                onChange={(e) => column?.setFilterValue(e.target.value || undefined)}
                className="w-auto px-2 py-1.5"
              >
                <option value="">{t('table.filter.any', { column: c.header })}</option>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </Select>
            );
          })}
          {filtered ? (
            <button
              type="button"
              className="rounded-md px-2 py-1.5 text-primary underline-offset-2 hover:underline"
              onClick={() => {
                setQ('');
                setFilters([]);
                commit({ q: '', filters: [] });
              }}
            >
              {t('table.filter.clear')}
            </button>
          ) : null}
          {filtered ? (
            <span className="ml-auto text-xs text-muted" data-testid="table-count">
              {t('table.shown', { shown: shown.length, total: rows.length })}
            </span>
          ) : null}
        </div>
      ) : null}
      {scope === 'page' ? <p className="text-xs text-muted">{t('table.pageNote')}</p> : null}
      {/* The scroll stays inside this box: a wide table never makes the page wider than the screen.
          `relative` keeps absolutely placed text (screen-reader copies of long names) inside it too. */}
      <div className="relative w-full max-w-full overflow-x-auto">
        <table className={cn('w-full border-collapse text-left text-sm', fixedLayout && 'min-w-[48rem] table-fixed')} {...rest}>
          {caption ? <caption className="sr-only">{caption}</caption> : null}
          {fixedLayout ? (
            <colgroup>
              {columns.map((c) => (
                <col key={c.id} className={c.width} />
              ))}
            </colgroup>
          ) : null}
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const dir = header.column.getIsSorted();
                  const def = columns.find((c) => c.id === header.column.id);
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                      className="whitespace-nowrap border-b border-border px-3 py-2 font-semibold text-muted"
                      data-column={header.column.id}
                    >
                      {header.column.getCanSort() && def?.header ? (
                        <button
                          type="button"
                          className="inline-flex items-center gap-1 hover:text-fg"
                          onClick={header.column.getToggleSortingHandler()}
                          title={t('table.sort.by', { column: def.header })}
                        >
                          {def.header}
                          <SortMark dir={dir} />
                          {dir ? <span className="sr-only">{t(dir === 'asc' ? 'table.sort.asc' : 'table.sort.desc')}</span> : null}
                        </button>
                      ) : (
                        (def?.header ?? null)
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.id} className={row.original.className} {...row.original.attrs}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={cn('border-b border-border px-3 py-2 align-top', columns.find((c) => c.id === cell.column.id)?.className)}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p className="px-3 py-2 text-sm text-muted">{filtered ? t('table.empty') : (empty ?? t('table.empty'))}</p> : null}
    </div>
  );
}
