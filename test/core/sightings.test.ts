import { describe, expect, it } from 'vitest';
import { SightingMerger, SIGHTING_WINDOW_MS } from '../../src/core/capture/sightings.ts';
import type { NewRecord } from '../../src/core/capture/decode-capture.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import { makeRecord } from '../helpers/make-record.ts';

function clock() {
  let now = 1000;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    later: (fn: () => void, ms: number) => void timers.push({ at: now + ms, fn }),
    advance(ms: number) {
      now += ms;
      for (const t of timers.splice(0))
        if (t.at <= now) t.fn();
        else timers.push(t);
    },
  };
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
    dialect: 'gramjs',
    type: 'CHAT_WRITE_FORBIDDEN',
    message: 'CHAT_WRITE_FORBIDDEN',
    method: null,
    dc: null,
    ...over,
  }) as NewRecord;

describe('SightingMerger', () => {
  it("wire first: the page-boundary record becomes the wire record's second sighting", () => {
    const c = clock();
    const flushed: NewRecord[] = [];
    const m = new SightingMerger(c, (_t, r) => flushed.push(...r));
    m.rememberWire(1, [{ ...wire(), id: 7 } as ErrorRecord]);
    c.advance(200);
    const { store, updates } = m.pageRecords(1, [page(), makeRecord({ channel: 'fetch' }) as NewRecord]);
    expect(store.map((r) => r.channel)).toEqual(['fetch']);
    expect(updates).toEqual([{ id: 7, reachedPage: expect.objectContaining({ channel: 'worker', dialect: 'gramjs', message: 'CHAT_WRITE_FORBIDDEN' }) }]);
    c.advance(SIGHTING_WINDOW_MS * 2);
    expect(flushed).toEqual([]);
  });

  it('page first: held, then carried by the wire record that comes within the window', () => {
    const c = clock();
    const flushed: NewRecord[] = [];
    const m = new SightingMerger(c, (_t, r) => flushed.push(...r));
    expect(m.pageRecords(1, [page()]).store).toEqual([]);
    c.advance(300);
    const [merged] = m.wireRecords(1, [wire()]);
    expect(merged.reachedPage?.dialect).toBe('gramjs');
    expect(merged.dc).toBe(2);
    c.advance(SIGHTING_WINDOW_MS);
    expect(flushed).toEqual([]);
  });

  it('no partner within the window: each is stored on its own', () => {
    const c = clock();
    const flushed: NewRecord[] = [];
    const m = new SightingMerger(c, (_t, r) => flushed.push(...r));
    m.pageRecords(1, [page()]);
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect(flushed).toHaveLength(1);
    expect(m.wireRecords(1, [wire()])[0].reachedPage).toBeUndefined();
    // A wire record older than the window does not take a new page record.
    m.rememberWire(1, [{ ...wire(), id: 9 } as ErrorRecord]);
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect(m.pageRecords(1, [page()]).updates).toEqual([]);
  });

  it('another type, another method, another tab: not the same error', () => {
    const c = clock();
    const m = new SightingMerger(c, () => undefined);
    m.rememberWire(1, [{ ...wire(), id: 1 } as ErrorRecord]);
    expect(m.pageRecords(1, [page({ type: 'FLOOD_WAIT_3', message: 'FLOOD_WAIT_3' })]).updates).toEqual([]);
    expect(m.pageRecords(1, [page({ method: 'users.getFullUser' })]).updates).toEqual([]);
    expect(m.pageRecords(2, [page()]).updates).toEqual([]);
    // The client's own call naming the wire's method matches.
    expect(m.pageRecords(1, [page({ method: 'sendMessage', clientCall: 'messages.sendMessage' })]).updates).toHaveLength(1);
    // Each wire record merges once.
    expect(m.pageRecords(1, [page()]).updates).toEqual([]);
  });

  it("GramJS's class name for a numbered error matches the wire's numbered type with the same code", () => {
    const c = clock();
    const m = new SightingMerger(c, () => undefined);
    m.rememberWire(1, [
      { ...wire({ type: 'FLOOD_WAIT_3600', message: 'FLOOD_WAIT_3600', code: 420, method: 'contacts.resolveUsername' }), id: 4 } as ErrorRecord,
    ]);
    expect(m.pageRecords(1, [page({ type: 'FLOOD', message: 'FLOOD', code: 400 })]).updates).toEqual([]);
    expect(m.pageRecords(1, [page({ type: 'FLOOD', message: 'FLOOD', code: 420 })]).updates.map((u) => u.id)).toEqual([4]);
  });

  it('forget flushes what is held', () => {
    const c = clock();
    const flushed: NewRecord[] = [];
    const m = new SightingMerger(c, (_t, r) => flushed.push(...r));
    m.pageRecords(1, [page()]);
    m.forget(1);
    expect(flushed).toHaveLength(1);
    c.advance(SIGHTING_WINDOW_MS * 2);
    expect(flushed).toHaveLength(1);
  });
});

