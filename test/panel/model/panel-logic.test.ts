import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { compileFilter, distinctValues, filterRecords, NO_FILTER, type TimelineFilter } from '../../../src/panel/model/filters.ts';
import { lowerBoundById } from '../../../src/panel/model/lower-bound.ts';
import { buildSummary } from '../../../src/panel/model/summary.ts';
import { activeLimits, hasRunningWait, waitRecords } from '../../../src/panel/model/active-limits.ts';
import { buildChain } from '../../../src/panel/model/redirect-chain.ts';
import { buildDcMap } from '../../../src/panel/model/dc-map.ts';
import { moveSelection, scrollToReveal } from '../../../src/panel/model/keyboard-nav.ts';
import { layoutTimeline, slotAt, slotOfRecord } from '../../../src/panel/model/timeline-items.ts';
import { hexDump, prettyJson } from '../../../src/panel/model/hex-dump.ts';
import { formatDuration, formatUntil } from '../../../src/panel/model/format.ts';
import { loadFilter, saveFilter } from '../../../src/panel/browser/filter-memory.ts';
import { adviceFor } from '../../../src/panel/model/advice.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const rec = (id: number, o: Partial<ErrorRecord> = {}) => ({ ...makeRecord(o), id }) as ErrorRecord;
const filter = (o: Partial<TimelineFilter>): TimelineFilter => ({ ...NO_FILTER, ...o });

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

describe('filters and search', () => {
  const log = [
    rec(1, { method: 'messages.sendMessage', url: 'wss://kws2.web.telegram.org/apiws' }),
    peer(2, { method: 'messages.getHistory', channel: 'fetch', url: 'https://venus.web.telegram.org/apiw1' }),
    rec(3, {
      code: 303,
      class: 'ERROR_SEE_OTHER',
      message: 'PHONE_MIGRATE_4',
      type: 'PHONE_MIGRATE_4',
      template: 'PHONE_MIGRATE_X',
      action: { kind: 'redirect', dc: 4 },
      method: 'auth.sendCode',
    }),
  ];

  it('searches type, message, method and URL, case-insensitively, all words', () => {
    const ids = (text: string) => filterRecords(log, filter({ text }), T0).map((r) => r.id);
    expect(ids('peer_id')).toEqual([2]);
    expect(ids('SENDMESSAGE')).toEqual([1]);
    expect(ids('venus')).toEqual([2]);
    expect(ids('messages kws2')).toEqual([1]);
    expect(ids('  ')).toEqual([1, 2, 3]);
    expect(ids('nothing-like-this')).toEqual([]);
  });

  it('combines chips, method, channel, type and time range', () => {
    expect(filterRecords(log, filter({ buckets: new Set(['303', '400']) }), T0).map((r) => r.id)).toEqual([2, 3]);
    expect(filterRecords(log, filter({ method: 'auth.sendCode' }), T0).map((r) => r.id)).toEqual([3]);
    expect(filterRecords(log, filter({ channel: 'fetch' }), T0).map((r) => r.id)).toEqual([2]);
    expect(filterRecords(log, filter({ typeKey: 'PHONE_MIGRATE_X' }), T0).map((r) => r.id)).toEqual([3]);
    const timed = [rec(1, { capturedAt: at(0) }), rec(2, { capturedAt: at(999) }), rec(3, { capturedAt: at(1000) })];
    expect(filterRecords(timed, filter({ timeRange: { from: T0, to: T0 + 1000 } }), T0).map((r) => r.id)).toEqual([1, 2]);
  });

  it('"waiting now" keeps only waits whose retry time is ahead', () => {
    const waits = [rec(1, { action: { kind: 'wait', retryAt: at(5000) } }), rec(2, { action: { kind: 'wait', retryAt: at(-1) } }), peer(3)];
    const keep = compileFilter(filter({ waitingNow: true }), T0);
    expect(waits.filter(keep).map((r) => r.id)).toEqual([1]);
  });

  it('returns the log itself when nothing filters, and lists methods by frequency', () => {
    expect(filterRecords(log, NO_FILTER, T0)).toBe(log);
    expect(distinctValues([...log, rec(4, { method: 'auth.sendCode' })], (r) => r.method)).toEqual([
      'auth.sendCode',
      'messages.getHistory',
      'messages.sendMessage',
    ]);
  });

  it('filters 100,000 records in one pass over precomputed keys', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => peer(i + 1, { method: i % 10 === 0 ? 'auth.sendCode' : 'messages.getHistory' }));
    expect(filterRecords(big, filter({ text: 'sendcode' }), T0)).toHaveLength(10_000);
    expect(filterRecords(big, filter({ text: 'sendcode', buckets: new Set(['420']) }), T0)).toHaveLength(0);
  });
});

