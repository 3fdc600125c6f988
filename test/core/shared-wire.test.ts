// A SharedWorker's error read once and delivered to two tabs: each tab stores its copy at once
// (marked sharedWorker), and the page boundary of one tab, in either order, makes it that tab's
// alone; without such a sighting both keep it.
import { describe, expect, it } from 'vitest';
import { SightingMerger, SIGHTING_WINDOW_MS } from '../../src/core/capture/sightings.ts';
import { SharedWireCopies } from '../../src/core/capture/shared-wire.ts';
import type { NewRecord } from '../../src/core/capture/decode-capture.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import { makeRecord } from '../helpers/make-record.ts';

function setup() {
  let now = 1000;
  const timers: { at: number; fn: () => void }[] = [];
  const clock = {
    now: () => now,
    later: (fn: () => void, ms: number) => void timers.push({ at: now + ms, fn }),
    advance(ms: number) {
      now += ms;
      for (const t of timers.splice(0))
        if (t.at <= now) t.fn();
        else timers.push(t);
    },
  };
  const flushed: [number, NewRecord][] = [];
  const removed: [number, number][] = [];
  const copies = new SharedWireCopies(clock, new SightingMerger(clock, (t, r) => r.forEach((x) => flushed.push([t, x]))), (t, ids) =>
    ids.forEach((id) => removed.push([t, id])),
  );
  let nextId = 1;
  /** wireRecords + the store's ids + rememberWire, as main.ts runs them for one tab. */
  const deliver = (tabId: number, key: string, records: NewRecord[]): ErrorRecord[] => {
    const out = copies.wireRecords(tabId, records, { key, tabs: [1, 2] });
    const stored = out.map((r) => ({ ...r, id: nextId++ }) as ErrorRecord);
    copies.rememberWire(tabId, stored);
    return stored;
  };
  return { clock, copies, flushed, removed, deliver };
}

const wire = (over: Partial<ErrorRecord> = {}) =>
  makeRecord({
    channel: 'websocket',
    dialect: 'mtproto',
    type: 'CHAT_WRITE_FORBIDDEN',
    message: 'CHAT_WRITE_FORBIDDEN',
    method: 'messages.sendMessage',
    dc: 2,
    ...over,
  }) as NewRecord;
const page = (over: Partial<ErrorRecord> = {}) =>
  makeRecord({
    channel: 'worker',
    dialect: 'webk',
    type: 'CHAT_WRITE_FORBIDDEN',
    message: 'CHAT_WRITE_FORBIDDEN',
    method: null,
    dc: null,
    ...over,
  }) as NewRecord;

describe('SharedWireCopies', () => {
  it('no page boundary tells: each tab keeps its copy, marked as read on a worker two tabs share', () => {
    const { clock, deliver, removed, flushed } = setup();
    const a = deliver(1, 'T:1', [wire({ type: 'USER_MIGRATE_2', message: 'USER_MIGRATE_2', code: 303 })]);
    const b = deliver(2, 'T:1', [wire({ type: 'USER_MIGRATE_2', message: 'USER_MIGRATE_2', code: 303 })]);
    clock.advance(SIGHTING_WINDOW_MS * 3);
    expect(a[0].sharedWorker).toEqual({ tabs: 2 });
    expect(b[0].sharedWorker).toEqual({ tabs: 2 });
    expect(removed).toEqual([]);
    expect(flushed).toEqual([]);
  });

  it("wire copies first, then tab 2's page receives the error: tab 2's copy takes it, tab 1's is removed", () => {
    const { copies, deliver, removed } = setup();
    const [a] = deliver(1, 'T:1', [wire()]);
    const [b] = deliver(2, 'T:1', [wire()]);
    const { store, updates } = copies.pageRecords(2, [page()]);
    expect(store).toEqual([]);
    expect(updates).toEqual([{ id: b.id, reachedPage: expect.objectContaining({ dialect: 'webk' }) }]);
    expect(removed).toEqual([[1, a.id]]);
    // Tab 1's page shows nothing of it later: its own page record of the same type stays its own.
    expect(copies.pageRecords(1, [page()]).updates).toEqual([]);
  });

  it("tab 2's page first: tab 1's copy is never stored, tab 2's carries the sighting", () => {
    const { copies, deliver, removed } = setup();
    expect(copies.pageRecords(2, [page()]).store).toEqual([]);
    expect(deliver(1, 'T:1', [wire()])).toEqual([]);
    const [b] = deliver(2, 'T:1', [wire()]);
    expect(b.reachedPage).toMatchObject({ channel: 'worker', dialect: 'webk' });
    expect(b.sharedWorker).toEqual({ tabs: 2 });
    expect(removed).toEqual([]);
  });

  it('told while a copy was being stored: that copy is removed once it has its id', () => {
    const { copies, deliver, removed } = setup();
    const [b] = deliver(2, 'T:1', [wire()]);
    const pending = copies.wireRecords(1, [wire()], { key: 'T:1', tabs: [1, 2] });
    expect(pending).toHaveLength(1);
    copies.pageRecords(2, [page()]);
    copies.rememberWire(1, [{ ...pending[0], id: 99 } as ErrorRecord]);
    expect(removed).toEqual([[1, 99]]);
    expect(b.sharedWorker).toEqual({ tabs: 2 });
  });

  it("several errors in one capture are told apart by their place; one tab's errors are stored as before", () => {
    const { copies, deliver, removed } = setup();
    const flood = wire({ type: 'FLOOD_WAIT_2', message: 'FLOOD_WAIT_2', code: 420, method: 'messages.getHistory' });
    const a = deliver(1, 'T:7', [flood, wire()]);
    const b = deliver(2, 'T:7', [flood, wire()]);
    copies.pageRecords(1, [page()]);
    expect(removed).toEqual([[2, b[1].id]]);
    expect(a.map((r) => r.sharedWorker)).toEqual([{ tabs: 2 }, { tabs: 2 }]);
    // A SharedWorker only one tab reads: nothing marked.
    const single = copies.wireRecords(1, [wire()], { key: 'T:8', tabs: [1] });
    expect(single[0].sharedWorker).toBeUndefined();
  });
});
