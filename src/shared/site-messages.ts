// Requests about the sites the inspector runs on, from the panel and the toolbar popup
// (runtime.sendMessage from extension pages); each is answered with a SiteStatus
// (src/core/inspected-sites.ts).

import { isSitePattern } from '../core/inspected-sites.ts';

export type SiteRequest =
  /** The status of a tab's site: by its URL when the page knows it (DevTools, popup), else the tab's URL as the background may read it. */
  | { type: 'site-status'; tabId: number | null; url: string | null }
  /** Sent after the browser granted the site's permission (permissions.request in the page). */
  | { type: 'site-add'; pattern: string }
  | { type: 'site-remove'; pattern: string };

const MAX_URL = 8192;

export function isSiteRequest(message: unknown): message is SiteRequest {
  const m = message as Record<string, unknown> | null;
  switch (m?.type) {
    case 'site-status':
      return (m.tabId === null || Number.isSafeInteger(m.tabId)) && (m.url === null || (typeof m.url === 'string' && m.url.length <= MAX_URL));
    case 'site-add':
    case 'site-remove':
      return isSitePattern(m.pattern);
    default:
      return false;
  }
}
