// fetch: wrapped in a Proxy; the page gets the native promise's outcome unchanged.
// Before the page's own reactions run, a clone of a promising response is taken and
// read on the side, with a byte cap and a time limit, then dropped.

import { nullProtoHandler } from '../common/proxy-handler.ts';
import { bodyKindOf, contentLengthAllowsRead, MAX_BODY_BYTES, type BodyKind } from './body-kind.ts';
import { inspectBodyBytes } from './body-inspect.ts';
import { captureGetter, promiseThen, reflectApply, replaceValue, whenFulfilled, whenRejected } from '../common/natives.ts';
import { readCapped } from './read-capped.ts';
import { methodOfRequest } from '../common/request-method.ts';
import { mtprotoRequestHead } from './mtproto-request.ts';

/** Stands for a body the hook cannot read (a Request's, a form, a stream): no fingerprint. */
const UNREADABLE_BODY = Object.freeze({});

/**
 * The init's body when it is a string or bytes, and what to fingerprint it by (the text, none,
 * or UNREADABLE_BODY); reading a getter the page defined must not throw out.
 */
function bodyOf(init: { body?: unknown } | undefined, input: unknown): { body: unknown; input: unknown } {
  try {
    const body = init !== undefined ? init.body : undefined;
    if (typeof body === 'string') return { body, input: body };
    const none = body === undefined || body === null;
    return { body: mtprotoRequestHead(body), input: none ? (typeof input === 'string' ? undefined : UNREADABLE_BODY) : UNREADABLE_BODY };
  } catch {
    return { body: undefined, input: UNREADABLE_BODY };
  }
}
import type { CaptureSource, Reporter } from '../common/report.ts';
import { httpCallMethod, httpRequestFingerprint, nextHttpCallKey, sightHttpRequest, urlOfInput } from './request-sighting.ts';

export function watchFetch(report: Reporter): void {
  const nativeFetch = window.fetch;
  if (typeof nativeFetch !== 'function' || typeof Response !== 'function') return;
  const responseProto = Response.prototype;
  const responseType = captureGetter<ResponseType>(responseProto, 'type');
  const responseStatus = captureGetter<number>(responseProto, 'status');
  const responseUrl = captureGetter<string>(responseProto, 'url');
  const responseHeaders = captureGetter<Headers>(responseProto, 'headers');
  const responseBody = captureGetter<ReadableStream<Uint8Array> | null>(responseProto, 'body');
  const responseClone = responseProto.clone;
  const headersGet = Headers.prototype.get;
  if (!responseType || !responseStatus || !responseUrl || !responseHeaders || !responseBody) return;

  function header(headers: Headers, name: string): string | null {
    return reflectApply(headersGet, headers, [name]) as string | null;
  }

  /** `answered(reported)`: the response was inspected (or will not be); called once, after any report. */
  function observe(response: Response, requestBody: unknown, request: { url: unknown; input: unknown }, answered: (reported: boolean) => void): void {
    const type = responseType!(response);
    if (type === 'opaque' || type === 'opaqueredirect' || type === 'error') return answered(false);
    const headers = responseHeaders!(response);
    const kind: BodyKind = bodyKindOf(header(headers, 'content-type'));
    if (kind === 'skip' || !contentLengthAllowsRead(header(headers, 'content-length'))) return answered(false);
    // Cloning tees the body; our branch is read to its end (or cancelled), so the tee never buffers for long.
    const clone = reflectApply(responseClone, response, []) as Response;
    const body = responseBody!(clone);
    if (!body) return answered(false);
    const source: CaptureSource = {
      channel: 'fetch',
      direction: 'in',
      url: responseUrl!(response),
      status: responseStatus!(response),
    };
    if (typeof requestBody === 'string') {
      const method = methodOfRequest(requestBody);
      if (method !== undefined) source.method = method;
    } else if (requestBody !== undefined) {
      source.requestHead = requestBody as Uint8Array;
    }
    // The request this response answers, fingerprinted only if an error is reported.
    if (request.input !== UNREADABLE_BODY) source.fingerprintOf = () => httpRequestFingerprint(urlOfInput(request.url), request.input);
    whenFulfilled(readCapped(body, MAX_BODY_BYTES), (bytes) => answered(bytes ? inspectBodyBytes(report, source, kind, bytes) : false));
  }

  const fetchProxy = new Proxy(
    nativeFetch,
    nullProtoHandler<typeof nativeFetch>({
      apply(target, thisArg, args) {
        const pending = reflectApply(target, thisArg, args) as Promise<Response>;
        try {
          // The request text (a TL-JSON call names its method); held only until the response.
          const init = args[1] as { body?: unknown } | undefined;
          const { body: requestBody, input } = bodyOf(init !== null && typeof init === 'object' ? init : undefined, args[0]);
          const request = { url: args[0], input };
          // After an error, requests that name an API method are sighted for the handling audit.
          if (report.sightingsOpen() && input !== UNREADABLE_BODY) sightHttpRequest(report, 'fetch', urlOfInput(args[0]), input);
          // The call log: a request that names an API method is a call, its response its answer.
          const callMethod = httpCallMethod(urlOfInput(args[0]), input);
          const callKey = callMethod !== undefined ? nextHttpCallKey() : undefined;
          if (callKey !== undefined) report.callNote('fetch', 'fetch', 'q', callKey, callMethod);
          const answered = (reported: boolean): void => {
            if (callKey !== undefined) report.callNote('fetch', 'fetch', reported ? 'e' : 'k', callKey);
          };
          // A fetch that fails (network error, abort) has no answer coming: its call is unanswered now.
          // Observed on `pending`, which only we hold: the page's promise is not touched.
          if (callKey !== undefined) whenRejected(pending, () => report.callNote('fetch', 'fetch', 'u', callKey));
          // A derived promise rather than `pending` itself: attaching our handler to
          // `pending` would mark its rejection handled and silence the page's
          // "Uncaught (in promise)" for fetches it never awaited. The derived promise
          // settles with the very same Response or rejection reason.
          return promiseThen(pending, (response) => {
            try {
              observe(response, requestBody, request, answered);
            } catch {
              // the page gets its response regardless
            }
            return response;
          });
        } catch {
          return pending;
        }
      },
    }),
  );

  replaceValue(window, 'fetch', fetchProxy);
}