describe('overview summary', () => {
  it('bins errors over time by class and ranks types', () => {
    const log = [
      peer(1, { capturedAt: at(0) }),
      peer(2, { capturedAt: at(50) }),
      rec(3, { capturedAt: at(2500) }),
      rec(4, { capturedAt: at(2600), message: 'FLOOD_WAIT_30', type: 'FLOOD_WAIT_30' }),
    ];
    const summary = buildSummary(log, 60);
    expect(summary.bins.reduce((n, b) => n + b.total, 0)).toBe(4);
    expect(summary.byClass).toEqual({ BAD_REQUEST: 2, FLOOD: 2 });
    expect(summary.topTypes).toEqual([
      { typeKey: 'FLOOD_WAIT_X', count: 2 },
      { typeKey: 'PEER_ID_INVALID', count: 2 },
    ]);
    expect(summary.peak).toBe(2);
    const first = summary.bins[0];
    expect(first.from).toBeLessThanOrEqual(T0);
    expect(first.byClass.BAD_REQUEST).toBe(2);
    expect(summary.bins.length).toBeLessThanOrEqual(60);
    // Bins are contiguous.
    for (let i = 1; i < summary.bins.length; i++) expect(summary.bins[i].from).toBe(summary.bins[i - 1].to);
  });

  it('is empty for an empty log and keeps at most maxBins over a day', () => {
    expect(buildSummary([]).bins).toEqual([]);
    const day = [peer(1, { capturedAt: at(0) }), peer(2, { capturedAt: at(86_400_000) })];
    expect(buildSummary(day, 60).bins.length).toBeLessThanOrEqual(60);
  });
});

describe('active limits', () => {
  const waits = waitRecords([
    rec(1, { method: 'messages.sendMessage', capturedAt: at(0), action: { kind: 'wait', retryAt: at(17_000) } }),
    rec(2, { method: 'messages.sendMessage', capturedAt: at(1000), action: { kind: 'wait', retryAt: at(60_000) } }),
    rec(3, { method: null, type: 'FLOOD_WAIT_5', capturedAt: at(0), action: { kind: 'wait', retryAt: at(5000) } }),
    peer(4),
  ]);

  it('lists each blocked method once, until its latest retry time, soonest first', () => {
    const limits = activeLimits(waits, T0 + 2000);
    expect(limits.map((l) => [l.label, l.retryAt - T0, l.ended])).toEqual([
      ['FLOOD_WAIT_5 (method unknown)', 5000, false],
      ['messages.sendMessage', 60_000, false],
    ]);
  });

  it('shows an ended limit briefly, then drops it; the clock stops when nothing runs', () => {
    expect(activeLimits(waits, T0 + 6000).map((l) => [l.label, l.ended])).toEqual([
      ['messages.sendMessage', false],
      ['FLOOD_WAIT_5 (method unknown)', true],
    ]);
    expect(activeLimits(waits, T0 + 11_000).map((l) => l.label)).toEqual(['messages.sendMessage']);
    expect(hasRunningWait(waits, T0 + 59_000)).toBe(true);
    expect(hasRunningWait(waits, T0 + 60_000)).toBe(false);
  });
});

