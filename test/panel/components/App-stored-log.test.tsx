// @vitest-environment happy-dom
// The panel opening on a log larger than the snapshot: the older records are read from the log's
// database (readStored), or asked for over the port when that is not possible.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render } from '@testing-library/preact';
import { App } from '../../../src/panel/components/App.tsx';
import type { StoredLogReader } from '../../../src/panel/browser/stored-log-reader.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { FakePort } from '../../helpers/fake-port.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const stats = { droppedOldest: 0, dropped: {}, diagnostics: 0 };
const settings = { recording: true, preserveLog: false, maxRecords: 5000 };
const rec = (id: number) => ({ ...makeRecord(), id }) as ErrorRecord;
const all = Array.from({ length: 1200 }, (_, i) => rec(i + 1));
const stored = { db: 'tab-logs', store: 'kv', keys: ['log:5:c0', 'log:5:c1', 'log:5:c2', 'log:5:c3'], count: 1000, beforeId: 1001 };
const snapshot = { type: 'snapshot', tabId: 5, pageUrl: null, records: all.slice(1000), stats, settings, markers: [], stored };

function mount(readStored: StoredLogReader | null) {
  const ports: FakePort[] = [];
  const view = render(
    <App tabId={5} connect={(name) => (ports.push(new FakePort(name)), ports.at(-1)!)} saveFile={() => undefined} filterStore={null} readStored={readStored} />,
  );
  return { view, ports };
}

const summary = (view: ReturnType<typeof mount>['view']) => view.container.querySelector('.summary')!.textContent;

afterEach(cleanup);

describe('panel App on a stored log', () => {
  it('shows the newest at once, then the whole log read from the database, without asking the background', async () => {
    const asked: unknown[] = [];
    let finish: (records: ErrorRecord[]) => void = () => undefined;
    const { view, ports } = mount((part) => {
      asked.push(part);
      return new Promise((resolve) => (finish = resolve));
    });
    await act(() => ports[0].deliver(snapshot));
    expect(summary(view)).toBe('200 errors');
    expect(asked).toEqual([stored]);
    await act(async () => {
      finish(all.slice(0, 1000));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(summary(view)).toBe('1,200 errors');
    expect(ports[0].sent).toEqual([]);
  });

  it('asks the background for them when the database cannot be read, and takes its older batches', async () => {
    const { view, ports } = mount(() => Promise.reject(new Error('no database')));
    await act(() => ports[0].deliver(snapshot));
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(ports[0].sent).toEqual([{ type: 'send-older', beforeId: 1001 }]);
    await act(() => ports[0].deliver({ type: 'older', beforeId: 1001, records: all.slice(0, 600), done: false }));
    await act(() => ports[0].deliver({ type: 'older', beforeId: 1001, records: all.slice(600, 1000), done: false }));
    await act(() => ports[0].deliver({ type: 'older', beforeId: 1001, records: [], done: true }));
    expect(summary(view)).toBe('1,200 errors');
  });

  it('asks over the port at once without a reader', async () => {
    const { ports } = mount(null);
    await act(() => ports[0].deliver(snapshot));
    expect(ports[0].sent).toEqual([{ type: 'send-older', beforeId: 1001 }]);
  });
});
