// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { compareValues, DataTable, type DataTableColumn, type DataTableRow } from '@/components/ui/data-table';
import { readTableState, withoutTableParams } from '@/components/ui/table-url';
import { MiddleTruncate, truncateMiddle } from '@/components/ui/middle-truncate';
import { renderWithI18n } from '@/components/testing/render';

// The table reads its first view from the URL; after that it writes the URL itself.
vi.mock('next/navigation', () => ({ useSearchParams: () => new URLSearchParams(window.location.search) }));

const COLUMNS: DataTableColumn[] = [
  { id: 'name', header: 'Name' },
  {
    id: 'env',
    header: 'Environment',
    facet: [
      { value: 'DEV', label: 'Development' },
      { value: 'PROD', label: 'Production' },
    ],
  },
  { id: 'size', header: 'Size' },
];
const ROWS: DataTableRow[] = [
  { id: 'a', cells: { name: 'role-10', env: 'Development', size: '3' }, values: { name: 'role-10', env: 'DEV', size: 3 }, search: 'payments' },
  { id: 'b', cells: { name: 'role-2', env: 'Production', size: '20' }, values: { name: 'role-2', env: 'PROD', size: 20 } },
  { id: 'c', cells: { name: 'alpha', env: 'Production', size: '100' }, values: { name: 'alpha', env: 'PROD', size: 100 } },
];

const names = () =>
  within(screen.getByTestId('t'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.querySelector('td')?.textContent);

beforeEach(() => window.history.replaceState(null, '', '/catalog'));

describe('DataTable', () => {
  it('sorts by a column: ascending, then descending, then back to the given order', async () => {
    const { user } = renderWithI18n(<DataTable data-testid="t" columns={COLUMNS} rows={ROWS} />);
    expect(names()).toEqual(['role-10', 'role-2', 'alpha']);
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    expect(names()).toEqual(['alpha', 'role-2', 'role-10']);
    expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('ascending');
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    expect(names()).toEqual(['role-10', 'role-2', 'alpha']);
    expect(window.location.search).toBe('?sort=-name');
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    expect(names()).toEqual(['role-10', 'role-2', 'alpha']);
    expect(window.location.search).toBe('');
  });

  it('sorts numbers as numbers', async () => {
    const { user } = renderWithI18n(<DataTable data-testid="t" columns={COLUMNS} rows={ROWS} />);
    await user.click(screen.getByRole('button', { name: /^Size/ }));
    expect(names()).toEqual(['role-10', 'role-2', 'alpha']); // 3, 20, 100
    await user.click(screen.getByRole('button', { name: /^Size/ }));
    expect(names()).toEqual(['alpha', 'role-2', 'role-10']);
  });

  it('filters by text across values and the search text, and writes it to the URL', async () => {
    const { user } = renderWithI18n(<DataTable data-testid="t" columns={COLUMNS} rows={ROWS} />);
    await user.type(screen.getByRole('searchbox'), 'payments');
    expect(names()).toEqual(['role-10']);
    expect(new URLSearchParams(window.location.search).get('q')).toBe('payments');
    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'nothing-like-it');
    expect(names()).toEqual([]);
    expect(screen.getByText('Nothing matches.')).toBeTruthy();
  });

  it('filters by a facet with labelled options', async () => {
    const { user } = renderWithI18n(<DataTable data-testid="t" columns={COLUMNS} rows={ROWS} />);
    const select = screen.getByRole('combobox', { name: 'Environment' });
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Any Environment', 'Development', 'Production']);
    await user.selectOptions(select, 'PROD');
    expect(names()).toEqual(['role-2', 'alpha']);
    expect(new URLSearchParams(window.location.search).get('env')).toBe('PROD');
  });

  it('restores the whole view from the URL (a shared link), with a prefix keeping tables apart', () => {
    window.history.replaceState(null, '', '/catalog?secrets.q=role&secrets.sort=-name&secrets.env=PROD&sort=size');
    renderWithI18n(<DataTable data-testid="t" columns={COLUMNS} rows={ROWS} urlPrefix="secrets" />);
    expect(names()).toEqual(['role-2']);
    expect((screen.getByRole('searchbox') as HTMLInputElement).value).toBe('role');
  });

  it('ignores a sort on a column that does not exist', () => {
    expect(readTableState(new URLSearchParams('sort=-password'), COLUMNS).sorting).toEqual([]);
    expect(readTableState(new URLSearchParams('sort=-size'), COLUMNS).sorting).toEqual([{ id: 'size', desc: true }]);
  });

  it('hands header clicks to the page when the page sorts on the server', async () => {
    const onSortChange = vi.fn();
    const { user } = renderWithI18n(<DataTable data-testid="t" columns={COLUMNS} rows={ROWS} controlledSort={{ sort: null, onSortChange }} />);
    await user.click(screen.getByRole('button', { name: /^Name/ }));
    expect(onSortChange).toHaveBeenCalledWith({ id: 'name', desc: false });
    expect(names()).toEqual(['role-10', 'role-2', 'alpha']); // the server's order stays
  });

  it('lets a strict server query drop the table’s own parameters', () => {
    expect(withoutTableParams({ 't.q': 'x', 't.sort': '-name', q: 'server', cursor: '5' })).toEqual({ q: 'server', cursor: '5' });
  });

  it('puts empty values last', () => {
    expect([null, 'b', '', 'a'].sort(compareValues)).toEqual(['a', 'b', null, '']);
  });
});

describe('MiddleTruncate', () => {
  const arn = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:payments/prod/db-password-AbCdEf';

  it('keeps the start and the end of a long identifier', () => {
    const short = truncateMiddle(arn, 50);
    expect(short).toHaveLength(50);
    expect(short.startsWith('arn:aws:secretsmanager')).toBe(true);
    expect(short.endsWith('db-password-AbCdEf')).toBe(true);
    expect(short).toContain('…');
    expect(truncateMiddle('short', 40)).toBe('short');
  });

  it('shows the full text on hover and copies it', async () => {
    const { user, container } = renderWithI18n(<MiddleTruncate text={arn} max={40} />);
    // After user-event's setup, which installs its own clipboard.
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    expect(container.querySelector(`[title="${arn}"]`)).not.toBeNull();
    await user.click(screen.getByRole('button', { name: `Copy ${arn}` }));
    expect(writeText).toHaveBeenCalledWith(arn);
  });
});
