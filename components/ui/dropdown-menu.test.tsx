// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';

afterEach(cleanup);

function Menu({ onPick }: { onPick: (name: string) => void }) {
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger>Options</DropdownMenuTrigger>
        <DropdownMenuContent>
          <DropdownMenuLabel>Signed in</DropdownMenuLabel>
          <DropdownMenuItem onSelect={() => onPick('first')}>First</DropdownMenuItem>
          <DropdownMenuItem onSelect={() => onPick('second')}>Second</DropdownMenuItem>
          <DropdownMenuItem asChild>
            <a href="#third">Third</a>
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <p>outside</p>
    </>
  );
}

describe('DropdownMenu (the header menus)', () => {
  it('opens from its button as a menu, focuses the first item, and a choice closes it', async () => {
    const user = userEvent.setup();
    const onPick = vi.fn();
    render(<Menu onPick={onPick} />);
    const button = screen.getByRole('button', { name: 'Options' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('menu')).toBeNull();
    await user.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const items = screen.getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual(['First', 'Second', 'Third']);
    // A link given with asChild is the item itself.
    expect(items[2]!.tagName).toBe('A');
    expect(document.activeElement).toBe(items[0]);
    await user.click(screen.getByRole('menuitem', { name: 'Second' }));
    expect(onPick).toHaveBeenCalledWith('second');
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('moves with the arrow keys (wrapping), chooses with Enter, and Escape returns the focus to the button', async () => {
    const user = userEvent.setup();
    const onPick = vi.fn();
    render(<Menu onPick={onPick} />);
    const button = screen.getByRole('button', { name: 'Options' });
    button.focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('First');
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement?.textContent).toBe('Third');
    await user.keyboard('{Home}{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('Second');
    await user.keyboard('{Enter}');
    expect(onPick).toHaveBeenCalledWith('second');
    expect(screen.queryByRole('menu')).toBeNull();

    await user.click(button);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('closes on a press outside it, without choosing', async () => {
    const user = userEvent.setup();
    const onPick = vi.fn();
    render(<Menu onPick={onPick} />);
    await user.click(screen.getByRole('button', { name: 'Options' }));
    expect(screen.getByRole('menu')).toBeTruthy();
    fireEvent.pointerDown(screen.getByText('outside'));
    expect(screen.queryByRole('menu')).toBeNull();
    expect(onPick).not.toHaveBeenCalled();
  });
});
