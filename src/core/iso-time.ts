// Epoch milliseconds -> ISO 8601, the same text as Date#toISOString, several times faster:
// classification formats one or two times per error and Date#toISOString dominated its cost.
// The date part is cached per day; the time of day is built from precomputed digit strings.

const MS_PER_DAY = 86_400_000;
// The fast path covers 1970 up to year 9999: non-negative day arithmetic, and no ±YYYYYY years
// (which Date#toISOString writes past 9999). Everything else goes through Date.
const FAST_MIN = 0;
const FAST_MAX = 253_402_300_800_000; // 10000-01-01T00:00:00Z
const MAX_DATE_MS = 8.64e15;

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

let cachedDay = NaN;
let cachedDayPrefix = '';

/** ISO 8601 for epoch ms, or null when no Date can represent it (NaN, ±Infinity, beyond ±8.64e15). */
export function isoFromEpochMs(ms: number): string | null {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return null;
  const t = Math.trunc(ms) + 0; // Date clips toward zero; `+ 0` turns -0 into 0
  if (t < FAST_MIN || t >= FAST_MAX) return new Date(t).toISOString();
  const day = Math.floor(t / MS_PER_DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11); // "YYYY-MM-DDT"
  }
  let rest = t - day * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedDayPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
