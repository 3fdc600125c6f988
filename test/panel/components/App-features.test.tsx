// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { App } from '../../../src/panel/components/App.tsx';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { buildExportFile } from '../../../src/core/export-format.ts';
import { FakePort } from '../../helpers/fake-port.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const stats = { droppedOldest: 0, dropped: {}, diagnostics: 0 };
const settings = { recording: true, preserveLog: false, maxRecords: 5000 };
const rec = (id: number, o: Partial<ErrorRecord> = {}) => ({ ...makeRecord(o), id }) as ErrorRecord;
const peer = (id: number, o: Partial<ErrorRecord> = {}) =>
  rec(id, {
    code: 400,
    class: 'BAD_REQUEST',
    message: 'PEER_ID_INVALID',
    type: 'PEER_ID_INVALID',
    template: 'PEER_ID_INVALID',
    params: {},
    action: { kind: 'fix-input' },
    ...o,
  });

function mount(store: Map<string, string> | null = null) {
  const ports: FakePort[] = [];
  const copied: string[] = [];
  const kv = store ? { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } : null;
  const view = render(
    <App
      tabId={5}
      connect={(name) => (ports.push(new FakePort(name)), ports.at(-1)!)}
      saveFile={() => undefined}
      copyText={async (t) => (copied.push(t), true)}
      filterStore={kv}
    />,
  );
  const snapshot = (records: ErrorRecord[], extra: object = {}) =>
    act(() => ports[0].deliver({ type: 'snapshot', tabId: 5, pageUrl: null, records, stats, settings, markers: [], ...extra }));
  return { view, ports, copied, snapshot };
}

const rowsOf = (container: Element) => [...container.querySelectorAll<HTMLElement>('.viewport .row[data-id]')].map((r) => Number(r.dataset.id));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('panel: record, preserve log, cap', () => {
  it('asks the background to pause, preserve and change the cap, and shows what it answers', async () => {
    const { view, ports, snapshot } = mount();
    await snapshot([rec(1)]);
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: 'Record' }));
    });
    await act(() => {
      fireEvent.click(view.getByRole('checkbox', { name: 'Preserve log' }));
    });
    await act(() => {
      fireEvent.change(view.getByRole('combobox', { name: 'Log cap' }), { target: { value: '10000' } });
    });
    expect(ports[0].sent).toEqual([
      { type: 'set-settings', settings: { recording: false } },
      { type: 'set-settings', settings: { preserveLog: true } },
      { type: 'set-settings', settings: { maxRecords: 10000 } },
    ]);
    await act(() => ports[0].deliver({ type: 'settings', settings: { recording: false, preserveLog: true, maxRecords: 10000 } }));
    expect(view.getByRole('button', { name: 'Record' }).getAttribute('aria-pressed')).toBe('false');
    expect((view.getByRole('checkbox', { name: 'Preserve log' }) as HTMLInputElement).checked).toBe(true);
    expect((view.getByRole('combobox', { name: 'Log cap' }) as HTMLSelectElement).value).toBe('10000');
    expect(view.getByText(/Recording paused/)).toBeTruthy();
  });

  it('draws a divider where the page loaded again', async () => {
    const { view, ports, snapshot } = mount();
    await snapshot([peer(1), peer(2)]);
    await act(() => ports[0].deliver({ type: 'navigated', marker: { beforeId: 3, url: 'https://web.telegram.org/k/', at: '2026-11-21T12:00:00.000Z' } }));
    await act(() => ports[0].deliver({ type: 'append', records: [peer(3)], stats }));
    const rows = [...view.container.querySelectorAll('.viewport .row')].map((r) =>
      r.classList.contains('marker-row') ? 'marker' : (r as HTMLElement).dataset.id,
    );
    expect(rows).toEqual(['1', '2', 'marker', '3']);
    expect(view.getByText('https://web.telegram.org/k/')).toBeTruthy();
  });

  it('keeps at most the cap of records as appends arrive', async () => {
    const { view, ports, snapshot } = mount();
    await snapshot([peer(1), peer(2)], { settings: { ...settings, maxRecords: 3 } });
    await act(() => ports[0].deliver({ type: 'append', records: [peer(3), peer(4)], stats }));
    expect(view.getByText('3 errors')).toBeTruthy();
  });
});

describe('panel: filters', () => {
  it('searches, and keeps the filters for the tab in the store', async () => {
    const store = new Map<string, string>();
    const first = mount(store);
    await first.snapshot([rec(1, { method: 'messages.sendMessage' }), peer(2, { method: 'messages.getHistory' })]);
    await act(() => {
      fireEvent.input(first.view.getByRole('searchbox', { name: 'Search errors' }), { target: { value: 'GETHISTORY' } });
    });
    expect(rowsOf(first.view.container)).toEqual([2]);
    cleanup();
    const again = mount(store);
    await again.snapshot([rec(1, { method: 'messages.sendMessage' }), peer(2, { method: 'messages.getHistory' })]);
    expect((again.view.getByRole('searchbox', { name: 'Search errors' }) as HTMLInputElement).value).toBe('GETHISTORY');
    expect(rowsOf(again.view.container)).toEqual([2]);
    expect(again.view.getByText('1 of 2 errors')).toBeTruthy();
  });

  it('says when the filters hide everything and clears them', async () => {
    const { view, snapshot } = mount();
    await snapshot([peer(1)]);
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: /^303/ }));
    });
    expect(view.getByText('No errors match the filters')).toBeTruthy();
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: 'Clear filters' }));
    });
    expect(rowsOf(view.container)).toEqual([1]);
  });

  it('filters by a top type and by a method from the active limits', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-21T12:00:01.000Z') });
    const { view, snapshot } = mount();
    await snapshot([rec(1, { method: 'messages.sendMessage' }), peer(2), peer(3), rec(4, { method: 'auth.sendCode', message: 'FLOOD_WAIT_17' })]);
    // The overview is built just after the rows are painted.
    await act(() => {
      vi.advanceTimersByTime(1);
    });
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: /^PEER_ID_INVALID/ }));
    });
    expect(rowsOf(view.container)).toEqual([2, 3]);
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: 'Remove type filter PEER_ID_INVALID' }));
    });
    const limits = view.getByRole('group', { name: 'Active limits' });
    await act(() => {
      fireEvent.click(limits.querySelector('button')!);
    });
    expect(rowsOf(view.container).length).toBe(1);
  });
});

