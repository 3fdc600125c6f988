// XMLHttpRequest: only prototype.open is wrapped (a Proxy). On the first open of each
// request object one readystatechange listener is added; at DONE it reads the response
// in the form the page asked for. It is added at open rather than send so it runs before
// load/loadend handlers that might transfer or alter the response.

import { nullProtoHandler } from '../common/proxy-handler.ts';
import { bodyKindOf, MAX_BODY_BYTES, type BodyKind } from './body-kind.ts';
import { inspectBodyBytes } from './body-inspect.ts';
import {
  blobLength,
  blobMimeType,
  bytesOf,
  captureGetter,
  jsonStringify,
  listen,
  mapGet,
  mapSet,
  NativeUint8Array,
  NativeWeakMap,
  readBlob,
  reflectApply,
  replaceValue,
  whenFulfilled,
} from '../common/natives.ts';
import { mayContainApiErrorText } from '../common/text-prefilter.ts';
import { methodOfRequest } from '../common/request-method.ts';
import { mtprotoRequestHead } from './mtproto-request.ts';
import type { CaptureSource, Reporter } from '../common/report.ts';
import { httpCallMethod, httpRequestFingerprint, nextHttpCallKey, sightHttpRequest } from './request-sighting.ts';

const DONE = 4;

interface RequestState {
  /** The URL as passed to open, when it was a plain string (used if responseURL is empty). */
  openedUrl: string;
  /** The method named by the request text sent, if it was a TL-JSON call. */
  method: string | undefined;
  /** Head of the binary request sent, when it is an unencrypted MTProto message (HTTP transport). */
  requestHead?: Uint8Array;
  /** What was sent (held until the next open, for the fingerprint of an error's request). */
  body?: unknown;
  /** The call log's key of the API call this request is, when it names a method. */
  callKey?: string;
}