describe('SightingMerger: a wait the client answers itself (mtcute floodWaiter store)', () => {
  // @mtcute/core network/middlewares/flood-waiter.ts: after FLOOD_WAIT_300 on a method, a later call of
  // that method within the wait gets `FLOOD_WAIT_${Math.ceil(left / 1000)}` from the worker, no request sent.
  const floodWire = (over: Partial<ErrorRecord> = {}) =>
    wire({ code: 420, class: 'FLOOD', type: 'FLOOD_WAIT_300', message: 'FLOOD_WAIT_300', template: 'FLOOD_WAIT_X', params: { seconds: 300 }, ...over });
  const floodPage = (seconds: number, over: Partial<ErrorRecord> = {}) =>
    page({
      dialect: 'mtcute',
      code: 420,
      class: 'FLOOD',
      type: `FLOOD_WAIT_${seconds}`,
      message: `FLOOD_WAIT_${seconds}`,
      template: 'FLOOD_WAIT_X',
      params: { seconds },
      method: 'messages.sendMessage',
      ...over,
    });

  function merged() {
    const c = clock();
    const flushed: NewRecord[] = [];
    let repeated = 0;
    const m = new SightingMerger(c, (_t, records, n) => {
      flushed.push(...records);
      repeated += n;
    });
    // The first sighting pair merges as any error does.
    m.rememberWire(1, [{ ...floodWire(), id: 3 } as ErrorRecord]);
    expect(m.pageRecords(1, [floodPage(300)]).updates.map((u) => u.id)).toEqual([3]);
    return { c, m, flushed, repeated: () => repeated };
  }

  it('the replay (no wire record, the number is the time left) is counted, not stored', () => {
    const { c, m, flushed, repeated } = merged();
    c.advance(100);
    expect(m.pageRecords(1, [floodPage(300)])).toEqual({ store: [], updates: [] });
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect(flushed).toEqual([]);
    expect(repeated()).toBe(1);
    // 100 s later the worker says 200 (ceil of what is left).
    c.advance(100_000);
    m.pageRecords(1, [floodPage(199)]);
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect(repeated()).toBe(2);
  });

  it('a stored FLOOD_PREMIUM_WAIT comes back as FLOOD_WAIT (mtcute answers every stored wait so)', () => {
    const c = clock();
    let repeated = 0;
    const flushed: NewRecord[] = [];
    const m = new SightingMerger(c, (_t, records, n) => {
      flushed.push(...records);
      repeated += n;
    });
    m.rememberWire(1, [
      { ...floodWire({ type: 'FLOOD_PREMIUM_WAIT_300', message: 'FLOOD_PREMIUM_WAIT_300', template: 'FLOOD_PREMIUM_WAIT_X' }), id: 5 } as ErrorRecord,
    ]);
    c.advance(60_000);
    m.pageRecords(1, [floodPage(240)]);
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect([flushed, repeated]).toEqual([[], 1]);
  });

  it('stored when the number is not the time left, the method or template differ, or the wait is over', () => {
    const { c, m, flushed, repeated } = merged();
    c.advance(10_000);
    m.pageRecords(1, [floodPage(300)]); // 290 s are left, not 300: the server's own new wait
    m.pageRecords(1, [floodPage(290, { method: 'contacts.resolveUsername' })]);
    m.pageRecords(1, [floodPage(290, { type: 'SLOWMODE_WAIT_290', message: 'SLOWMODE_WAIT_290', template: 'SLOWMODE_WAIT_X' })]);
    m.pageRecords(1, [floodPage(290, { method: null })]);
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect(flushed).toHaveLength(4);
    c.advance(300_000);
    m.pageRecords(1, [floodPage(1)]);
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect(flushed).toHaveLength(5);
    expect(repeated()).toBe(0);
  });

  it('a wait the server sent again (a wire record within the window) merges with it instead', () => {
    const { c, m, flushed, repeated } = merged();
    c.advance(5_000);
    expect(m.pageRecords(1, [floodPage(295)]).store).toEqual([]);
    c.advance(50);
    const [wireAgain] = m.wireRecords(1, [floodWire({ type: 'FLOOD_WAIT_295', message: 'FLOOD_WAIT_295', params: { seconds: 295 } })]);
    expect(wireAgain.reachedPage?.message).toBe('FLOOD_WAIT_295');
    c.advance(SIGHTING_WINDOW_MS + 1);
    expect([flushed, repeated()]).toEqual([[], 0]);
  });
});

describe('SightingMerger.save / restore: the merge window outlives the service worker', () => {
  it('a held page record is merged with a wire record after the restart, or stored on its own when its window passed', () => {
    const c = clock();
    const flushed: NewRecord[] = [];
    const before = new SightingMerger(c, () => undefined);
    before.pageRecords(1, [page()]);
    before.rememberWire(1, [{ ...wire({ type: 'FLOOD_WAIT_3', message: 'FLOOD_WAIT_3', code: 420 }), id: 4 } as ErrorRecord]);
    const saved = JSON.parse(JSON.stringify(before.save(1)));
    expect(saved.held).toHaveLength(1);
    expect(saved.wire).toHaveLength(1);
    c.advance(400);
    const after = new SightingMerger(c, (_t, r) => flushed.push(...r));
    after.restore(1, saved);
    const [merged] = after.wireRecords(1, [wire()]);
    expect(merged.reachedPage?.dialect).toBe('gramjs');
    const { updates } = after.pageRecords(1, [page({ type: 'FLOOD_WAIT_3', message: 'FLOOD_WAIT_3', code: 420 })]);
    expect(updates.map((u) => u.id)).toEqual([4]);
    c.advance(SIGHTING_WINDOW_MS);
    expect(flushed).toEqual([]);

    // Restored after its window: stored on its own at once, never lost.
    const late = new SightingMerger(c, (_t, r) => flushed.push(...r));
    late.restore(2, saved);
    expect(flushed).toHaveLength(1);
    expect(before.save(9)).toBeNull();
    expect(() => late.restore(3, { v: 1, wire: [null, 3], held: [{ at: 'x' }, null] })).not.toThrow();
  });
});