describe('redirect chains and the DC map', () => {
  const migrate = rec(1, {
    code: 303,
    class: 'ERROR_SEE_OTHER',
    message: 'PHONE_MIGRATE_4',
    type: 'PHONE_MIGRATE_4',
    template: 'PHONE_MIGRATE_X',
    action: { kind: 'redirect', dc: 4 },
    method: 'auth.sendCode',
    dc: 2,
    chainId: 1,
  });
  const repeat = rec(3, { method: 'auth.sendCode', dc: 4, chainId: 1, message: 'FLOOD_WAIT_95', type: 'FLOOD_WAIT_95' });
  const other = peer(2);

  it('tells the query on DC a, the redirect, the repeat on DC b and how it ended', () => {
    const chain = buildChain([migrate, other, repeat], 1)!;
    expect(chain.steps.map((s) => [s.record.id, s.dc, s.toDc])).toEqual([
      [1, 2, 4],
      [3, 4, null],
    ]);
    expect(chain.outcome).toBe('The repeat on DC 4 failed with 420 FLOOD_WAIT_95.');
    expect(chain.open).toBe(false);
  });

  it('says so when no error followed the redirect', () => {
    const chain = buildChain([migrate], 1)!;
    expect(chain.open).toBe(true);
    expect(chain.outcome).toMatch(/No error was seen after the repeat on DC 4/);
    expect(buildChain([other], 7)).toBeNull();
  });

  it('learns which DC holds the user, the phone, files and stats; later redirects win', () => {
    const map = buildDcMap([
      migrate,
      rec(4, { template: 'USER_MIGRATE_X', action: { kind: 'redirect', dc: 2 }, dc: 1 }),
      rec(5, { template: 'FILE_MIGRATE_X', action: { kind: 'redirect', dc: 4 } }),
      rec(6, { template: 'STATS_MIGRATE_X', action: { kind: 'redirect', dc: 5 } }),
      rec(7, { template: 'USER_MIGRATE_X', action: { kind: 'redirect', dc: 4 } }),
    ]);
    expect(map.roles.get(4)).toEqual(['phone', 'user', 'files']);
    expect(map.roles.get(5)).toEqual(['stats']);
    expect(map.roles.has(2)).toBe(false);
    expect([...map.seen].sort()).toEqual([1, 2]);
    expect(map.count).toBe(5);
  });
});

describe('keyboard navigation model', () => {
  it('moves by row, page and to the ends, clamped', () => {
    expect(moveSelection('ArrowDown', -1, 10, 5)).toBe(0);
    expect(moveSelection('ArrowUp', -1, 10, 5)).toBe(9);
    expect(moveSelection('ArrowDown', 3, 10, 5)).toBe(4);
    expect(moveSelection('ArrowDown', 9, 10, 5)).toBe(9);
    expect(moveSelection('ArrowUp', 0, 10, 5)).toBe(0);
    expect(moveSelection('PageDown', 0, 10, 5)).toBe(4);
    expect(moveSelection('PageUp', 9, 10, 5)).toBe(5);
    expect(moveSelection('Home', 5, 10, 5)).toBe(0);
    expect(moveSelection('End', 5, 10, 5)).toBe(9);
    expect(moveSelection('ArrowDown', -1, 0, 5)).toBe(-1);
  });

  it('scrolls only as far as needed to reveal a row', () => {
    expect(scrollToReveal(10, 22, 0, 220)).toBe(22);
    expect(scrollToReveal(2, 22, 100, 220)).toBe(44);
    expect(scrollToReveal(5, 22, 0, 220)).toBeNull();
  });
});

