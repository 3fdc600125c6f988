// Masks secrets before anything is shown, stored or exported: Bot API tokens (a token is full
// control of the bot) and credential-like query parameters.

/** Query / fragment parameters whose values are credentials (compared case-insensitively). */
const SECRET_PARAMS = new Set(['token', 'access_token', 'auth', 'key', 'hash', 'password', 'bot_token', 'api_hash', 'auth_key', 'secret']);

export const MASK = '***';

// `/bot<id>:<secret>` in a path (also `/file/bot...`), the colon possibly percent-encoded.
const BOT_TOKEN_IN_PATH = /\/bot(\d+)(:|%3[aA])[^/?#]+/g;
// A bot token anywhere in text: digits, colon, a long base64url secret (real ones are 35 chars).
const BOT_TOKEN_IN_TEXT = /(?<!\d)(\d{3,})(:|%3[aA])[A-Za-z0-9_-]{30,}/g;

function maskParams(part: string): string {
  let changed = false;
  const pairs = part.split('&');
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    let name = pair.slice(0, eq);
    try {
      name = decodeURIComponent(name);
    } catch {
      // keep the raw name when it is not valid percent-encoding
    }
    if (SECRET_PARAMS.has(name.toLowerCase()) && pair.slice(eq + 1) !== MASK) {
      pairs[i] = pair.slice(0, eq + 1) + MASK;
      changed = true;
    }
  }
  return changed ? pairs.join('&') : part;
}

function maskUrlUncached(url: string): string {
  let out = url.includes('/bot') ? url.replace(BOT_TOKEN_IN_PATH, `/bot$1$2${MASK}`) : url;
  const hashAt = out.indexOf('#');
  const queryAt = out.indexOf('?');
  if (queryAt === -1 && hashAt === -1) return out;
  const fragment = hashAt === -1 ? '' : out.slice(hashAt + 1);
  const beforeFragment = hashAt === -1 ? out : out.slice(0, hashAt);
  const q = beforeFragment.indexOf('?');
  const base = q === -1 ? beforeFragment : beforeFragment.slice(0, q);
  const query = q === -1 ? null : beforeFragment.slice(q + 1);
  out = base;
  if (query !== null) out += '?' + maskParams(query);
  // OAuth-style fragments carry tokens as parameters too.
  if (hashAt !== -1) out += '#' + maskParams(fragment);
  return out;
}

// Captures from one page share a handful of URLs; remember them (bounded).
const MAX_CACHED_URLS = 512;
const maskedUrls = new Map<string, string>();

/** The URL with bot tokens in the path and secret query/fragment parameters replaced by `***`. */
export function maskUrlSecrets(url: string): string {
  if (typeof url !== 'string') return '';
  const cached = maskedUrls.get(url);
  if (cached !== undefined) return cached;
  const masked = maskUrlUncached(url);
  if (maskedUrls.size >= MAX_CACHED_URLS) maskedUrls.clear();
  maskedUrls.set(url, masked);
  return masked;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isTokenChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || c === 45;
}

/**
 * Cheap prefilter run on every evidence excerpt: a token needs a digit right before a colon and a
 * token character right after it. JSON text has colons everywhere, but after a quote.
 */
function mayHoldBotToken(text: string): boolean {
  if (text.includes('%3')) return true;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    if (at > 0 && isDigit(text.charCodeAt(at - 1)) && isTokenChar(text.charCodeAt(at + 1))) return true;
  }
  return false;
}

/** Bot tokens anywhere in free text (evidence excerpts, messages) replaced by `<id>:***`. */
export function maskSecretsInText(text: string): string {
  if (typeof text !== 'string') return '';
  if (!mayHoldBotToken(text)) return text;
  return text.replace(BOT_TOKEN_IN_TEXT, `$1$2${MASK}`);
}

/** The URL masker under the name other modules import it by. Idempotent: masking twice is a no-op. */
export const maskSecrets = maskUrlSecrets;
