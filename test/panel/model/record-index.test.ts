import { describe, expect, it } from 'vitest';
import type { Channel, ErrorClass, ErrorRecord } from '../../../src/core/record.ts';
import { countByBucket, distinctValues, filterRecords, NO_FILTER, type CodeBucket, type TimelineFilter } from '../../../src/panel/model/filters.ts';
import { activeLimits, hasRunningWait, waitRecords } from '../../../src/panel/model/active-limits.ts';
import { RecordIndex } from '../../../src/panel/model/record-index.ts';
import { makeRecord } from '../../helpers/make-record.ts';

// The index must give exactly what the pure functions give, whatever the log went through:
// a snapshot, appends, the cap dropping the oldest, a different log altogether.

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KINDS: { code: number; class: ErrorClass; message: string; template: string | null; type: string | null }[] = [
  { code: 400, class: 'BAD_REQUEST', message: 'PEER_ID_INVALID', template: 'PEER_ID_INVALID', type: 'PEER_ID_INVALID' },
  { code: 420, class: 'FLOOD', message: 'FLOOD_WAIT_17', template: 'FLOOD_WAIT_X', type: 'FLOOD_WAIT_17' },
  { code: 429, class: 'FLOOD', message: 'Too Many Requests: retry after 5', template: null, type: null },
  { code: 303, class: 'ERROR_SEE_OTHER', message: 'FILE_MIGRATE_4', template: 'FILE_MIGRATE_X', type: 'FILE_MIGRATE_4' },
  { code: 401, class: 'UNAUTHORIZED', message: 'AUTH_KEY_UNREGISTERED', template: 'AUTH_KEY_UNREGISTERED', type: 'AUTH_KEY_UNREGISTERED' },
  { code: 403, class: 'FORBIDDEN', message: 'CHAT_WRITE_FORBIDDEN', template: 'CHAT_WRITE_FORBIDDEN', type: 'CHAT_WRITE_FORBIDDEN' },
  { code: 404, class: 'NOT_FOUND', message: 'Not Found', template: null, type: null },
  { code: 406, class: 'NOT_ACCEPTABLE', message: 'UPDATE_APP_TO_LOGIN', template: 'UPDATE_APP_TO_LOGIN', type: 'UPDATE_APP_TO_LOGIN' },
  { code: 500, class: 'INTERNAL', message: 'INTERDC_2_CALL_ERROR', template: 'INTERDC_X_CALL_ERROR', type: 'INTERDC_2_CALL_ERROR' },
  { code: -503, class: 'TRANSPORT', message: 'Timeout', template: null, type: null },
  { code: 48, class: 'PROTOCOL', message: 'bad_server_salt', template: null, type: null },
];
const METHODS = [null, 'messages.sendMessage', 'upload.getFile', 'contacts.resolveUsername', 'auth.signIn'];
const CHANNELS: Channel[] = ['websocket', 'fetch', 'xhr', 'worker'];
const URLS = [null, 'wss://kws2.web.telegram.org/apiws', 'https://venus.web.telegram.org/apiw1'];

function generator(seed: number) {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  let id = 0;
  return (count: number): ErrorRecord[] => {
    const out: ErrorRecord[] = [];
    for (let i = 0; i < count; i++) {
      id++;
      const kind = pick(KINDS);
      const at = id * 100 + Math.floor(next() * 50);
      const wait = kind.class === 'FLOOD' && next() < 0.9;
      out.push({
        ...makeRecord({
          code: kind.code,
          class: kind.class,
          message: kind.message,
          type: kind.type,
          template: kind.template,
          capturedAt: iso(at),
          action: wait ? { kind: 'wait', retryAt: next() < 0.05 ? 'not a date' : iso(at + Math.floor(next() * 20_000)) } : { kind: 'report' },
          method: pick(METHODS),
          channel: pick(CHANNELS),
          url: pick(URLS),
        }),
        id,
      } as ErrorRecord);
    }
    return out;
  };
}

const FILTERS: Partial<TimelineFilter>[] = [
  { buckets: new Set<CodeBucket>(['400']) },
  { buckets: new Set<CodeBucket>(['420', '303', 'other']) },
  { text: 'flood' },
  { text: 'kws2 SEND' },
  { text: 'nothing-like-this' },
  { method: 'upload.getFile' },
  { method: 'never.called' },
  { channel: 'fetch' },
  { typeKey: 'FLOOD_WAIT_X' },
  { typeKey: 'Timeout', channel: 'xhr' },
  { waitingNow: true },
  { timeRange: { from: T0 + 2000, to: T0 + 9000 } },
  { buckets: new Set<CodeBucket>(['420']), text: 'messages', waitingNow: true },
];

