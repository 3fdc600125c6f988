// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { VirtualGrid } from '../../../src/panel/components/common/VirtualGrid.tsx';

const ROW = 20;
const rowId = (i: number) => `r-${i}`;

function Harness({ count, onOpen, followNewest = false }: { count: number; onOpen: (i: number) => void; followNewest?: boolean }) {
  const [selected, setSelected] = useState(-1);
  return (
    <VirtualGrid
      label="Things"
      class="table"
      count={count}
      rowHeight={ROW}
      selectedIndex={selected}
      selectedDomId={selected >= 0 ? rowId(selected) : undefined}
      onSelect={setSelected}
      onOpen={onOpen}
      followNewest={followNewest}
      columns={[
        { class: 'c-a', label: 'A', title: 'The A' },
        { class: 'c-b', label: 'B' },
      ]}
      renderSlot={(i, top) => (
        <div key={i} id={rowId(i)} role="row" aria-selected={i === selected} data-top={top}>
          <span role="gridcell">row {i}</span>
        </div>
      )}
    />
  );
}

const drawn = (container: Element) => [...container.querySelectorAll<HTMLElement>('.viewport [role="row"]')].map((r) => r.id);

afterEach(cleanup);

describe('VirtualGrid', () => {
  it('is one named, focusable grid with its header and only a window of its rows', () => {
    const view = render(<Harness count={10_000} onOpen={() => undefined} />);
    const grid = view.getByRole('grid', { name: 'Things' });
    expect(grid.tabIndex).toBe(0);
    expect(grid.getAttribute('aria-rowcount')).toBe('10000');
    expect(view.getAllByRole('columnheader').map((h) => [h.textContent, h.getAttribute('title')])).toEqual([
      ['A', 'The A'],
      ['B', null],
    ]);
    expect((grid.querySelector('.spacer') as HTMLElement).style.height).toBe(`${10_000 * ROW}px`);
    const rows = drawn(view.container);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]).toBe('r-0');
  });

  it('moves the selection by keyboard, draws and names the selected row, and opens it with Enter', async () => {
    const onOpen = vi.fn();
    const view = render(<Harness count={5_000} onOpen={onOpen} />);
    const grid = view.getByRole('grid', { name: 'Things' });
    expect(grid.hasAttribute('aria-activedescendant')).toBe(false);
    const press = (key: string) => act(() => void fireEvent.keyDown(grid, { key }));
    await press('ArrowDown');
    expect(grid.getAttribute('aria-activedescendant')).toBe('r-0');
    await press('ArrowDown');
    expect(grid.getAttribute('aria-activedescendant')).toBe('r-1');
    await press('End');
    expect(grid.getAttribute('aria-activedescendant')).toBe('r-4999');
    // Scrolled into view: the selected row is drawn.
    expect(view.container.querySelector('#r-4999')?.getAttribute('aria-selected')).toBe('true');
    await press('ArrowUp');
    expect(grid.getAttribute('aria-activedescendant')).toBe('r-4998');
    await press('Enter');
    expect(onOpen).toHaveBeenCalledWith(4998);
    await press('Home');
    expect(grid.getAttribute('aria-activedescendant')).toBe('r-0');
    expect(view.container.querySelector('#r-0')).not.toBeNull();
    // Other keys are the page's.
    await press('a');
    expect(grid.getAttribute('aria-activedescendant')).toBe('r-0');
  });

  it('keeps the selected row in the DOM when scrolled away from it (aria-activedescendant names a real element)', async () => {
    const view = render(<Harness count={5_000} onOpen={() => undefined} />);
    const grid = view.getByRole('grid', { name: 'Things' });
    await act(() => void fireEvent.keyDown(grid, { key: 'End' }));
    const viewport = grid.querySelector<HTMLElement>('.viewport')!;
    await act(() => {
      viewport.scrollTop = 0;
      fireEvent.scroll(viewport);
    });
    const rows = drawn(view.container);
    expect(rows).toContain('r-0');
    expect(rows).toContain('r-4999');
    expect(rows.length).toBeLessThan(60);
    expect(view.container.querySelector(`#${grid.getAttribute('aria-activedescendant')}`)?.getAttribute('data-top')).toBe(String(4999 * ROW));
  });

  it('follows the newest row when asked to, and draws the first rows otherwise', async () => {
    const followed = render(<Harness count={3_000} onOpen={() => undefined} followNewest />);
    expect(drawn(followed.container)).toContain('r-2999');
    expect(drawn(followed.container)).not.toContain('r-0');
    cleanup();
    const plain = render(<Harness count={3_000} onOpen={() => undefined} />);
    expect(drawn(plain.container)).toContain('r-0');
    expect(drawn(plain.container)).not.toContain('r-2999');
  });

  it('has nothing to select when empty', async () => {
    const onOpen = vi.fn();
    const view = render(<Harness count={0} onOpen={onOpen} />);
    const grid = view.getByRole('grid', { name: 'Things' });
    await act(() => void fireEvent.keyDown(grid, { key: 'ArrowDown' }));
    await act(() => void fireEvent.keyDown(grid, { key: 'Enter' }));
    expect(grid.hasAttribute('aria-activedescendant')).toBe(false);
    expect(onOpen).not.toHaveBeenCalled();
    expect(drawn(view.container)).toEqual([]);
  });
});
