// Filters outlive the panel's page being reloaded while DevTools stays open: they are kept
// in the panel page's sessionStorage (per inspected tab), which DevTools keeps until it closes.

import type { Channel } from '../../core/record.ts';
import { CODE_BUCKETS, NO_FILTER, type CodeBucket, type TimelineFilter } from '../model/filters.ts';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const keyFor = (tabId: number) => `tg-errors-filter:${tabId}`;

export function saveFilter(store: KeyValueStore | null, tabId: number, filter: TimelineFilter): void {
  if (!store) return;
  try {
    store.setItem(keyFor(tabId), JSON.stringify({ ...filter, buckets: [...filter.buckets] }));
  } catch {
    // Storage full or denied: filters then last as long as the page.
  }
}

export function loadFilter(store: KeyValueStore | null, tabId: number): TimelineFilter {
  if (!store) return NO_FILTER;
  try {
    const raw = store.getItem(keyFor(tabId));
    if (!raw) return NO_FILTER;
    const data = JSON.parse(raw) as Record<string, unknown>;
    const buckets = Array.isArray(data.buckets) ? data.buckets.filter((b): b is CodeBucket => (CODE_BUCKETS as readonly unknown[]).includes(b)) : [];
    const range = data.timeRange as { from?: unknown; to?: unknown } | null;
    return {
      buckets: new Set(buckets),
      text: typeof data.text === 'string' ? data.text : '',
      method: typeof data.method === 'string' ? data.method : null,
      channel: typeof data.channel === 'string' ? (data.channel as Channel) : null,
      waitingNow: data.waitingNow === true,
      violations: data.violations === true,
      typeKey: typeof data.typeKey === 'string' ? data.typeKey : null,
      timeRange: range && typeof range.from === 'number' && typeof range.to === 'number' ? { from: range.from, to: range.to } : null,
    };
  } catch {
    return NO_FILTER;
  }
}

/** The page's sessionStorage, or null where it is not available (sandboxed, tests). */
export function pageSessionStore(): KeyValueStore | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
