// Hostile pages (issue 14): pages that forge the hook's events, flood the content script with
// malformed ones, put markup, script, controls and very long strings in error texts and
// method names, pollute prototypes before and after the hook starts, redefine WebSocket, fetch
// and postMessage, use detached and cross-origin frames, and have a worker post 100 MB and
// cyclic messages. For each: the page behaves as in a browser without the extension, nothing
// crashes (the extension still captures afterwards), what is dropped is counted by reason,
// and the panel shows the texts as text (no markup of theirs in its DOM).

import type { BrowserContext, Page } from '@playwright/test';
import { test, expect } from '../../harness/fixtures.ts';
import { launchPlainContext, type ExtensionHarness } from '../../harness/extension-browser.ts';
import { HOOK_EVENT } from '../../../src/shared/messages.ts';
import { startHostileServer, type HostileServer } from '../../apps/hostile/server.ts';

let server: HostileServer;
let plain: BrowserContext;

test.beforeAll(async () => {
  server = await startHostileServer();
  plain = await launchPlainContext();
});
test.afterAll(async () => {
  await plain?.close();
  await server?.close();
});

type Scenario<T> = (args: { base: string; other: string; event: string }) => Promise<T>;

/** Runs a scenario in a page without and with the extension; returns both results and the extension page. */
async function both<T>(extPage: Page, scenario: Scenario<T>, before?: () => void, extra: Record<string, unknown> = {}): Promise<{ without: T; with: T }> {
  const args = { base: server.base, other: server.otherOrigin, event: HOOK_EVENT, ...extra };
  const plainPage = await plain.newPage();
  try {
    if (before) {
      await plainPage.addInitScript(before);
      await extPage.addInitScript(before);
    }
    await plainPage.goto(`${server.base}/`);
    await extPage.goto(`${server.base}/`);
    const without = await plainPage.evaluate(scenario, args);
    const withExt = await extPage.evaluate(scenario, args);
    return { without, with: withExt };
  } finally {
    await plainPage.close();
  }
}

/** The extension still works on this tab: a plain error fetched now is recorded. */
async function stillCaptures(harness: ExtensionHarness, page: Page, tabId: number): Promise<void> {
  const before = (await harness.getLog(tabId)).records.length;
  await page.evaluate(async (base) => void (await fetch(`${base}/err/9`)).text(), server.base);
  await expect.poll(async () => (await harness.getLog(tabId)).records.length, { timeout: 10_000 }).toBeGreaterThan(before);
}

/** The drop counts once the content script's one-second batch has gone out. */
async function dropsOf(harness: ExtensionHarness, tabId: number, want: number): Promise<Record<string, number>> {
  let dropped: Record<string, number> = {};
  await expect
    .poll(
      async () => {
        dropped = (await harness.getLog(tabId)).stats.dropped as Record<string, number>;
        return Object.values(dropped).reduce((a, b) => a + b, 0);
      },
      { timeout: 10_000 },
    )
    .toBeGreaterThanOrEqual(want);
  return dropped;
}

test('forged hook events stay in their own tab; a frame forging for its parent is its own tab too', async ({ page, harness, context }) => {
  const other = await context.newPage();
  await other.goto(`${server.base}/`);
  const otherTab = await harness.tabIdOf(other);
  const { without, with: withExt } = await both(page, async ({ base, event }) => {
    const capture = (message: string) =>
      JSON.stringify({
        v: 1,
        channel: 'fetch',
        direction: 'in',
        url: `${base}/forged`,
        at: Date.now(),
        kind: 'text',
        data: JSON.stringify({ '@type': 'error', code: 400, message }),
        conn: 'ws-other-tab',
        method: 'messages.forged',
      });
    document.dispatchEvent(new CustomEvent(event, { detail: capture('FORGED_IN_PAGE') }));
    const frame = document.createElement('iframe');
    frame.src = `${base}/frame`;
    await new Promise((r) => {
      frame.onload = r;
      document.body.append(frame);
    });
    // Into the frame's document (its content script), claiming to be the parent.
    frame.contentDocument!.dispatchEvent(new CustomEvent(event, { detail: capture('FORGED_FOR_FRAME') }));
    return { title: document.title, frames: window.frames.length };
  });
  expect(withExt).toEqual(without);
  const tabId = await harness.tabIdOf(page);
  const log = await harness.settledLog(tabId, 2);
  expect(log.records.map((r) => r.message).sort()).toEqual(['FORGED_FOR_FRAME', 'FORGED_IN_PAGE']);
  expect((await harness.getLog(otherTab)).records).toEqual([]);
  await other.close();
});