export function watchXhr(report: Reporter): void {
  const NativeXhr = window.XMLHttpRequest;
  if (typeof NativeXhr !== 'function') return;
  const proto = NativeXhr.prototype;
  const nativeOpen = proto.open;
  const getResponseHeader = proto.getResponseHeader;
  const readyState = captureGetter<number>(proto, 'readyState');
  const status = captureGetter<number>(proto, 'status');
  const responseType = captureGetter<XMLHttpRequestResponseType>(proto, 'responseType');
  const responseText = captureGetter<string>(proto, 'responseText');
  const response = captureGetter<unknown>(proto, 'response');
  const responseUrl = captureGetter<string>(proto, 'responseURL');
  if (!readyState || !status || !responseType || !responseText || !response || !responseUrl) return;
  if (typeof nativeOpen !== 'function') return;

  const requests = new NativeWeakMap<XMLHttpRequest, RequestState>();

  function contentKind(xhr: XMLHttpRequest): BodyKind {
    return bodyKindOf(reflectApply(getResponseHeader, xhr, ['content-type']) as string | null);
  }

  /** The request's call-log key, taken once: its call gets one note of how it ended. */
  function takeCallKey(state: RequestState): string | undefined {
    const key = state.callKey;
    state.callKey = undefined;
    return key;
  }

  /** The call log: the request's answer, noted after any report of it (so its error settles it first). */
  function answered(key: string | undefined, reported: boolean): void {
    if (key !== undefined) report.callNote('xhr', 'xhr', reported ? 'e' : 'k', key);
  }

  /** The call log: the request ended with no answer (aborted, timed out, a network error, opened again). */
  function unanswered(key: string | undefined): void {
    if (key !== undefined) report.callNote('xhr', 'xhr', 'u', key);
  }

  function onDone(xhr: XMLHttpRequest, state: RequestState): void {
    if (readyState!(xhr) !== DONE) return;
    const key = takeCallKey(state);
    // Status 0 at DONE: no response came (abort, error, timeout); there is nothing to read.
    if (status!(xhr) === 0) return unanswered(key);
    let reported: boolean | undefined = false;
    try {
      reported = inspectResponse(xhr, state, key);
    } finally {
      if (reported !== undefined) answered(key, reported);
    }
  }

  /** Reports what the response may hold: true when it reported, undefined when that is decided later (a Blob read). */
  function inspectResponse(xhr: XMLHttpRequest, state: RequestState, key: string | undefined): boolean | undefined {
    const source: CaptureSource = {
      channel: 'xhr',
      direction: 'in',
      url: responseUrl!(xhr) || state.openedUrl,
      status: status!(xhr),
    };
    if (state.method !== undefined) source.method = state.method;
    if (state.requestHead !== undefined) source.requestHead = state.requestHead;
    const sentUrl = state.openedUrl;
    const sentBody = state.body;
    source.fingerprintOf = () => httpRequestFingerprint(sentUrl, sentBody);
    const type = responseType!(xhr);
    // responseText throws for non-text response types, so the type decides what is read.
    if (type === '' || type === 'text') {
      if (contentKind(xhr) === 'skip') return false;
      const text = responseText!(xhr);
      if (!mayContainApiErrorText(text)) return false;
      report.text(source, text);
      return true;
    } else if (type === 'json') {
      const value = response!(xhr);
      if (value === null || typeof value !== 'object') return false;
      // The parsed value is the page's object, shared with it: serialized, never modified.
      const text = jsonStringify(value);
      if (typeof text !== 'string' || !mayContainApiErrorText(text)) return false;
      report.text(source, text);
      return true;
    } else if (type === 'arraybuffer') {
      const bytes = bytesOf(response!(xhr));
      return bytes !== null && bytes.length > 0 ? inspectBodyBytes(report, source, contentKind(xhr), bytes) : false;
    } else if (type === 'blob') {
      const blob = response!(xhr) as Blob;
      const size = blobLength(blob);
      if (size <= 0 || size > MAX_BODY_BYTES) return false;
      const kind = bodyKindOf(blobMimeType(blob) || null);
      if (kind === 'skip') return false;
      whenFulfilled(readBlob(blob), (buffer) => answered(key, inspectBodyBytes(report, source, kind, new NativeUint8Array(buffer))));
      return undefined;
    }
    // 'document': parsed markup, never an API error body worth a DOM walk.
    return false;
  }

  const openProxy = new Proxy(
    nativeOpen,
    nullProtoHandler<typeof nativeOpen>({
      apply(target, thisArg, args) {
        const result = reflectApply(target, thisArg, args);
        try {
          const xhr = thisArg as XMLHttpRequest;
          const openedUrl = typeof args[1] === 'string' ? args[1] : '';
          const known = mapGet(requests, xhr);
          if (known) {
            // Opened again while its request was out: that request is abandoned (no event tells).
            unanswered(takeCallKey(known));
            known.openedUrl = openedUrl;
            known.method = undefined;
            known.body = undefined;
          } else {
            const state: RequestState = { openedUrl, method: undefined };
            mapSet(requests, xhr, state);
            listen(xhr, 'readystatechange', () => {
              try {
                onDone(xhr, state);
              } catch {
                // never disturb the page's handlers
              }
            });
          }
        } catch {
          // ignore
        }
        return result;
      },
    }),
  );

  const nativeSend = proto.send;
  const sendProxy = new Proxy(
    nativeSend,
    nullProtoHandler<typeof nativeSend>({
      apply(target, thisArg, args) {
        // Native first: same exceptions at the same time; only a request that went out is noted.
        const result = reflectApply(target, thisArg, args);
        try {
          const state = mapGet(requests, thisArg as XMLHttpRequest);
          if (state) {
            state.method = methodOfRequest(args[0]);
            state.requestHead = mtprotoRequestHead(args[0]);
            state.body = args[0];
            // The call log: a request that names an API method is a call, its response its answer.
            const callMethod = httpCallMethod(state.openedUrl, args[0]);
            state.callKey = callMethod !== undefined ? nextHttpCallKey() : undefined;
            if (state.callKey !== undefined) report.callNote('xhr', 'xhr', 'q', state.callKey, callMethod);
            // After an error, requests that name an API method are sighted for the handling audit.
            if (report.sightingsOpen()) sightHttpRequest(report, 'xhr', state.openedUrl, args[0]);
          }
        } catch {
          // ignore
        }
        return result;
      },
    }),
  );

  replaceValue(proto, 'open', openProxy);
  if (typeof nativeSend === 'function') replaceValue(proto, 'send', sendProxy);
}
