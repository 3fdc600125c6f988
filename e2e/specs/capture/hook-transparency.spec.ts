// The page-world hook must be invisible: the same scenario runs in a page without
// and a page with the built hook (injected with addInitScript, no extension loaded),
// and both must observe exactly the same results, errors and event order. The hooked
// page must also dispatch HOOK_EVENT captures for error-bearing traffic, and none for
// ordinary traffic.

import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { HookCapture } from '../../../src/shared/messages.ts';
import { launchHookOnlyBrowser } from '../../harness/hook-only-browser.ts';
import { BOT_API_ERROR, RPC_ERROR_BYTES, startTestServer, TDLIB_ERROR, type TestServer } from '../../harness/hook-test-server.ts';

interface Urls {
  base: string;
  wsBase: string;
}

let server: TestServer;
let browser: Browser;
let plainContext: BrowserContext;
let hookedContext: BrowserContext;

test.beforeAll(async () => {
  server = await startTestServer();
  ({ browser, plainContext, hookedContext } = await launchHookOnlyBrowser());
});

test.afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.base}/`);
  return page;
}

async function capturesOf(page: Page, settleMs = 400): Promise<HookCapture[]> {
  // Blob and body-clone reads are asynchronous: give them time to report.
  await page.waitForTimeout(settleMs);
  return page.evaluate(() => window.__hookCaptures);
}

/** Runs one scenario in a plain page and in a hooked page; returns both results and the hooked page's captures. */
async function runBoth<T>(scenario: (urls: Urls) => Promise<T>): Promise<{ plain: T; hooked: T; captures: HookCapture[] }> {
  const urls = { base: server.base, wsBase: server.wsBase };
  const plainPage = await openPage(plainContext);
  const hookedPage = await openPage(hookedContext);
  try {
    const plain = await plainPage.evaluate(scenario, urls);
    const hooked = await hookedPage.evaluate(scenario, urls);
    return { plain, hooked, captures: await capturesOf(hookedPage) };
  } finally {
    await plainPage.close();
    await hookedPage.close();
  }
}

async function runHooked<T, A extends object = object>(
  scenario: (args: Urls & A) => Promise<T>,
  extra?: A,
  settleMs?: number,
): Promise<{ result: T; captures: HookCapture[] }> {
  const page = await openPage(hookedContext);
  try {
    const args = { ...extra, base: server.base, wsBase: server.wsBase } as Urls & A;
    const result = await page.evaluate(scenario as (args: unknown) => Promise<T>, args as unknown);
    return { result, captures: await capturesOf(page, settleMs) };
  } finally {
    await page.close();
  }
}

/** Compares the two pages' results (HOOK_E2E_DUMP=1 prints them, to see what was compared). */
async function expectSame(plain: unknown, hooked: unknown): Promise<void> {
  if (process.env.HOOK_E2E_DUMP) console.log(JSON.stringify(plain, null, 1));
  expect(hooked).toEqual(plain);
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const hex = (bytes: Uint8Array | number[]): string => Buffer.from(bytes).toString('hex');

test('the hook is installed in the hooked page only', async () => {
  const { plain, hooked } = await runBoth(async () => Function.prototype.toString.call(window.fetch));
  expect(plain).toBe('function fetch() { [native code] }');
  // A Proxy of a native prints as native code; V8 leaves the name out of it.
  expect(hooked).toBe('function () { [native code] }');
});

test('fetch: same bodies, statuses, streaming, errors and shape', async () => {
  const { plain, hooked, captures } = await runBoth(async ({ base }) => {
    const describe = (error: unknown) => {
      const e = error as Error;
      return { name: e?.name, message: e?.message, isTypeError: e instanceof TypeError, isDomException: e instanceof DOMException };
    };
    const out: Record<string, unknown> = {};
    const text = await fetch(`${base}/text`);
    out.text = {
      status: text.status,
      ok: text.ok,
      type: text.type,
      contentType: text.headers.get('content-type'),
      isResponse: text instanceof Response,
      usedBefore: text.bodyUsed,
      body: await text.text(),
      usedAfter: text.bodyUsed,
    };
    out.json = await (await fetch(`${base}/json`)).json();
    out.chat = await (await fetch(`${base}/chat`)).json();
    out.untyped = await (await fetch(`${base}/untyped`)).text();
    const buffer = await (await fetch(`${base}/binary`)).arrayBuffer();
    out.arrayBuffer = { isArrayBuffer: buffer instanceof ArrayBuffer, bytes: Array.from(new Uint8Array(buffer)) };
    const blob = await (await fetch(`${base}/binary`)).blob();
    out.blob = { size: blob.size, type: blob.type };

    const streamed = await fetch(`${base}/stream`);
    const reader = streamed.body!.getReader();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    out.stream = { chunkCount: chunks.length, joined: chunks.join('') };

    const readTwice = await fetch(`${base}/text`);
    await readTwice.text();
    out.secondRead = await readTwice.text().then(() => 'no error', describe);
    const pageClone = await fetch(`${base}/json`);
    const copy = pageClone.clone();
    out.pageClone = [await pageClone.text(), await copy.text()];

    const pending = fetch(`${base}/text`);
    out.isPromise = pending instanceof Promise;
    out.sameResponseTwice = (await pending) === (await pending);

    out.networkFailure = await fetch('http://127.0.0.1:1/').then(() => 'resolved', describe);
    const controller = new AbortController();
    const aborted = fetch(`${base}/stream`, { signal: controller.signal });
    controller.abort();
    out.abort = await aborted.then(() => 'resolved', describe);
    const withReason = new AbortController();
    const reason = new Error('page reason');
    const abortedWithReason = fetch(`${base}/text`, { signal: withReason.signal });
    withReason.abort(reason);
    out.abortReasonIsSameObject = await abortedWithReason.then(
      () => false,
      (e) => e === reason,
    );
    out.badUrl = await fetch('http://[::1').then(() => 'resolved', describe);
    try {
      const result = (fetch as (this: unknown, url: string) => Promise<Response>).call({}, `${base}/text`);
      out.badThis = await result.then(
        () => 'resolved',
        (e) => ({ async: true, ...describe(e) }),
      );
    } catch (e) {
      out.badThis = { sync: true, ...describe(e) };
    }
    try {
      out.newFetch = new (fetch as unknown as new () => unknown)();
    } catch (e) {
      out.newFetch = describe(e);
    }

    // A fetch the page never awaits must still surface as an unhandled rejection.
    let unhandled = 0;
    const onUnhandled = (event: PromiseRejectionEvent) => {
      unhandled++;
      event.preventDefault();
    };
    window.addEventListener('unhandledrejection', onUnhandled);
    void fetch('http://127.0.0.1:1/');
    await new Promise((resolve) => setTimeout(resolve, 500));
    window.removeEventListener('unhandledrejection', onUnhandled);
    out.unhandledRejections = unhandled;

    const descriptor = Object.getOwnPropertyDescriptor(window, 'fetch')!;
    out.shape = {
      name: fetch.name,
      length: fetch.length,
      type: typeof fetch,
      nativeLooking: /^function \w*\(\) \{ \[native code\] \}$/.test(Function.prototype.toString.call(fetch)),
      writable: descriptor.writable,
      enumerable: descriptor.enumerable,
      configurable: descriptor.configurable,
      hasPrototype: 'prototype' in fetch,
      same: window.fetch === globalThis.fetch,
    };
    return out;
  });
  await expectSame(plain, hooked);
  expect(plain.unhandledRejections).toBe(1);
  expect(plain.stream).toEqual({ chunkCount: 3, joined: 'first,second,third' });
  expect(captures).toEqual([]);
});

test('Response and Blob reads (the hook shares Blob reads with the page): same results, errors and shape', async () => {
  const { plain, hooked, captures } = await runBoth(async () => {
    const describe = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;
    const out: Record<string, unknown> = {};
    const blob = new Blob([Uint8Array.from([1, 2, 3])], { type: 'application/x-test' });
    out.blobRead = Array.from(new Uint8Array(await blob.arrayBuffer()));
    const response = new Response(blob, { status: 201, headers: { 'x-a': 'b' } });
    out.response = [response.status, response.headers.get('x-a'), response.headers.get('content-type'), response.bodyUsed];
    out.responseRead = Array.from(new Uint8Array(await response.arrayBuffer()));
    out.secondRead = await response.arrayBuffer().then(
      () => 'read again',
      (e: unknown) => describe(e),
    );
    out.wrongThis = await (Response.prototype.arrayBuffer.call({}) as Promise<ArrayBuffer>).then(
      () => 'no error',
      (e: unknown) => describe(e),
    );
    out.blobWrongThis = await (Blob.prototype.arrayBuffer.call({}) as Promise<ArrayBuffer>).then(
      () => 'no error',
      (e: unknown) => describe(e),
    );
    try {
      (Response as unknown as () => void)();
      out.callWithoutNew = 'no error';
    } catch (e) {
      out.callWithoutNew = describe(e);
    }
    class Sub extends Response {
      extra = 1;
    }
    const sub = new Sub('text');
    out.subclass = [sub instanceof Sub, sub instanceof Response, sub.extra, await sub.text()];
    out.statics = [await Response.json({ a: 1 }).text(), Response.error().type, Response.redirect('http://127.0.0.1/x', 302).status];
    const fetched = await fetch(location.href);
    out.fetched = [fetched instanceof Response, fetched.constructor === Response];
    const descriptor = Object.getOwnPropertyDescriptor(window, 'Response')!;
    const read = Object.getOwnPropertyDescriptor(Response.prototype, 'arrayBuffer')!;
    const blobRead = Object.getOwnPropertyDescriptor(Blob.prototype, 'arrayBuffer')!;
    out.shape = {
      name: Response.name,
      length: Response.length,
      constructorIdentity: response.constructor === Response,
      prototypeConstructor: Response.prototype.constructor === Response,
      staticKeys: Object.getOwnPropertyNames(Response).sort(),
      prototypeKeys: Object.getOwnPropertyNames(Response.prototype).sort(),
      reads: [Response.prototype.arrayBuffer.name, Response.prototype.arrayBuffer.length, Blob.prototype.arrayBuffer.name, Blob.prototype.arrayBuffer.length],
      sameRead: response.arrayBuffer === Response.prototype.arrayBuffer && blob.arrayBuffer === Blob.prototype.arrayBuffer,
      nativeLooking: [Response, Response.prototype.arrayBuffer, Blob.prototype.arrayBuffer].map((f) =>
        /^function \w*\(\) \{ \[native code\] \}$/.test(Function.prototype.toString.call(f)),
      ),
      descriptors: [descriptor, read, blobRead].map((d) => [d.writable, d.enumerable, d.configurable]),
      toStringTag: Object.prototype.toString.call(response),
    };
    return out;
  });
  await expectSame(plain, hooked);
  expect(plain.responseRead).toEqual([1, 2, 3]);
  expect(captures).toEqual([]);
});

test('XMLHttpRequest: same responses and event order for every responseType', async () => {
  const { plain, hooked, captures } = await runBoth(async ({ base }) => {
    const summarize = async (xhr: XMLHttpRequest): Promise<unknown> => {
      const type = xhr.responseType;
      const textAccess = (() => {
        try {
          return xhr.responseText;
        } catch (e) {
          return `threw ${(e as Error).name}: ${(e as Error).message}`;
        }
      })();
      if (type === '' || type === 'text') return { textAccess, response: xhr.response };
      if (type === 'json') return { textAccess, json: JSON.stringify(xhr.response), stable: xhr.response === xhr.response };
      if (type === 'arraybuffer') {
        const buffer = xhr.response as ArrayBuffer | null;
        return { textAccess, isArrayBuffer: buffer instanceof ArrayBuffer, bytes: buffer && Array.from(new Uint8Array(buffer)) };
      }
      if (type === 'blob') {
        const blob = xhr.response as Blob;
        return { textAccess, size: blob.size, type: blob.type, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) };
      }
      const doc = xhr.response as Document | null;
      return { textAccess, html: doc?.documentElement.outerHTML ?? null };
    };
    const run = (url: string, responseType: XMLHttpRequestResponseType, options: { abort?: boolean } = {}) =>
      new Promise<unknown>((resolve) => {
        const xhr = new XMLHttpRequest();
        const events: string[] = [];
        const record = (event: Event) => {
          const entry = event.type === 'readystatechange' ? `readystatechange:${xhr.readyState}` : event.type;
          // Progress and the number of LOADING steps depend on network chunking, not on the hook.
          if (entry === 'progress' || (entry === 'readystatechange:3' && events[events.length - 1] === entry)) return;
          events.push(entry);
        };
        xhr.onreadystatechange = record;
        xhr.open('GET', url);
        for (const type of ['loadstart', 'load', 'loadend', 'error', 'abort', 'timeout', 'progress']) xhr.addEventListener(type, record);
        xhr.onload = () => events.push('onload');
        xhr.responseType = responseType;
        xhr.addEventListener('loadend', () => {
          void summarize(xhr).then((summary) => resolve({ events, status: xhr.status, statusText: xhr.statusText, responseURL: xhr.responseURL, summary }));
        });
        xhr.send();
        if (options.abort) xhr.abort();
      });
    const out: Record<string, unknown> = {};
    out.empty = await run(`${base}/json`, '');
    out.text = await run(`${base}/text`, 'text');
    out.json = await run(`${base}/json`, 'json');
    out.chatJson = await run(`${base}/chat`, 'json');
    out.badJson = await run(`${base}/text`, 'json');
    out.arraybuffer = await run(`${base}/binary`, 'arraybuffer');
    out.blob = await run(`${base}/binary`, 'blob');
    out.document = await run(`${base}/doc`, 'document');
    out.notFound = await run(`${base}/missing`, '');
    out.networkError = await run('http://127.0.0.1:1/', '');
    out.aborted = await run(`${base}/stream`, '', { abort: true });

    const sync = new XMLHttpRequest();
    const syncEvents: string[] = [];
    sync.onreadystatechange = () => syncEvents.push(`readystatechange:${sync.readyState}`);
    sync.onload = () => syncEvents.push('load');
    sync.open('GET', `${base}/json`, false);
    sync.send();
    out.sync = { events: syncEvents, text: sync.responseText };

    const errorOf = (action: () => void) => {
      try {
        action();
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    out.sendBeforeOpen = errorOf(() => new XMLHttpRequest().send());
    out.badMethod = errorOf(() => new XMLHttpRequest().open('BAD METHOD', `${base}/json`));
    out.badUrl = errorOf(() => new XMLHttpRequest().open('GET', 'http://[::1'));
    out.openWithoutArgs = errorOf(() => (XMLHttpRequest.prototype.open as unknown as (this: XMLHttpRequest) => void).call(new XMLHttpRequest()));
    out.openOnWrongThis = errorOf(() => (XMLHttpRequest.prototype.open as (method: string, url: string) => void).call({}, 'GET', '/'));
    const open = XMLHttpRequest.prototype.open;
    out.shape = {
      name: open.name,
      length: open.length,
      nativeLooking: /^function \w*\(\) \{ \[native code\] \}$/.test(Function.prototype.toString.call(open)),
      ownKeys: Object.getOwnPropertyNames(XMLHttpRequest.prototype).sort(),
      descriptor: (({ writable, enumerable, configurable }) => ({ writable, enumerable, configurable }))(
        Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, 'open')!,
      ),
      instanceOfXhr: new XMLHttpRequest() instanceof XMLHttpRequest,
    };
    return out;
  });
  await expectSame(plain, hooked);
  expect((plain.json as { events: string[] }).events).toEqual([
    'readystatechange:1',
    'loadstart',
    'readystatechange:2',
    'readystatechange:3',
    'readystatechange:4',
    'load',
    'onload',
    'loadend',
  ]);
  expect(captures).toEqual([]);
});

test('WebSocket: same messages, sends, event order, errors and shape', async () => {
  const { plain, hooked, captures } = await runBoth(async ({ wsBase }) => {
    const describe = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;
    const session = (Socket: typeof WebSocket, binaryType: BinaryType | null) =>
      new Promise<unknown>((resolve) => {
        const events: string[] = [];
        const blobs: Blob[] = [];
        const socket = new Socket(`${wsBase}/echo`);
        events.push(`created:${socket.readyState}:${socket.binaryType}:${socket.url}`);
        if (binaryType) socket.binaryType = binaryType;
        try {
          socket.send('too early');
        } catch (e) {
          events.push(`early send: ${describe(e)}`);
        }
        socket.onopen = () => {
          events.push(`open:${socket.readyState}:${socket.protocol}`);
          const buffer = Uint8Array.from([1, 2, 3, 250]).buffer;
          const backing = Uint8Array.from([9, 9, 4, 5, 6, 9]);
          socket.send('hello');
          socket.send(buffer);
          socket.send(backing.subarray(2, 5));
          socket.send(new DataView(backing.buffer, 1, 3));
          socket.send(new Blob([Uint8Array.from([7, 8])]));
          socket.send(new Blob(['blob text'], { type: 'text/plain' }));
          socket.send('close-me');
          events.push(`buffered:${typeof socket.bufferedAmount}`);
        };
        socket.addEventListener('message', (event) => {
          const data: unknown = event.data;
          if (typeof data === 'string') events.push(`text:${data}`);
          else if (data instanceof ArrayBuffer) events.push(`arraybuffer:${Array.from(new Uint8Array(data))}`);
          else if (data instanceof Blob) {
            events.push(`blob:${data.size}:${data.type}`);
            blobs.push(data);
          } else events.push('unknown data');
        });
        socket.onerror = () => events.push('error');
        socket.onclose = async (event) => {
          events.push(`close:${event.code}:${event.reason}:${event.wasClean}:${socket.readyState}`);
          socket.send('after close');
          events.push(`after close buffered:${socket.bufferedAmount > 0}`);
          const blobBytes: number[][] = [];
          for (const blob of blobs) blobBytes.push(Array.from(new Uint8Array(await blob.arrayBuffer())));
          resolve({ events, blobBytes });
        };
      });
    const out: Record<string, unknown> = {};
    out.blobType = await session(WebSocket, null);
    out.arraybuffer = await session(WebSocket, 'arraybuffer');
    out.explicitBlob = await session(WebSocket, 'blob');

    class TaggedSocket extends WebSocket {
      readonly tag = 'tagged';
      greet(): string {
        return `hi from ${this.tag}`;
      }
    }
    const tagged = new TaggedSocket(`${wsBase}/echo`);
    out.subclass = {
      instanceOfSubclass: tagged instanceof TaggedSocket,
      instanceOfWebSocket: tagged instanceof WebSocket,
      prototype: Object.getPrototypeOf(tagged) === TaggedSocket.prototype,
      greet: tagged.greet(),
      constructorName: tagged.constructor.name,
      staticOpen: TaggedSocket.OPEN,
    };
    tagged.close();
    out.subclassSession = await session(TaggedSocket, 'arraybuffer');

    const failed = new WebSocket('ws://127.0.0.1:1/');
    out.connectionFailure = await new Promise((resolve) => {
      const events: string[] = [];
      failed.onerror = (event) => events.push(`error:${event.constructor.name}`);
      failed.onclose = (event) => {
        events.push(`close:${event.code}:${event.wasClean}`);
        resolve(events);
      };
    });

    const constructErrors: Record<string, string> = {};
    const attempts: Record<string, () => unknown> = {
      notAUrl: () => new WebSocket('not a url'),
      badScheme: () => new WebSocket('ftp://example.com/'),
      badHost: () => new WebSocket('ws://[::1'),
      duplicateProtocols: () => new WebSocket(`${wsBase}/echo`, ['a', 'a']),
      badProtocol: () => new WebSocket(`${wsBase}/echo`, 'bad protocol'),
      noArguments: () => new (WebSocket as unknown as new () => WebSocket)(),
      withoutNew: () => (WebSocket as unknown as (url: string) => WebSocket)(`${wsBase}/echo`),
      sendWrongThis: () => WebSocket.prototype.send.call({} as WebSocket, 'x'),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      try {
        const created = attempt();
        constructErrors[name] = 'no error';
        if (created instanceof WebSocket) created.close();
      } catch (e) {
        constructErrors[name] = describe(e);
      }
    }
    out.errors = constructErrors;

    const probe = new WebSocket(`${wsBase}/echo`);
    const descriptor = Object.getOwnPropertyDescriptor(window, 'WebSocket')!;
    out.shape = {
      name: WebSocket.name,
      length: WebSocket.length,
      constants: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED, probe.OPEN],
      instanceOf: probe instanceof WebSocket,
      instanceOfEventTarget: probe instanceof EventTarget,
      prototype: Object.getPrototypeOf(probe) === WebSocket.prototype,
      constructorIdentity: probe.constructor === WebSocket,
      prototypeConstructor: WebSocket.prototype.constructor === WebSocket,
      staticKeys: Object.getOwnPropertyNames(WebSocket).sort(),
      prototypeKeys: Object.getOwnPropertyNames(WebSocket.prototype).sort(),
      sendName: WebSocket.prototype.send.name,
      sendLength: WebSocket.prototype.send.length,
      sendSame: probe.send === WebSocket.prototype.send,
      nativeLooking: [WebSocket, WebSocket.prototype.send].map((f) => /^function \w*\(\) \{ \[native code\] \}$/.test(Function.prototype.toString.call(f))),
      descriptor: { writable: descriptor.writable, enumerable: descriptor.enumerable, configurable: descriptor.configurable },
      toStringTag: Object.prototype.toString.call(probe),
    };
    probe.close();

    // The hook reads incoming messages through MessageEvent's `data` getter.
    const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!;
    let illegal = 'no error';
    try {
      data.get!.call({});
    } catch (e) {
      illegal = describe(e);
    }
    const own = new MessageEvent('message', { data: { n: 1 } });
    out.messageEventData = {
      attributes: [data.enumerable, data.configurable, data.set === undefined, 'value' in data],
      getter: [data.get!.name, data.get!.length, typeof data.get],
      illegal,
      value: [own.data === own.data, (own.data as { n: number }).n, new MessageEvent('x').data],
      keys: Object.getOwnPropertyNames(MessageEvent.prototype).sort(),
    };
    return out;
  });
  await expectSame(plain, hooked);
  expect((plain.arraybuffer as { events: string[] }).events).toContain('arraybuffer:4,5,6');
  expect(captures).toEqual([]);
});

test('WebSocket onmessage: the same handler back, `this`, order among listeners, thrown errors and accessor shape', async () => {
  const { plain, hooked, captures } = await runBoth(async ({ wsBase }) => {
    const describe = (e: unknown) => `${(e as Error).name}: ${(e as Error).message}`;
    const socket = new WebSocket(`${wsBase}/echo`);
    socket.binaryType = 'arraybuffer';
    const log: string[] = [];
    const out: Record<string, unknown> = { initial: socket.onmessage };
    const text = (event: MessageEvent) => (typeof event.data === 'string' ? event.data : `bytes:${(event.data as ArrayBuffer).byteLength}`);
    let waiting: { count: number; resolve: () => void } | null = null;
    const seen = (entry: string) => {
      log.push(entry);
      if (waiting && --waiting.count === 0) waiting.resolve();
    };
    const roundTrip = (data: string | ArrayBuffer, count: number) =>
      new Promise<void>((resolve) => {
        waiting = { count, resolve };
        socket.send(data);
      });
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    const first = function (this: unknown, event: MessageEvent) {
      seen(`first:${this === socket}:${text(event)}:${arguments.length}`);
      return 'ignored';
    };
    socket.onmessage = first;
    out.same = socket.onmessage === first;
    socket.addEventListener('message', (event) => seen(`listener:${text(event)}`));
    await roundTrip('a', 2);
    // A new handler keeps the old one's place, ahead of the listener added after it.
    const second = (event: MessageEvent) => seen(`second:${text(event)}`);
    socket.onmessage = second;
    out.replaced = socket.onmessage === second;
    await roundTrip(new Uint8Array([1, 2, 3]).buffer, 2);
    socket.onmessage = null;
    out.cleared = socket.onmessage;
    await roundTrip('b', 1);
    const notCallable = { handleEvent: () => seen('handleEvent') };
    (socket as unknown as { onmessage: unknown }).onmessage = notCallable;
    out.object = socket.onmessage === (notCallable as unknown);
    await roundTrip('c', 1);
    (socket as unknown as { onmessage: unknown }).onmessage = 5;
    out.number = socket.onmessage;
    // Set again after being cleared: now it comes after the listener.
    socket.onmessage = first;
    await roundTrip('d', 2);
    // What the handler throws reaches the page's error listeners as it was thrown.
    const boom = new Error('boom');
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => {
      errors.push(`${event.error === boom}:${event.message}:${event.lineno > 0}`);
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    socket.onmessage = () => {
      throw boom;
    };
    await roundTrip('e', 1);
    window.removeEventListener('error', onError);
    out.errors = errors;
    const descriptor = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!;
    const wrongThis: string[] = [];
    for (const call of [() => descriptor.get!.call({}), () => descriptor.set!.call({}, () => undefined), () => descriptor.set!.call({}, null)]) {
      try {
        call();
        wrongThis.push('no error');
      } catch (e) {
        wrongThis.push(describe(e));
      }
    }
    out.accessor = {
      names: [descriptor.get!.name, descriptor.set!.name],
      lengths: [descriptor.get!.length, descriptor.set!.length],
      attributes: [descriptor.enumerable, descriptor.configurable],
      nativeLooking: [descriptor.get!, descriptor.set!].map((f) => /\{ \[native code\] \}$/.test(Function.prototype.toString.call(f))),
      wrongThis,
      ownOnInstance: Object.prototype.hasOwnProperty.call(socket, 'onmessage'),
    };
    socket.close();
    out.log = log;
    return out;
  });
  await expectSame(plain, hooked);
  expect((plain as { log: string[] }).log).toEqual([
    'first:true:a:1',
    'listener:a',
    'second:bytes:3',
    'listener:bytes:3',
    'listener:b',
    'listener:c',
    'listener:d',
    'first:true:d:1',
    'listener:e',
  ]);
  expect(captures).toEqual([]);
});

test('WebSocket message listeners: duplicates, capture flags, once, signals, handleEvent objects, removal and `this` as native', async () => {
  const { plain, hooked, captures } = await runBoth(async ({ wsBase }) => {
    const socket = new WebSocket(`${wsBase}/echo`);
    const log: string[] = [];
    let waiting: { count: number; resolve: () => void } | null = null;
    const seen = (entry: string) => {
      log.push(entry);
      if (waiting && --waiting.count === 0) waiting.resolve();
    };
    // Waits for `count` entries after sending, then a little more so no extra entry is missed.
    const roundTrip = (text: string, count: number) =>
      new Promise<void>((resolve) => {
        waiting = { count, resolve: () => setTimeout(resolve, 50) };
        socket.send(text);
      });
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    const plainFn = function (this: unknown, event: MessageEvent) {
      seen(`plain:${this === socket}:${event.data}:${event.eventPhase}`);
    };
    const captureFn = (event: MessageEvent) => seen(`capture:${event.data}`);
    socket.addEventListener('message', plainFn);
    socket.addEventListener('message', plainFn); // a duplicate: ignored
    socket.addEventListener('message', plainFn, true); // another registration: capturing
    socket.addEventListener('message', captureFn, { capture: true });
    socket.addEventListener('message', (event) => seen(`once:${event.data}`), { once: true });
    const controller = new AbortController();
    socket.addEventListener('message', (event) => seen(`signal:${event.data}`), { signal: controller.signal });
    const handler = {
      handleEvent(this: unknown, event: MessageEvent) {
        seen(`object:${this === handler}:${event.data}`);
      },
    };
    socket.addEventListener('message', handler);
    // A type given as a String object names the same listeners: a duplicate, ignored.
    socket.addEventListener(new String('message') as unknown as 'message', plainFn);
    await roundTrip('a', 6);
    controller.abort();
    socket.removeEventListener('message', plainFn, { capture: true });
    socket.removeEventListener('message', captureFn); // not capturing: removes nothing
    socket.removeEventListener('message', () => undefined); // never added
    await roundTrip('b', 3);
    socket.removeEventListener('message', captureFn, true);
    socket.removeEventListener('message', handler);
    const boom = new Error('boom');
    const errors: string[] = [];
    const onError = (event: ErrorEvent) => {
      errors.push(`${event.error === boom}:${event.message}`);
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    const thrower = () => {
      throw boom;
    };
    socket.addEventListener('message', thrower);
    await roundTrip('c', 1);
    window.removeEventListener('error', onError);
    socket.removeEventListener('message', thrower);
    socket.removeEventListener('message', plainFn);
    socket.onmessage = (event) => seen(`onmessage:${event.data}`);
    await roundTrip('d', 1);
    const shape = [EventTarget.prototype.addEventListener, EventTarget.prototype.removeEventListener].map((f) => [
      f.name,
      f.length,
      /^function \w*\(\) \{ \[native code\] \}$/.test(Function.prototype.toString.call(f)),
      socket.addEventListener === f || socket.removeEventListener === f,
    ]);
    socket.close();
    return { log, errors, shape };
  });
  await expectSame(plain, hooked);
  // What the browser does (checked against the page without the hook above), spelled out.
  expect(plain.log).toEqual([
    'plain:true:a:2',
    'plain:true:a:2',
    'capture:a',
    'once:a',
    'signal:a',
    'object:true:a',
    'plain:true:b:2',
    'capture:b',
    'object:true:b',
    'plain:true:c:2',
    'onmessage:d',
  ]);
  expect(plain.errors).toEqual(['true:Uncaught Error: boom']);
  expect(captures).toEqual([]);
});

test("captures: each WebSocket message is read once, whether by our listener or inside the page's handler or listeners, as they come and go", async () => {
  const { result, captures } = await runHooked(async ({ wsBase }) => {
    const socket = new WebSocket(`${wsBase}/echo`);
    socket.binaryType = 'arraybuffer';
    // An rpc_error constructor and a sequence number: each message passes the byte prefilter.
    const message = (sequence: number) => Uint8Array.from([0x19, 0xca, 0x44, 0x21, sequence, 0, 0, 0]).buffer;
    let expected = -1;
    let arrived: () => void = () => undefined;
    // Handlers resolve only on the echo they wait for: a listener that runs after the next
    // send (its handler's continuation runs first) must not end that next round trip early.
    const onEcho = (event: MessageEvent) => {
      if (new Uint8Array(event.data as ArrayBuffer)[4] === expected) arrived();
    };
    let sequence = 0;
    const roundTrip = () =>
      new Promise<void>((resolve) => {
        expected = ++sequence;
        arrived = resolve;
        socket.send(message(sequence));
      });
    await new Promise((resolve) => socket.addEventListener('open', resolve));
    socket.onmessage = onEcho;
    await roundTrip(); // read inside the handler
    const listener = (event: MessageEvent) => onEcho(event);
    socket.addEventListener('message', listener);
    await roundTrip(); // the handler and a page listener
    socket.onmessage = (event) => onEcho(event);
    await roundTrip(); // a replaced handler
    socket.onmessage = null;
    await roundTrip(); // our listener again, beside the page's
    socket.onmessage = onEcho;
    socket.removeEventListener('message', listener);
    await roundTrip(); // the handler alone once more
    socket.onmessage = null;
    // With no page listener the page cannot see an echo arrive: it waits a while instead.
    const unheard = async () => {
      socket.send(message(++sequence));
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    // A listener added with `once` is removed by the browser after one message, and one with
    // a signal when the signal aborts: neither tells the hook, whose listener must read on.
    socket.addEventListener('message', onEcho, { once: true });
    await roundTrip(); // read inside the once listener
    await unheard();
    const controller = new AbortController();
    socket.addEventListener('message', onEcho, { signal: controller.signal });
    await roundTrip();
    controller.abort();
    await unheard();
    socket.addEventListener('message', onEcho);
    await roundTrip(); // the plain listener carries the reading
    socket.removeEventListener('message', onEcho);
    // `once`, then the same function added plainly: the browser ignores the second add as a
    // duplicate, so after one message nothing of the page's is left.
    socket.addEventListener('message', onEcho, { once: true });
    socket.addEventListener('message', onEcho);
    await roundTrip();
    await unheard();
    // A listener that dispatches a made-up message on the socket while a real one is being
    // delivered, and another after it: the real one is read once, the made-up one not at all.
    const forger = (event: MessageEvent) => {
      if (event.isTrusted) socket.dispatchEvent(new MessageEvent('message', { data: message(99) }));
    };
    socket.addEventListener('message', forger);
    socket.addEventListener('message', onEcho);
    await roundTrip();
    socket.removeEventListener('message', forger);
    socket.removeEventListener('message', onEcho);
    // No page listener at all: the message is read all the same.
    socket.send(message(++sequence));
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.close();
    return sequence;
  });
  expect(result).toBe(14);
  const incoming = captures.filter((c) => c.direction === 'in');
  expect(incoming.map((c) => c.offset)).toEqual([0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104]);
  expect(incoming.map((c) => Buffer.from(c.data, 'base64')[4])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
});

test('EventSource: same messages, named events and listener semantics', async () => {
  const { plain, hooked, captures } = await runBoth(async ({ base }) => {
    const session = () =>
      new Promise<unknown>((resolve) => {
        const events: string[] = [];
        const source = new EventSource(`${base}/sse`);
        events.push(`created:${source.readyState}:${source.url === `${base}/sse`}:${source.withCredentials}`);
        const onUpdate = (event: MessageEvent) => events.push(`update:${event.data}`);
        source.onopen = () => events.push(`open:${source.readyState}`);
        source.onmessage = (event) => {
          events.push(`onmessage:${event.data}`);
          if (event.data === 'done') {
            source.close();
            resolve({ events, readyState: source.readyState });
          }
        };
        source.addEventListener('message', (event) => events.push(`listener:${event.data}`));
        source.addEventListener('update', onUpdate);
        source.addEventListener('update', onUpdate); // a duplicate registration is ignored
        source.addEventListener('update', (event) => events.push(`update once:${event.data}`), { once: true });
        const removed = () => events.push('removed listener ran');
        source.addEventListener('custom', removed);
        source.removeEventListener('custom', removed);
        source.addEventListener('custom', { handleEvent: (event: Event) => events.push(`custom object:${(event as MessageEvent).data}`) });
      });
    const out: Record<string, unknown> = {};
    out.session = await session();

    // addEventListener on other targets keeps its semantics once an EventSource exists.
    const target = new EventTarget();
    const seen: string[] = [];
    target.addEventListener('ping', () => seen.push('once'), { once: true });
    const returned = target.addEventListener('ping', () => seen.push('always'));
    target.dispatchEvent(new Event('ping'));
    target.dispatchEvent(new Event('ping'));
    out.otherTargets = { seen, returned: returned === undefined };
    try {
      EventTarget.prototype.addEventListener.call({} as EventTarget, 'x', null);
      out.addEventListenerWrongThis = 'no error';
    } catch (e) {
      out.addEventListenerWrongThis = `${(e as Error).name}: ${(e as Error).message}`;
    }
    try {
      new EventSource('http://[::1');
      out.badUrl = 'no error';
    } catch (e) {
      out.badUrl = `${(e as Error).name}: ${(e as Error).message}`;
    }
    const probe = new EventSource(`${base}/sse`);
    out.shape = {
      name: EventSource.name,
      length: EventSource.length,
      constants: [EventSource.CONNECTING, EventSource.OPEN, EventSource.CLOSED],
      instanceOf: probe instanceof EventSource,
      prototype: Object.getPrototypeOf(probe) === EventSource.prototype,
      constructorIdentity: probe.constructor === EventSource,
      addEventListener: [EventTarget.prototype.addEventListener.name, EventTarget.prototype.addEventListener.length],
      sameMethod: probe.addEventListener === EventTarget.prototype.addEventListener,
      ownAddEventListener: Object.prototype.hasOwnProperty.call(EventSource.prototype, 'addEventListener'),
    };
    probe.close();
    return out;
  });
  await expectSame(plain, hooked);
  expect((plain.session as { events: string[] }).events).toContain(`update:${'{"@type":"error","code":400,"message":"PEER_ID_INVALID"}'}`);
  // The TDLib error arrives as a named event only: the hook must have listened for it.
  expect(captures.map((c) => [c.channel, c.direction, c.kind, c.data])).toEqual([['eventsource', 'in', 'text', TDLIB_ERROR]]);
  expect(captures[0].url).toBe(`${server.base}/sse`);
});

test('a page that defines trap names on Object.prototype cannot reach into the hook', async () => {
  const { plain, hooked } = await runBoth(async ({ wsBase }) => {
    // Proxy handlers look their traps up like any property: one that inherited from
    // Object.prototype would run these for calls the page makes on fetch, XHR, WebSocket...
    const calls: string[] = [];
    const traps = ['apply', 'construct', 'get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'deleteProperty'];
    const describe = (run: () => unknown): string => {
      try {
        const value = run();
        return typeof value;
      } catch (e) {
        return `${(e as Error).name}`;
      }
    };
    // `get` and `set` on Object.prototype would turn every descriptor into an accessor one; the
    // others are safe to plant for the length of this scenario.
    for (const trap of traps.filter((t) => t !== 'get')) {
      Object.defineProperty(Object.prototype, trap, { value: () => calls.push(trap), configurable: true, writable: true });
    }
    const out: Record<string, string> = {};
    try {
      out.newFetch = describe(() => new (fetch as unknown as new () => unknown)());
      out.wsWithoutNew = describe(() => (WebSocket as unknown as (url: string) => unknown)(`${wsBase}/echo`));
      out.esWithoutNew = describe(() => (EventSource as unknown as (url: string) => unknown)('/events'));
      out.workerWithoutNew = describe(() => (Worker as unknown as (url: string) => unknown)('x.js'));
      out.newXhrOpen = describe(() => new (XMLHttpRequest.prototype.open as unknown as new () => unknown)());
      out.newSend = describe(() => new (WebSocket.prototype.send as unknown as new () => unknown)());
      out.hasFetch = String('x' in (fetch as unknown as object));
      out.keys = Object.getOwnPropertyNames(fetch).sort().join(',');
    } finally {
      for (const trap of traps) delete (Object.prototype as Record<string, unknown>)[trap];
    }
    return { out, calls };
  });
  expect(hooked).toEqual(plain);
  expect((hooked as { calls: string[] }).calls).toEqual([]);
});

test('captures: fetch and XHR bodies with API errors are reported, ordinary ones are not', async () => {
  const { result, captures } = await runHooked(async ({ base }) => {
    const bodies: unknown[] = [];
    for (const path of ['/json', '/chat', '/untyped', '/binary', '/image-with-error-text', '/stream', '/bot-error', '/tdlib-error']) {
      bodies.push(await (await fetch(`${base}${path}`)).text());
    }
    const mtproto = await fetch(`${base}/apiw1`, { method: 'POST', body: new Uint8Array(8) });
    bodies.push(Array.from(new Uint8Array(await mtproto.arrayBuffer())));
    const xhr = (path: string, responseType: XMLHttpRequestResponseType, method = 'GET') =>
      new Promise<void>((resolve) => {
        const request = new XMLHttpRequest();
        request.open(method, `${base}${path}`);
        request.responseType = responseType;
        request.onloadend = () => resolve();
        request.send(method === 'POST' ? new Uint8Array(8) : null);
      });
    await xhr('/chat', '');
    await xhr('/chat', 'json');
    await xhr('/binary', 'arraybuffer');
    await xhr('/bot-error', '');
    await xhr('/tdlib-error', 'json');
    await xhr('/apiw1', 'arraybuffer', 'POST');
    await xhr('/apiw1', 'blob', 'POST');
    return bodies.length;
  });
  expect(result).toBe(9);
  const summary = captures.map((c) => ({ channel: c.channel, path: new URL(c.url).pathname, kind: c.kind, status: c.status }));
  expect(summary).toEqual([
    { channel: 'fetch', path: '/bot-error', kind: 'text', status: 429 },
    { channel: 'fetch', path: '/tdlib-error', kind: 'text', status: 200 },
    { channel: 'fetch', path: '/apiw1', kind: 'binary', status: 200 },
    { channel: 'xhr', path: '/bot-error', kind: 'text', status: 429 },
    { channel: 'xhr', path: '/tdlib-error', kind: 'text', status: 200 },
    { channel: 'xhr', path: '/apiw1', kind: 'binary', status: 200 },
    { channel: 'xhr', path: '/apiw1', kind: 'binary', status: 200 },
  ]);
  expect(captures.map((c) => c.data)).toEqual([
    BOT_API_ERROR,
    TDLIB_ERROR,
    base64(RPC_ERROR_BYTES),
    BOT_API_ERROR,
    TDLIB_ERROR,
    base64(RPC_ERROR_BYTES),
    base64(RPC_ERROR_BYTES),
  ]);
  for (const capture of captures) {
    expect(capture).toMatchObject({ v: 1, direction: 'in' });
    expect(typeof capture.at).toBe('number');
  }
});

const webSocketCaptureCases = [
  { binaryType: 'arraybuffer', rereads: false, pageReads: false, title: 'arraybuffer' },
  // Blobs the page leaves unread are read by the hook after it waited a second for the page's read.
  { binaryType: 'blob', rereads: false, pageReads: false, title: 'blob, not read by the page' },
  // Blobs the page reads as GramJS does: the hook takes the bytes from the page's read.
  { binaryType: 'blob', rereads: false, pageReads: true, title: 'blob, read by the page with new Response(blob).arrayBuffer()' },
  // However often, and however late, the page reads a message, its bytes enter the stream once.
  { binaryType: 'arraybuffer', rereads: true, pageReads: false, title: 'data read twice, by two listeners, and again at the end' },
] as const;

for (const { binaryType, rereads, pageReads, title } of webSocketCaptureCases) {
  test(`captures: WebSocket (${title}) reports rpc_error and transport errors with conn, offsets and client head`, async () => {
    const outgoingError = [0x19, 0xca, 0x44, 0x21, 0, 0, 0, 0];
    const { result, captures } = await runHooked(
      async ({ wsBase, binaryType, rereads, pageReads }) => {
        const socket = new WebSocket(`${wsBase}/mtproto`);
        socket.binaryType = binaryType;
        const received: string[] = [];
        const events: MessageEvent[] = [];
        await new Promise((resolve) => (socket.onopen = resolve));
        if (rereads) {
          socket.addEventListener('message', (event) => {
            if (event.data !== null) events.push(event);
          });
        }
        const ended = new Promise<void>((resolve) => {
          socket.onmessage = (event) => {
            const data: unknown = event.data;
            if (pageReads && data instanceof Blob) void new Response(data).arrayBuffer();
            if (typeof data !== 'string') received.push('binary');
            else received.push(data.includes('@type') ? 'tdlib error' : data.includes('messages') ? 'ordinary chat' : data);
            if (event.data === 'end') resolve();
          };
        });
        // Not an MTProto transport tag: the hook keeps to the per-message byte prefilter.
        socket.send(Uint8Array.from([0x01]));
        socket.send(Uint8Array.from([0x02, 1, 2, 3, 4, 5, 6, 7, 8]).buffer);
        socket.send(new Blob([Uint8Array.from([0x19, 0xca, 0x44, 0x21, 0, 0, 0, 0])]));
        await ended;
        socket.send('close-me');
        await new Promise((resolve) => (socket.onclose = resolve));
        // Read again long after they arrived: the same data, and no second pass into the stream.
        const late = events.map((event) => (event.data instanceof ArrayBuffer ? `bytes:${event.data.byteLength}` : typeof event.data));
        return { received, late };
      },
      { binaryType, rereads, pageReads },
      binaryType === 'blob' && !pageReads ? 1600 : undefined,
    );
    expect(result.received).toEqual(['binary', 'binary', 'binary', 'binary', 'ordinary chat', 'tdlib error', 'end']);
    expect(result.late).toHaveLength(rereads ? 7 : 0);
    const clientHead = hex([0x01, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, ...outgoingError]);
    const conn = captures[0]?.conn;
    expect(conn).toMatch(/^ws-[0-9a-z]+-\d+$/);
    // Blob messages are read asynchronously, so captures are compared in stream order.
    const streamOrder = (c: HookCapture) => (c.direction === 'out' ? 0 : 1e9) + (c.offset ?? 1e8);
    const ordered = [...captures].sort((a, b) => streamOrder(a) - streamOrder(b));
    expect(ordered.map(({ at: _at, ...rest }) => rest)).toEqual([
      {
        v: 1,
        channel: 'websocket',
        direction: 'out',
        url: `${server.wsBase}/mtproto`,
        kind: 'binary',
        data: base64(Uint8Array.from(outgoingError)),
        conn,
        offset: 10,
        clientHead,
      },
      {
        v: 1,
        channel: 'websocket',
        direction: 'in',
        url: `${server.wsBase}/mtproto`,
        kind: 'binary',
        data: base64(RPC_ERROR_BYTES),
        conn,
        offset: 24,
        clientHead,
      },
      {
        v: 1,
        channel: 'websocket',
        direction: 'in',
        url: `${server.wsBase}/mtproto`,
        kind: 'binary',
        data: base64(Uint8Array.from([0x01, 0x6c, 0xfe, 0xff, 0xff])),
        conn,
        offset: 24 + RPC_ERROR_BYTES.length,
        clientHead,
      },
      { v: 1, channel: 'websocket', direction: 'in', url: `${server.wsBase}/mtproto`, kind: 'text', data: TDLIB_ERROR, conn, clientHead },
    ]);
  });
}

test('captures: the hook caps captures per second and reports the dropped count in the next one', async () => {
  const { result, captures } = await runHooked(async ({ wsBase }) => {
    const socket = new WebSocket(`${wsBase}/error-flood`);
    let received = 0;
    await new Promise<void>((resolve) => {
      // The page never reads the messages: the hook inspects them all the same.
      socket.onmessage = () => {
        if (++received === 301) resolve();
      };
    });
    socket.close();
    return received;
  });
  expect(result).toBe(301);
  expect(captures).toHaveLength(201);
  expect(captures.slice(0, 200).every((c) => c.hookDropped === undefined)).toBe(true);
  expect(captures[200].hookDropped).toBe(100);
});