test('a flood of malformed events: the page is unaffected, each one counted by its reason, exactly', async ({ page, harness }) => {
  const N = 2000;
  const { without, with: withExt } = await both(page, async ({ base, event }) => {
    const fire = (detail: unknown) => document.dispatchEvent(new CustomEvent(event, { detail }));
    const valid = (i: number) => ({
      v: 1,
      channel: 'fetch',
      direction: 'in',
      url: `${base}/x`,
      at: Date.now(),
      kind: 'text',
      data: JSON.stringify({ '@type': 'error', code: 420, message: `FLOOD_WAIT_${i}` }),
    });
    let handled = 0;
    for (let i = 0; i < 2000; i++) {
      fire({ not: 'a string' }); // bad-schema
      fire('{not json'); // not-json
      fire(JSON.stringify({ ...valid(i), v: 2 })); // bad-schema
      fire(JSON.stringify({ ...valid(i), kind: 'binary', data: 'AAA*' })); // bad-base64
      handled += 4;
    }
    for (let i = 0; i < 3; i++) fire('x'.repeat(1_300_000)); // too-large
    // 1000 well-formed captures in one burst: the content script admits 500 a second.
    for (let i = 0; i < 1000; i++) fire(JSON.stringify(valid(i)));
    return { handled, body: document.body.innerHTML.length };
  });
  expect(withExt).toEqual(without);
  const tabId = await harness.tabIdOf(page);
  const dropped = await dropsOf(harness, tabId, 4 * N + 3 + 500);
  expect(dropped).toEqual({ 'bad-schema': 2 * N, 'not-json': N, 'bad-base64': N, 'too-large': 3, 'rate-limited': 500 });
  const log = await harness.settledLog(tabId, 500);
  expect(log.records).toHaveLength(500);
  await stillCaptures(harness, page, tabId);
});

