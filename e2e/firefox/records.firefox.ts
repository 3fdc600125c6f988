// The demo clients in Firefox give the same records as in Chromium: the same codes, classes,
// types, parameters, actions, channels, dialects, methods and DCs, in the same order, with
// the same badge and the same counts of what was seen but not listed. Chromium's records are
// produced here, from the same demo server, by the Chrome build (dist/).

import { test, expect, runDemoClient } from './fixtures.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import type { TabStats } from '../../src/shared/messages.ts';
import { ExtensionHarness, launchExtensionContext } from '../harness/extension-browser.ts';

/** The demo clients (e2e/demo/public/): every channel, Web K, Web A, mtcute's worker port. */
const CLIENTS = [
  { name: 'the demo web client (fetch, XHR, EventSource, WebSockets, MTProto)', path: '?auto=1', atLeast: 19 },
  { name: 'the Web K-style client (SharedWorker)', path: 'webk/index.html?auto=1', atLeast: 1 },
  { name: 'the Web A-style client (Worker, BroadcastChannel)', path: 'weba/index.html?auto=1', atLeast: 1 },
  { name: 'the mtcute worker client (TelegramWorkerPort)', path: 'mtcute/index.html?auto=1', atLeast: 1 },
];

/** What must be equal across browsers: everything but ids of time and of the connection. */
function normalize(r: ErrorRecord) {
  return {
    code: r.code,
    class: r.class,
    treatedAs500: r.treatedAs500,
    codeInferred: r.codeInferred,
    message: r.message,
    type: r.type,
    description: r.description,
    template: r.template,
    params: r.params,
    meaning: r.meaning,
    action: { ...r.action, retryAt: r.action.retryAt ? Date.parse(r.action.retryAt) - Date.parse(r.capturedAt) : undefined },
    channel: r.channel,
    direction: r.direction,
    url: r.url,
    dialect: r.dialect,
    method: r.method,
    clientCall: r.clientCall,
    note: r.note,
    dc: r.dc,
    chainId: r.chainId === null ? null : r.chainId - r.id,
    request: r.request ? r.request.params : undefined,
  };
}

function normalizeStats(s: TabStats) {
  return { dropped: s.dropped, droppedOldest: s.droppedOldest };
}

interface Seen {
  records: ReturnType<typeof normalize>[];
  stats: ReturnType<typeof normalizeStats>;
  badge: string;
}

const chromium = new Map<string, Seen>();

test.beforeAll(async ({ demo }) => {
  test.setTimeout(120_000);
  const context = await launchExtensionContext();
  try {
    const harness = await ExtensionHarness.attach(context);
    for (const client of CLIENTS) {
      const page = await context.newPage();
      await page.goto(`${demo.url}${client.path}`);
      await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 60_000 });
      const tabId = await harness.tabIdOf(page);
      const log = await harness.settledLog(tabId, client.atLeast);
      const badge = await harness.evaluateInWorker((id: number) => chrome.action.getBadgeText({ tabId: id }), tabId);
      chromium.set(client.path, { records: log.records.map(normalize), stats: normalizeStats(log.stats), badge });
      await page.close();
    }
  } finally {
    await context.close();
  }
});

for (const client of CLIENTS) {
  test(`${client.name}: the same records as in Chromium`, async ({ tab, demo, harness }) => {
    const want = chromium.get(client.path)!;
    expect(want.records.length).toBeGreaterThanOrEqual(client.atLeast);
    await runDemoClient(tab, `${demo.url}${client.path}`);
    const tabId = await harness.tabIdOf(tab);
    const log = await harness.settledLog(tabId, want.records.length);
    expect(log.records.map((r) => r.message)).toEqual(want.records.map((r) => r.message));
    expect(log.records.map(normalize)).toEqual(want.records);
    expect(normalizeStats(log.stats)).toEqual(want.stats);
    await expect.poll(() => harness.badge(tabId)).toBe(want.badge);
    expect(want.badge).toBe(String(want.records.length));
  });
}
