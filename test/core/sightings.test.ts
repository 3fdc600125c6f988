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
      for (const t of timers.splice(0)) if (t.at <= now) t.fn(); else timers.push(t);
    },
  };
}

const wire = (over: Partial<ErrorRecord> = {}) => makeRecord({ channel: 'websocket', dialect: 'mtproto', type: 'CHAT_WRITE_FORBIDDEN', message: 'CHAT_WRITE_FORBIDDEN', method: 'messages.sendMessage', dc: 2, ...over }) as NewRecord;
const page = (over: Partial<ErrorRecord> = {}) => makeRecord({ channel: 'worker', dialect: 'gramjs', type: 'CHAT_WRITE_FORBIDDEN', message: 'CHAT_WRITE_FORBIDDEN', method: null, dc: null, ...over }) as NewRecord;

describe('SightingMerger', () => {
  it('wire first: the page-boundary record becomes the wire record\'s second sighting', () => {
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

  it('GramJS\'s class name for a numbered error matches the wire\'s numbered type with the same code', () => {
    const c = clock();
    const m = new SightingMerger(c, () => undefined);
    m.rememberWire(1, [{ ...wire({ type: 'FLOOD_WAIT_3600', message: 'FLOOD_WAIT_3600', code: 420, method: 'contacts.resolveUsername' }), id: 4 } as ErrorRecord]);
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
