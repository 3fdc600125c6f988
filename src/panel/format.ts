// Human-readable values for the timeline.

import type { ErrorRecord } from '../core/record.ts';

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
  const d = Math.floor(h / 24);
  return `${d} d ${h % 24} h`;
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
