// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { CallsView } from '../../../src/panel/components/calls/CallsView.tsx';
import { NO_CALL_FILTER, type CallFilter } from '../../../src/panel/model/call-view.ts';
import type { CallRecord } from '../../../src/core/calls/call.ts';

const call = (id: number, method: string | null, o: Partial<CallRecord> = {}): CallRecord => ({
  id,
  at: 1_700_000_000_000 + id * 100,
  method,
  dc: 2,
  channel: 'websocket',
  outcome: 'ok',
  durationMs: 12,
  recordId: null,
  ...o,
});

const CALLS = [
  call(1, 'messages.getHistory'),
  call(2, null, { channel: 'worker', outcome: 'unanswered', durationMs: null }),
  call(3, 'messages.getHistory'),
  call(4, null, { channel: 'worker', outcome: 'error', errorClass: 'INTERNAL', recordId: 7 }),
  call(5, 'help.getConfig'),
];

function Harness({ opened }: { opened: number[] }) {
  const [filter, setFilter] = useState<CallFilter>(NO_CALL_FILTER);
  return <CallsView calls={CALLS} dropped={0} filter={filter} onFilter={setFilter} onOpenRecord={(id) => opened.push(id)} />;
}

const shownRows = (grid: HTMLElement) => grid.getAttribute('aria-rowcount');

afterEach(cleanup);

describe('Calls view: the calls of no known method', () => {
  it('can be picked in the method menu, and only they are listed', async () => {
    const view = render(<Harness opened={[]} />);
    const grid = view.getByRole('grid', { name: 'API calls' });
    const menu = view.getByRole('combobox', { name: 'Filter calls by method' }) as HTMLSelectElement;
    expect([...menu.options].map((o) => o.textContent)).toEqual(['any', '(unknown method)', 'help.getConfig', 'messages.getHistory']);
    await act(() => {
      menu.value = '(unknown method)';
      fireEvent.change(menu);
    });
    expect(menu.value).toBe('(unknown method)');
    expect(shownRows(grid)).toBe('2');
    expect(view.getByRole('status').textContent).toBe('2 of 5 calls');
    await act(() => {
      menu.value = '';
      fireEvent.change(menu);
    });
    expect(shownRows(grid)).toBe('5');
  });

  it('has its row in the per-method table, which picks and unpicks them', async () => {
    const view = render(<Harness opened={[]} />);
    const grid = view.getByRole('grid', { name: 'API calls' });
    const table = view.getByRole('table', { name: 'Calls per method' });
    const unknown = view.getByRole('button', { name: '(unknown method)' });
    // Nothing picked yet: no row looks picked, the unknown one included.
    expect(table.querySelectorAll('[aria-pressed="true"]')).toHaveLength(0);
    const unknownRow = unknown.closest('tr')!;
    expect([...unknownRow.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['2', 'INTERNAL 1', '—', '—', '2', '—']);
    await act(() => void fireEvent.click(unknown));
    expect(unknown.getAttribute('aria-pressed')).toBe('true');
    expect(shownRows(grid)).toBe('2');
    expect((view.getByRole('combobox', { name: 'Filter calls by method' }) as HTMLSelectElement).value).toBe('(unknown method)');
    await act(() => void fireEvent.click(unknown));
    expect(unknown.getAttribute('aria-pressed')).toBe('false');
    expect(shownRows(grid)).toBe('5');
  });

  it('opens an error call of no known method by keyboard', async () => {
    const opened: number[] = [];
    const view = render(<Harness opened={opened} />);
    const grid = view.getByRole('grid', { name: 'API calls' });
    await act(() => void fireEvent.click(view.getByRole('button', { name: '(unknown method)' })));
    await act(() => void fireEvent.keyDown(grid, { key: 'End' }));
    expect(grid.getAttribute('aria-activedescendant')).toBe('call-4');
    await act(() => void fireEvent.keyDown(grid, { key: 'Enter' }));
    expect(opened).toEqual([7]);
  });
});
