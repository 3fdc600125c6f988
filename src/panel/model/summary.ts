// The overview above the timeline: errors over time in bins stacked by class, counts by
// class, and the most frequent types. Pure, so bins and counts are unit-tested.

import type { ErrorClass, ErrorRecord } from '../../core/record.ts';
import { capturedMsOf, typeKeyOf } from './record-facts.ts';

export const CLASS_ORDER: readonly ErrorClass[] = [
  'ERROR_SEE_OTHER',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NOT_ACCEPTABLE',
  'FLOOD',
  'INTERNAL',
  'PROTOCOL',
  'TRANSPORT',
];

export interface SummaryBin {
  from: number;
  to: number;
  total: number;
  byClass: Partial<Record<ErrorClass, number>>;
}

export interface Summary {
  bins: SummaryBin[];
  /** Largest bin total, for scaling the bars. */
  peak: number;
  byClass: Partial<Record<ErrorClass, number>>;
  topTypes: { typeKey: string; count: number }[];
}

/** Bin widths that read well on a time axis, in ms. */
const NICE_WIDTHS = [
  100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000,
  86_400_000,
];

/** `times`, when given, holds each record's capture time in epoch ms (RecordIndex.capturedTimes). */
export function buildSummary(records: readonly ErrorRecord[], maxBins = 60, topCount = 5, times?: Float64Array): Summary {
  // One pass for times, classes and types into flat arrays; objects are built at the end.
  const n = records.length;
  const at = times ?? new Float64Array(n);
  const classIndex = new Uint8Array(n);
  const classTotals = new Array<number>(CLASS_ORDER.length).fill(0);
  const typeCounts = new Map<string, number>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const c = CLASS_INDEX.get(r.class) ?? CLASS_ORDER.length - 1;
    classIndex[i] = c;
    classTotals[c]++;
    const key = typeKeyOf(r);
    typeCounts.set(key, (typeCounts.get(key) ?? 0) + 1);
    const t = times === undefined ? (at[i] = capturedMsOf(r)) : at[i];
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const byClass: Partial<Record<ErrorClass, number>> = {};
  CLASS_ORDER.forEach((c, i) => classTotals[i] && (byClass[c] = classTotals[i]));
  const topTypes = [...typeCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, topCount)
    .map(([typeKey, count]) => ({ typeKey, count }));
  if (n === 0) return { bins: [], peak: 0, byClass, topTypes };

  const span = Math.max(1, last - first + 1);
  const width = NICE_WIDTHS.find((w) => span / w <= maxBins) ?? Math.ceil(span / maxBins);
  const start = Math.floor(first / width) * width;
  const count = Math.floor((last - start) / width) + 1;
  const cells = new Int32Array(count * CLASS_ORDER.length);
  const totals = new Int32Array(count);
  for (let i = 0; i < n; i++) {
    const bin = Math.floor((at[i] - start) / width);
    totals[bin]++;
    cells[bin * CLASS_ORDER.length + classIndex[i]]++;
  }
  let peak = 0;
  const bins: SummaryBin[] = [];
  for (let b = 0; b < count; b++) {
    const binByClass: Partial<Record<ErrorClass, number>> = {};
    CLASS_ORDER.forEach((c, i) => cells[b * CLASS_ORDER.length + i] && (binByClass[c] = cells[b * CLASS_ORDER.length + i]));
    bins.push({ from: start + b * width, to: start + (b + 1) * width, total: totals[b], byClass: binByClass });
    if (totals[b] > peak) peak = totals[b];
  }
  return { bins, peak, byClass, topTypes };
}

const CLASS_INDEX = new Map<ErrorClass, number>(CLASS_ORDER.map((c, i) => [c, i]));