test('error texts and method names with markup, script, controls and 300,000 characters: shown as text, bounded, the page unaffected', async ({
  page,
  harness,
}) => {
  const { without, with: withExt } = await both(page, async ({ base, event }) => {
    const out: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${base}/err/${i}`);
      out.push([r.status, (await r.text()).length]);
    }
    const ws = new WebSocket(base.replace('http', 'ws') + '/ws');
    const got: number[] = [];
    await new Promise<void>((resolve) => {
      ws.onopen = () => ws.send('errors');
      ws.onmessage = (e) => {
        got.push(String(e.data).length);
        if (got.length === 4) resolve();
      };
    });
    ws.close();
    out.push(got);
    // A method name with markup (a forged capture: methods come from the page's own requests).
    document.dispatchEvent(
      new CustomEvent(event, {
        detail: JSON.stringify({
          v: 1,
          channel: 'fetch',
          direction: 'in',
          url: `${base}/<b>x</b>`,
          at: Date.now(),
          kind: 'text',
          method: '<img src=x onerror="(window.top||window).__pwned=3">',
          data: JSON.stringify({ '@type': 'error', code: 400, message: 'METHOD_MARKUP' }),
        }),
      }),
    );
    return out;
  });
  expect(withExt).toEqual(without);
  const tabId = await harness.tabIdOf(page);
  const log = await harness.settledLog(tabId, 9);
  expect(log.records).toHaveLength(9);
  for (const r of log.records) expect(JSON.stringify(r).length).toBeLessThan(16 * 1024);
  expect(log.records.some((r) => r.message.startsWith('<img src=x'))).toBe(true);
  expect(log.records.some((r) => r.method?.startsWith('<img src=x'))).toBe(true);

  const panel = await harness.openPanelPage(tabId);
  try {
    const rows = panel.getByRole('row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(9);
    // Open each hostile record's detail too.
    for (let i = 0; i < Math.min(await rows.count(), 12); i++)
      await rows
        .nth(i)
        .click()
        .catch(() => undefined);
    await panel.waitForTimeout(300);
    const dom = await panel.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      foreignImages: [...document.querySelectorAll('img')].filter((img) => img.getAttribute('src') === 'x').length,
      inlineHandlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
      bold: document.querySelectorAll('b').length,
      text: document.body.innerText.includes('<img src=x'),
    }));
    expect(dom).toEqual({ pwned: null, foreignImages: 0, inlineHandlers: 0, scripts: 0, bold: 0, text: true });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
  } finally {
    await panel.close();
  }
});

// Runs in the page before its own scripts (and perhaps before the hook): pollutes what a hook
// might lean on. Everything still works for the page's own code.
function polluteEarly(): void {
  const w = window as unknown as Record<string, unknown>;
  w.__pollutedReads = 0;
  // Keys of the objects the hook builds and reads (not ones Playwright's own evaluate needs).
  for (const key of [
    'kind',
    'channel',
    'direction',
    'conn',
    'offset',
    'framing',
    'encrypted',
    'hookDropped',
    'clientHead',
    'requestHead',
    'method',
    'payloadLength',
    'status',
  ]) {
    Object.defineProperty(Object.prototype, key, {
      get() {
        (w.__pollutedReads as number)++;
        return undefined;
      },
      set(v) {
        Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
      configurable: true,
    });
  }
  const push = Array.prototype.push;
  Array.prototype.push = function (...items: unknown[]) {
    return push.apply(this, items);
  };
  const stringify = JSON.stringify;
  JSON.stringify = function (value: unknown, ...rest: unknown[]) {
    return stringify(value, ...(rest as []));
  } as typeof JSON.stringify;
  JSON.parse = ((parse) =>
    function (text: string) {
      return parse(text);
    })(JSON.parse) as typeof JSON.parse;
}

const trafficScenario = async ({ base, pollute }: { base: string; pollute?: boolean }) => {
  if (pollute) {
    // After the hook started: the same prototypes, and the event machinery it dispatches with.
    for (const key of ['data', 'type', 'error', 'message', 'detail', 'then', 'toJSON']) {
      Object.defineProperty(Object.prototype, key, {
        get() {
          return undefined;
        },
        set(v) {
          Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
        },
        configurable: true,
      });
    }
    Object.defineProperty(Array.prototype, 'toJSON', {
      value() {
        return 'POLLUTED';
      },
      configurable: true,
    });
    const parse = JSON.parse;
    JSON.parse = function (text: string) {
      return parse(text);
    } as typeof JSON.parse;
    Object.defineProperty(CustomEvent.prototype, 'detail', {
      get() {
        return 'polluted';
      },
      configurable: true,
    });
    EventTarget.prototype.dispatchEvent = function () {
      return true;
    };
    document.dispatchEvent = () => true;
  }
  const out: unknown[] = [];
  const r = await fetch(`${base}/err/9`);
  out.push(r.status, await r.text());
  const x = new XMLHttpRequest();
  x.open('GET', `${base}/err/8`);
  await new Promise((res) => {
    x.onload = res;
    x.send();
  });
  out.push(x.status, x.responseText);
  const ws = new WebSocket(base.replace('http', 'ws') + '/ws');
  out.push(
    await new Promise((resolve) => {
      ws.onopen = () => ws.send(JSON.stringify({ '@type': 'error', code: 420, message: 'FLOOD_WAIT_4' }));
      ws.onmessage = (e) => resolve(e.data);
    }),
  );
  ws.close();
  const channel = new MessageChannel();
  out.push(
    await new Promise((resolve) => {
      channel.port2.onmessage = (e) => resolve(e.data);
      channel.port1.postMessage({ '@type': 'error', code: 400, message: 'PORT_ERROR' });
    }),
  );
  out.push(Object.keys(JSON.parse('{"a":1}')), [1, 2].map(String), JSON.stringify({ a: [1] }));
  return out;
};

test('prototype pollution of Object.prototype, Array.prototype and JSON before the hook starts: the page unaffected, the extension unbroken', async ({
  page,
  harness,
}) => {
  const { without, with: withExt } = await both(page, trafficScenario, polluteEarly);
  expect(withExt).toEqual(without);
  await stillCaptures(harness, page, await harness.tabIdOf(page));
});

test('prototype pollution after the hook started: the page unaffected, errors still captured', async ({ page, harness }) => {
  const { without, with: withExt } = await both(page, trafficScenario, undefined, { pollute: true });
  expect(withExt).toEqual(without);
  const tabId = await harness.tabIdOf(page);
  // fetch, XHR, WebSocket in and out, MessagePort: the errors went through the hook's own natives.
  const log = await harness.settledLog(tabId, 4);
  expect(log.records.length).toBeGreaterThanOrEqual(4);
});

test('WebSocket, fetch and postMessage redefined after the hook started: the page gets what it would without the extension', async ({ page, harness }) => {
  const { without, with: withExt } = await both(page, async ({ base }) => {
    const origFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
      origFetch(input, init).then((r) => new Response(r.body, { status: r.status, headers: { 'x-page': '1' } }));
    const Orig = WebSocket;
    window.WebSocket = class extends Orig {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.binaryType = 'arraybuffer';
      }
    } as typeof WebSocket;
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, ...rest: unknown[]) {
      return post.call(this, { wrapped: message }, ...(rest as []));
    } as typeof post;
    window.postMessage = () => undefined;
    const out: unknown[] = [];
    const r = await fetch(`${base}/err/9`);
    out.push(r.status, r.headers.get('x-page'), await r.text());
    const ws = new WebSocket(base.replace('http', 'ws') + '/ws');
    out.push(
      ws.binaryType,
      ws instanceof Orig,
      await new Promise((resolve) => {
        ws.onopen = () => ws.send('{"error_code":400,"error_message":"WS_REDEFINED","_":"rpc_error"}');
        ws.onmessage = (e) => resolve(e.data);
      }),
    );
    ws.close();
    const channel = new MessageChannel();
    out.push(
      await new Promise((resolve) => {
        channel.port2.onmessage = (e) => resolve(e.data);
        channel.port1.postMessage({ '@type': 'error', code: 400, message: 'PORT_REDEFINED' });
      }),
    );
    out.push(window.postMessage('x', '*') ?? 'undefined');
    return out;
  });
  expect(withExt).toEqual(without);
  const tabId = await harness.tabIdOf(page);
  const log = await harness.settledLog(tabId, 2);
  expect(log.records.map((r) => r.message)).toEqual(expect.arrayContaining(['FLOOD_WAIT_5', 'WS_REDEFINED']));
});

test("detached and cross-origin frames: the page unaffected, the cross-origin frame's errors in the tab's log", async ({ page, harness }) => {
  const { without, with: withExt } = await both(page, async ({ base, other }) => {
    const load = (src: string) =>
      new Promise<HTMLIFrameElement>((resolve) => {
        const f = document.createElement('iframe');
        f.src = src;
        f.onload = () => resolve(f);
        document.body.append(f);
      });
    const out: unknown[] = [];
    const same = await load(`${base}/frame`);
    const w = same.contentWindow as typeof window;
    const { fetch: frameFetch, WebSocket: FrameWs, XMLHttpRequest: FrameXhr } = w;
    const port = new w.MessageChannel();
    same.remove();
    const settle = async (f: () => unknown) => {
      try {
        const v = await f();
        return ['ok', typeof v];
      } catch (e) {
        return ['threw', (e as Error).name];
      }
    };
    out.push(await settle(() => frameFetch(`${base}/err/9`)));
    out.push(await settle(() => new FrameWs(base.replace('http', 'ws') + '/ws').readyState));
    out.push(
      await settle(() => {
        const x = new FrameXhr();
        x.open('GET', `${base}/err/9`);
        x.send();
        return x.readyState;
      }),
    );
    out.push(await settle(() => port.port1.postMessage({ error_code: 400, error_message: 'DETACHED', _: 'rpc_error' })));
    // A cross-origin frame that fetches an error itself.
    const cross = await load(`${other}/frame`);
    cross.contentWindow!.postMessage('hello', '*');
    out.push(cross.contentWindow === window.frames[window.frames.length - 1]);
    return out;
  });
  expect(withExt).toEqual(without);
  const tabId = await harness.tabIdOf(page);
  // The cross-origin frame's own traffic: driven through its frame (Playwright reaches it).
  const frame = page.frames().find((f) => f.url().startsWith(server.otherOrigin));
  expect(frame).toBeDefined();
  await frame!.evaluate(async () => void (await fetch('/err/7')).text());
  const log = await harness.settledLog(tabId, 1);
  expect(log.records.some((r) => r.url?.startsWith(server.otherOrigin))).toBe(true);
  await stillCaptures(harness, page, tabId);
});

test('a worker posting 100 MB and 10 MB messages and cyclic objects: the page gets them as without the extension, quickly', async ({ page, harness }) => {
  test.setTimeout(240_000);
  const { without, with: withExt } = await both(page, async ({ base }) => {
    const run = (script: string) =>
      new Promise<unknown[]>((resolve) => {
        const w = new Worker(`${base}${script}`);
        const got: unknown[] = [];
        const t0 = performance.now();
        w.onmessage = (e) => {
          const d = e.data;
          if (d === 'done') {
            w.terminate();
            got.push(performance.now() - t0 < 20_000);
            resolve(got);
          } else if (d.payload) got.push(d.payload.length, d.payload[d.payload.length - 1], d.result.error_message);
          else if (d.text) got.push(d.text.length, d.error.message);
          else
            got.push(
              d.a.self === d.a,
              d.list[1] === d.list,
              d.a.message,
              (() => {
                let n = 0,
                  at = d.deep;
                while (at.next) {
                  at = at.next;
                  n++;
                }
                return [n, at.back === d.deep];
              })(),
            );
        };
        w.onerror = () => resolve([...got, 'worker error']);
        w.postMessage('go');
      });
    return [await run('/big-worker.js'), await run('/cyclic-worker.js')];
  });
  expect(without).toEqual([
    [100 * 1024 * 1024, 7, 'FLOOD_WAIT_9', 10 * 1024 * 1024, 'BIG_TEXT', true],
    [true, true, 'FLOOD_WAIT_3', [1000, true], true],
  ]);
  expect(withExt).toEqual(without);
  const tabId = await harness.tabIdOf(page);
  await stillCaptures(harness, page, tabId);
  const log = await harness.getLog(tabId);
  // Nothing crashed: the errors the hook could read are there, the rest counted (never thrown).
  expect(log.records.length + Object.values(log.stats.dropped).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThanOrEqual(2);
});
