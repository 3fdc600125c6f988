import { describe, expect, it } from 'vitest';
import { formatDuration, formatParams } from '../../../src/panel/model/format.ts';
import { codeBucket, countByBucket, filterByBuckets } from '../../../src/panel/model/filters.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const rec = (o: Partial<ErrorRecord>) => ({ ...makeRecord(o), id: 1 }) as ErrorRecord;

describe('formatDuration', () => {
  it('reads naturally from seconds to days', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(16.2)).toBe('17 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(2 * 3600 + 13 * 60)).toBe('2 h 13 min');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 5)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('0 s');
  });
});

describe('formatParams', () => {
  it('leaves out what the row shows as a countdown or a DC badge', () => {
    expect(formatParams(rec({}))).toBe('');
    expect(formatParams(rec({ params: { dc: 4 }, action: { kind: 'redirect', dc: 4 } }))).toBe('');
    expect(formatParams(rec({ params: { part: 3 }, action: { kind: 'fix-input' } }))).toBe('part=3');
  });
});

describe('code filters', () => {
  const records = [
    rec({ code: 303, class: 'ERROR_SEE_OTHER' }),
    rec({ code: 420, class: 'FLOOD' }),
    rec({ code: 429, class: 'FLOOD', dialect: 'bot-api' }),
    rec({ code: -503, class: 'INTERNAL', treatedAs500: true }),
    rec({ code: 999, class: 'INTERNAL', treatedAs500: true }),
    rec({ code: 500, class: 'INTERNAL' }),
  ];
  it('buckets undocumented codes as other and 429 floods with 420', () => {
    expect(records.map(codeBucket)).toEqual(['303', '420', '420', 'other', 'other', '500']);
    const counts = countByBucket(records);
    expect(counts['420']).toBe(2);
    expect(counts.other).toBe(2);
    expect(counts['400']).toBe(0);
  });
  it('shows everything with no chip on, and the union of chips otherwise', () => {
    expect(filterByBuckets(records, new Set())).toHaveLength(6);
    expect(filterByBuckets(records, new Set(['303', 'other'] as const))).toHaveLength(3);
  });
});