function expectSame(index: RecordIndex, records: ErrorRecord[], now: number): void {
  index.sync(records);
  expect(index.counts()).toEqual(countByBucket(records));
  expect(index.methodList()).toEqual(distinctValues(records, (r) => r.method));
  expect(index.channelList()).toEqual(distinctValues(records, (r) => r.channel));
  const waits = waitRecords(records);
  expect(index.waits()).toEqual(waits);
  expect(index.waitCount).toBe(waits.length);
  for (const t of [now - 10_000, now, now + 5000, now + 30_000]) {
    expect(index.latestRetry() > t - 5000).toBe(hasRunningWait(waits, t, 5000));
    expect(index.runningWaits(t)).toBe(waits.filter((r) => Date.parse(r.action.retryAt!) > t).length);
    expect(index.activeLimits(t)).toEqual(activeLimits(waits, t));
  }
  expect([...(index.capturedTimes(records) ?? [])]).toEqual(records.map((r) => Date.parse(r.capturedAt)));
  for (const f of FILTERS) {
    const filter = { ...NO_FILTER, ...f };
    expect(index.filter(filter, now).map((r) => r.id)).toEqual(filterRecords(records, filter, now).map((r) => r.id));
  }
  expect(index.filter(NO_FILTER, now)).toBe(records);
}

describe('record index', () => {
  it('gives what the pure functions give, on a snapshot and after appends', () => {
    const make = generator(1);
    const index = new RecordIndex();
    let records = make(500);
    expectSame(index, records, T0 + 20_000);
    for (let round = 0; round < 5; round++) {
      records = records.concat(make(37));
      expectSame(index, records, T0 + 20_000 + round * 3000);
    }
  });

  it('follows the cap dropping the oldest, through many compactions', () => {
    const make = generator(2);
    const index = new RecordIndex();
    let records = make(300);
    const cap = 700;
    // One filter kept across rounds: only the new records are tested, through slot moves too.
    const kept = { ...NO_FILTER, buckets: new Set<CodeBucket>(['420', '400']), text: 'e' };
    for (let round = 0; round < 40; round++) {
      records = records.concat(make(round % 3 === 0 ? 250 : 40));
      if (records.length > cap) records = records.slice(records.length - cap);
      index.sync(records);
      expect(index.filter(kept, T0).map((r) => r.id)).toEqual(filterRecords(records, kept, T0).map((r) => r.id));
      if (round % 4 === 0) expectSame(index, records, T0 + round * 4000);
    }
  });

  it('starts over for another log, and for a cleared one', () => {
    const index = new RecordIndex();
    expectSame(index, generator(3)(200), T0);
    expectSame(index, generator(4)(150), T0);
    expectSame(index, [], T0);
    expectSame(index, generator(5)(20), T0);
    // From a large log to a small one (the room is given back), then growing again.
    expectSame(index, generator(7)(6000), T0);
    const small = generator(8);
    let records = small(10);
    expectSame(index, records, T0);
    records = records.concat(small(3000));
    expectSame(index, records, T0);
  });

  it('keeps a filter up to date as records arrive, and narrows while typing', () => {
    const make = generator(6);
    const index = new RecordIndex();
    let records = make(400);
    index.sync(records);
    const same = { ...NO_FILTER, buckets: new Set<CodeBucket>(['420']), text: 'mess' };
    for (let round = 0; round < 6; round++) {
      records = records.concat(make(23));
      if (round % 2 === 1) records = records.slice(30);
      index.sync(records);
      expect(index.filter(same, T0).map((r) => r.id)).toEqual(filterRecords(records, same, T0).map((r) => r.id));
    }
    // The same filter on the same log is the same array.
    expect(index.filter(same, T0)).toBe(index.filter(same, T0));
    let filter = NO_FILTER;
    for (const text of ['k', 'kw', 'kws2', 'kws2 ', 'kws2 s', 'kws2 se', 'kws2 sen', 'kws', 'upload', 'upload.getfile', 'flood', 'floo']) {
      filter = { ...filter, text };
      expect(index.filter(filter, T0).map((r) => r.id)).toEqual(filterRecords(records, filter, T0).map((r) => r.id));
    }
    // From a narrower chip selection to the same text with no chips: a full pass again.
    filter = { ...filter, buckets: new Set<CodeBucket>(['420']) };
    expect(index.filter(filter, T0).map((r) => r.id)).toEqual(filterRecords(records, filter, T0).map((r) => r.id));
    filter = { ...filter, buckets: new Set() };
    expect(index.filter(filter, T0).map((r) => r.id)).toEqual(filterRecords(records, filter, T0).map((r) => r.id));
  });
});