describe('timeline layout with navigation markers', () => {
  const log = [peer(1), peer(2), peer(5), peer(6)];
  const marker = (beforeId: number) => ({ beforeId, url: 'https://web.telegram.org/k/', at: at(0) });

  it('puts a divider before the first record of the new page, and after the last when none came yet', () => {
    const layout = layoutTimeline(log, [marker(5), marker(7)]);
    expect(layout.slotCount).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((s) => slotAt(layout, s))).toEqual([
      { kind: 'record', index: 0 },
      { kind: 'record', index: 1 },
      { kind: 'marker', marker: marker(5) },
      { kind: 'record', index: 2 },
      { kind: 'record', index: 3 },
      { kind: 'marker', marker: marker(7) },
    ]);
    expect([0, 1, 2, 3].map((i) => slotOfRecord(layout, i))).toEqual([0, 1, 3, 4]);
  });
});

describe('evidence', () => {
  it('dumps hex 16 bytes a line with the error bytes marked', () => {
    const hex = '00'.repeat(18) + '19ca4421' + 'ff';
    const lines = hexDump(hex, 18, 4);
    expect(lines).toHaveLength(2);
    expect(lines[1].offset).toBe('0010');
    expect(lines[1].bytes.filter((b) => b.marked).map((b) => b.hex)).toEqual(['19', 'ca', '44', '21']);
    expect(lines[1].ascii).toBe('....D!.');
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('{broken')).toBe('{broken');
  });
});

describe('formatting waits', () => {
  it('reads long waits naturally and says when they end', () => {
    expect(formatDuration(89_999)).toBe('1 d 1 h');
    expect(formatDuration(86_400)).toBe('1 d');
    expect(formatDuration(3600)).toBe('1 h 00 min');
    const now = new Date(2026, 10, 21, 12, 0, 0).getTime();
    expect(formatUntil(now + 17_000, now)).toBe('at 12:00:17');
    expect(formatUntil(new Date(2026, 10, 22, 9, 30).getTime(), now)).toBe('tomorrow at 09:30');
    expect(formatUntil(new Date(2026, 11, 3, 9, 30).getTime(), now)).toBe('on 3 Dec at 09:30');
  });

  it('advises in plain words', () => {
    expect(adviceFor(rec(1, { method: 'messages.sendMessage' }), T0)).toMatch(/^Do not call messages.sendMessage again for 17 s after the error/);
    expect(adviceFor(rec(1, { action: { kind: 'redirect', dc: 4 } }))).toMatch(/on DC 4/);
    expect(adviceFor(peer(1, { code: 999, treatedAs500: true, action: { kind: 'report' } }))).toMatch(/handle it as 500/);
  });
});

describe('filter memory', () => {
  it('round-trips a filter and survives garbage', () => {
    const store = new Map<string, string>();
    const kv = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const f = filter({
      buckets: new Set(['420']),
      text: 'flood',
      method: 'auth.sendCode',
      channel: 'websocket',
      waitingNow: true,
      typeKey: 'FLOOD_WAIT_X',
      timeRange: { from: 1, to: 2 },
    });
    saveFilter(kv, 3, f);
    expect(loadFilter(kv, 3)).toEqual(f);
    expect(loadFilter(kv, 4)).toEqual(NO_FILTER);
    store.set('tg-errors-filter:5', '{not json');
    expect(loadFilter(kv, 5)).toEqual(NO_FILTER);
    store.set('tg-errors-filter:6', JSON.stringify({ buckets: ['999', '303'], text: 5 }));
    expect(loadFilter(kv, 6)).toEqual(filter({ buckets: new Set(['303']) }));
  });
});

describe('lowerBoundById', () => {
  it('finds the first record at or after an id, in a log of increasing ids', () => {
    const log = [2, 4, 6, 8].map((id) => peer(id));
    expect([0, 2, 3, 8, 9].map((id) => lowerBoundById(log, id))).toEqual([0, 0, 1, 3, 4]);
    expect(lowerBoundById([], 5)).toBe(0);
  });
});
