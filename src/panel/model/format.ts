// Human-readable values for the timeline.

import type { ErrorRecord } from '../../core/record.ts';

export function formatTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** 17 s, 4 min 05 s, 2 h 13 min, 3 d 4 h: precise when short, natural when long. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.ceil(totalSeconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  // Days and the nearest whole hour: 24 h 59 min reads "1 d 1 h", not "1 d 0 h".
  const hours = Math.round(s / 3600);
  const d = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${d} d` : `${d} d ${hours % 24} h`;
}

/** Params other than the ones the row shows as a countdown or a redirect. */
export function formatParams(record: ErrorRecord): string {
  return Object.entries(record.params)
    .filter(([name]) => !(name === 'seconds' && record.action.retryAt) && !(name === 'dc' && record.action.kind === 'redirect'))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

/** The URL without scheme, for a narrow column; the full URL is in the tooltip. */
export function shortUrl(url: string | null): string {
  if (!url) return '';
  return url.replace(/^[a-z]+:\/\//, '');
}

/** When a wait ends, as people say it: "at 14:05:09", "tomorrow at 09:00", "on 3 Dec at 09:00". */
export function formatUntil(endMs: number, nowMs: number): string {
  const end = new Date(endMs);
  const now = new Date(nowMs);
  const time = (withSeconds: boolean) => (withSeconds ? TIME_WITH_SECONDS : TIME).format(end);
  const dayDiff = Math.round((startOfDay(end) - startOfDay(now)) / 86_400_000);
  if (dayDiff === 0) return `at ${time(true)}`;
  if (dayDiff === 1) return `tomorrow at ${time(false)}`;
  return `on ${(end.getFullYear() !== now.getFullYear() ? DATE_WITH_YEAR : DATE).format(end)} at ${time(false)}`;
}

// The formats formatUntil uses, made once: toLocaleTimeString builds a formatter on every
// call, which is most of a countdown's cost on each tick of the clock.
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const TIME_WITH_SECONDS = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const DATE_WITH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
