// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render } from '@testing-library/preact';
import { App } from '../../../src/panel/components/App.tsx';
import type { ErrorRecord, ExportFile } from '../../../src/core/record.ts';
import { FakePort } from '../../helpers/fake-port.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const stats = { droppedOldest: 0, dropped: {}, diagnostics: 0 };
const settings = { recording: true, preserveLog: false, maxRecords: 5000 };
const rec = (id: number, o: Partial<ErrorRecord> = {}) => ({ ...makeRecord(o), id }) as ErrorRecord;

function mount() {
  const ports: FakePort[] = [];
  const saved: { name: string; text: string }[] = [];
  const view = render(
    <App
      tabId={5}
      connect={(name) => (ports.push(new FakePort(name)), ports.at(-1)!)}
      saveFile={(name, text) => saved.push({ name, text })}
      filterStore={null}
    />,
  );
  return { view, ports, saved };
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('panel App', () => {
  it('shows the empty state with what to do, then rows from the snapshot', async () => {
    const { view, ports } = mount();
    expect(ports[0].name).toBe('panel:5');
    await act(() => ports[0].deliver({ type: 'snapshot', tabId: 5, pageUrl: null, records: [], stats, settings, markers: [] }));
    expect(view.getByText('No Telegram API errors yet')).toBeTruthy();
    expect(view.getByText(/reload the page/)).toBeTruthy();
    await act(() =>
      ports[0].deliver({
        type: 'append',
        stats,
        records: [
          rec(1, {
            code: 303,
            class: 'ERROR_SEE_OTHER',
            message: 'PHONE_MIGRATE_4',
            type: 'PHONE_MIGRATE_4',
            params: { dc: 4 },
            action: { kind: 'redirect', dc: 4 },
            method: 'auth.sendCode',
            dc: 2,
          }),
          rec(2),
        ],
      }),
    );
    expect(view.getByText('→ DC 4')).toBeTruthy();
    expect(view.container.querySelector('.viewport .c-method')!.textContent).toBe('auth.sendCode');
    // The DC that answered (2), beside the DC the redirect names (4).
    expect([...view.container.querySelectorAll('.viewport .c-dc')].map((cell) => cell.textContent)).toEqual(['2', '']);
    expect(view.getByText('2 errors')).toBeTruthy();
  });

  it('filters by code chip and exports what is shown', async () => {
    const { view, ports, saved } = mount();
    await act(() =>
      ports[0].deliver({
        type: 'snapshot',
        tabId: 5,
        pageUrl: 'https://web.telegram.org/k/',
        stats,
        settings,
        markers: [],
        records: [rec(1, { code: 400, class: 'BAD_REQUEST', message: 'PEER_ID_INVALID', type: 'PEER_ID_INVALID', action: { kind: 'fix-input' } }), rec(2)],
      }),
    );
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: /^400/ }));
    });
    expect(view.getByText('1 of 2 errors')).toBeTruthy();
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: 'Export view' }));
    });
    const file = JSON.parse(saved[0].text) as ExportFile;
    expect(file.format).toBe('telegram-api-errors');
    expect(file.version).toBe(1);
    expect(file.page.url).toBe('https://web.telegram.org/k/');
    expect(file.errors.map((e) => e.type)).toEqual(['PEER_ID_INVALID']);
    expect(saved[0].name).toMatch(/^telegram-api-errors-.*\.json$/);
  });

  it('asks the background to clear', async () => {
    const { view, ports } = mount();
    await act(() => ports[0].deliver({ type: 'snapshot', tabId: 5, pageUrl: null, records: [rec(1)], stats, settings, markers: [] }));
    await act(() => {
      fireEvent.click(view.getByRole('button', { name: 'Clear' }));
    });
    expect(ports[0].sent).toEqual([{ type: 'clear' }]);
  });

  it('renders hostile text as text, never as HTML', async () => {
    const { view, ports } = mount();
    const evil = '<img src=x onerror="window.pwned=1">';
    await act(() =>
      ports[0].deliver({
        type: 'snapshot',
        tabId: 5,
        pageUrl: null,
        records: [rec(1, { message: evil, type: null, url: evil })],
        stats,
        settings,
        markers: [],
      }),
    );
    expect(view.container.querySelector('img')).toBeNull();
    expect(view.getAllByText(evil).length).toBeGreaterThan(0);
  });

  it('counts a flood wait down and marks it over', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-21T12:00:00.000Z') });
    const { view, ports } = mount();
    await act(() => ports[0].deliver({ type: 'snapshot', tabId: 5, pageUrl: null, records: [rec(1)], stats, settings, markers: [] }));
    expect(view.getByText('wait 17 s')).toBeTruthy();
    await act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(view.getByText('wait 12 s')).toBeTruthy();
    await act(() => {
      vi.advanceTimersByTime(13_000);
    });
    expect(view.getByText('wait over')).toBeTruthy();
  });

  it('gets the whole log again after the worker restarts', async () => {
    vi.useFakeTimers();
    const { view, ports } = mount();
    await act(() => ports[0].deliver({ type: 'snapshot', tabId: 5, pageUrl: null, records: [rec(1)], stats, settings, markers: [] }));
    await act(() => ports[0].drop());
    await act(() => {
      vi.advanceTimersByTime(100);
    });
    expect(ports).toHaveLength(2);
    await act(() => ports[1].deliver({ type: 'snapshot', tabId: 5, pageUrl: null, records: [rec(1), rec(2)], stats, settings, markers: [] }));
    expect(view.getByText('2 errors')).toBeTruthy();
  });
});