describe('panel: keyboard and detail', () => {
  it('arrows select, Enter opens the detail, Esc closes it, Ctrl+F focuses the search', async () => {
    const { view, snapshot } = mount();
    await snapshot([peer(1), rec(2), peer(3)]);
    const grid = view.getByRole('grid', { name: 'Telegram API errors' });
    await act(() => {
      fireEvent.keyDown(grid, { key: 'Home' });
    });
    await act(() => {
      fireEvent.keyDown(grid, { key: 'ArrowDown' });
    });
    expect(grid.getAttribute('aria-activedescendant')).toBe('error-row-2');
    await act(() => {
      fireEvent.keyDown(grid, { key: 'Enter' });
    });
    expect(view.getByRole('complementary', { name: 'Error details' }).textContent).toContain('FLOOD_WAIT_17');
    await act(() => {
      fireEvent.keyDown(grid, { key: 'ArrowDown' });
    });
    expect(view.getByRole('complementary', { name: 'Error details' }).textContent).toContain('PEER_ID_INVALID');
    await act(() => {
      fireEvent.keyDown(document, { key: 'Escape' });
    });
    expect(view.queryByRole('complementary', { name: 'Error details' })).toBeNull();
    await act(() => {
      fireEvent.keyDown(document, { key: 'f', ctrlKey: true });
    });
    expect(document.activeElement).toBe(view.getByRole('searchbox', { name: 'Search errors' }));
  });

  it('shows advice, catalog, the methods that raise it, evidence, and copies the record as JSON', async () => {
    const { view, snapshot, copied } = mount();
    const record = peer(1, {
      method: 'messages.getHistory',
      evidence: { kind: 'bytes', hex: '00112233' + '19ca4421' + '90010000', markStart: 4, markLength: 8, path: ['rpc_result', 'rpc_error'], truncated: false },
    });
    await snapshot([record]);
    await act(() => {
      fireEvent.click(view.container.querySelector('.viewport .row')!);
    });
    const detail = view.getByRole('complementary', { name: 'Error details' });
    expect(detail.textContent).toContain('the user must correct it');
    expect(detail.textContent).toContain('Catalog: PEER_ID_INVALID (400)');
    expect(detail.querySelector('[aria-label="Documented to raise it"] li')).not.toBeNull();
    expect([...detail.querySelectorAll('mark')].map((m) => m.textContent!.trim())).toEqual(['19', 'ca', '44', '21', '90', '01', '00', '00']);
    expect(detail.textContent).toContain('rpc_result › rpc_error');
    await act(async () => {
      fireEvent.click(view.getByRole('button', { name: 'Copy as JSON' }));
    });
    expect(JSON.parse(copied[0])).toEqual(record);
  });
});

describe('panel: import', () => {
  // The panel loads its import reader on first use (a chunk of its own); loaded here once, so
  // the waits below time the import, not Vitest transforming the whole decoder on a busy machine.
  beforeAll(async () => {
    await import('../../../src/panel/files/import-file.ts');
  }, 60_000);

  it('views an imported export, says what it is, and goes back to live', async () => {
    const { view, snapshot, ports } = mount();
    await snapshot([peer(1)]);
    const text = JSON.stringify(buildExportFile([rec(10), rec(11), rec(12)], 'https://web.telegram.org/k/', new Date()));
    const input = view.getByLabelText('Import file') as HTMLInputElement;
    const file = new File([text], 'colleague.json', { type: 'application/json' });
    await act(async () => {
      fireEvent.change(input, { target: { files: [file] } });
    });
    await waitFor(() => expect(view.getByText('colleague.json')).toBeTruthy());
    expect(rowsOf(view.container)).toEqual([10, 11, 12]);
    // Live updates continue meanwhile, out of sight.
    await act(() => ports[0].deliver({ type: 'append', records: [peer(2)], stats }));
    expect(rowsOf(view.container)).toEqual([10, 11, 12]);
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: 'Back to live' }));
    });
    expect(rowsOf(view.container)).toEqual([1, 2]);
  });

  it('gives a clear message for a file that is neither', async () => {
    const { view, snapshot } = mount();
    await snapshot([peer(1)]);
    const input = view.getByLabelText('Import file') as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['hello'], 'notes.txt')] } });
    });
    await waitFor(() => expect(view.getByRole('alert').textContent).toContain('notes.txt is neither'));
    expect(rowsOf(view.container)).toEqual([1]);
  });
});
