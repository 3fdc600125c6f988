// HTTP request sightings for the handling audit: while the reporter's sighting window is open
// (the page reported an error recently), each fetch / XHR that names a Telegram API method
// (a TL-JSON or TDLib body, a Bot API URL) is reported as a kind 'request' capture with the
// fingerprint of its input. Outside the window a request costs one comparison. The same
// fingerprint goes with an error the response carries, so the audit tells an identical repeat
// from a changed one.

import { captureGetter, textIndexOf, textSlice } from '../common/natives.ts';
import { pageFingerprint } from '../common/request-fingerprint.ts';
import { botApiMethodOf, isBotApiUrl, methodOfRequest } from '../common/request-method.ts';
import type { CaptureSource, Reporter } from '../common/report.ts';

const requestUrl = typeof Request === 'function' ? captureGetter<string>(Request.prototype, 'url') : undefined;
const urlHref = typeof URL === 'function' ? captureGetter<string>(URL.prototype, 'href') : undefined;

/** The URL a fetch input names, read with native getters only; '' when it cannot be read. */
export function urlOfInput(input: unknown): string {
  if (typeof input === 'string') return input;
  if (typeof input !== 'object' || input === null) return '';
  try {
    return requestUrl!(input);
  } catch {
    // not a Request
  }
  try {
    return urlHref!(input);
  } catch {
    return '';
  }
}

/**
 * The fingerprint of an HTTP request's input: its text body, or, without one, the URL's query
 * (a Bot API GET carries its parameters there). Undefined for other bodies (bytes, forms).
 */
export function httpRequestFingerprint(url: string, body: unknown): string | undefined {
  if (typeof body === 'string' && body.length > 0) return pageFingerprint.text(body);
  if (body !== undefined && body !== null && body !== '') return undefined;
  const query = textIndexOf(url, '?');
  return pageFingerprint.text(query >= 0 ? textSlice(url, query) : '');
}

/** Reports a sighting of one HTTP request when it names an API method. Call only while report.sightingsOpen(). */
export function sightHttpRequest(report: Reporter, channel: 'fetch' | 'xhr', url: string, body: unknown): void {
  const method = methodOfRequest(body);
  if (method === undefined && !isBotApiUrl(url)) return;
  const source: CaptureSource = { channel, direction: 'out', url, fingerprintOf: () => httpRequestFingerprint(url, body) };
  if (method !== undefined) source.method = method;
  report.request(source);
}

/** The API method an HTTP request calls, for the call log: a TL-JSON / TDLib body's, else a Bot API URL's. */
export function httpCallMethod(url: string, body: unknown): string | undefined {
  return methodOfRequest(body) ?? botApiMethodOf(url);
}

let httpCalls = 0;

/** A fresh key for an HTTP call (its own request and response pair it; the key only names it in the notes). */
export function nextHttpCallKey(): string {
  return '' + ++httpCalls;
}
