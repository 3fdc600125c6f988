// Where the inspector runs: the origins it is invited to. Pure: match patterns and URLs only.
//
// A site is a scheme and a host name, as a WebExtension match pattern `scheme://host/*`: match
// patterns carry no port, so enabling https://example.test enables it on every port (the
// browser's permission prompt names the host the same way).

/**
 * Enabled out of the box, by static content_scripts in manifest.json (the same list there and
 * in host_permissions): Telegram's web clients and local development on any port.
 */
export const DEFAULT_SITE_PATTERNS: readonly string[] = [
  'https://web.telegram.org/*',
  'http://localhost/*',
  'https://localhost/*',
  'http://127.0.0.1/*',
  'https://127.0.0.1/*',
];

/** Longest host name a pattern is made of (DNS: 253). */
const MAX_HOST = 253;

/** The site pattern of a page URL (`https://example.test/*`), or null for what cannot be inspected (about:, file:, extension pages...). */
export function sitePatternOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const host = parsed.hostname;
  if (!host || host.length > MAX_HOST) return null;
  return `${parsed.protocol}//${host}/*`;
}

/** True for a pattern this module makes: `http(s)://host/*` with one plain host (no wildcard, no port). */
export function isSitePattern(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_HOST + 12) return false;
  const m = /^(https?):\/\/([^/*:]+|\[[0-9a-f:.]+\])\/\*$/i.exec(value);
  return m !== null && sitePatternOf(`${m[1]}://${m[2]}/`) === value;
}

export const isDefaultSite = (pattern: string): boolean => DEFAULT_SITE_PATTERNS.includes(pattern);

/** The host a pattern names, for the words the panel and popup show ("example.test"). */
export function siteHost(pattern: string): string {
  return pattern.replace(/^https?:\/\//, '').replace(/\/\*$/, '');
}

/** What the panel and the popup show for a tab: its site and whether the inspector runs there. */
export interface SiteStatus {
  /** The tab's site pattern, null when the page cannot be inspected at all (about:, chrome:, extension pages). */
  pattern: string | null;
  /** Enabled out of the box (cannot be removed). */
  isDefault: boolean;
  /** Enabled (by default or by the user, with the browser's permission). */
  enabled: boolean;
  /** The sites the user added. */
  added: string[];
}

export function siteStatus(url: string | null, added: readonly string[]): SiteStatus {
  const pattern = url ? sitePatternOf(url) : null;
  const isDefault = pattern !== null && isDefaultSite(pattern);
  return { pattern, isDefault, enabled: pattern !== null && (isDefault || added.includes(pattern)), added: [...added] };
}
