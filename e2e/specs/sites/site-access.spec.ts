// "Only where invited": on a site that is not enabled the extension adds nothing to the page
// (its globals and prototypes are those of a browser without the extension, and no extension
// script context exists in it); the panel says so and enables the site, after which the hook
// and the relay run from the next load on (scripting.registerContentScripts), until the user
// stops inspecting it.
//
// The site is example.test, mapped to 127.0.0.1 (--host-resolver-rules) so it is no default
// site. The browser's permission prompt cannot be answered in headless Chromium (no switch
// accepts it), so the harness grants the permission instead: the extension is loaded from a
// copy of dist/ whose manifest lists http://example.test/* in host_permissions. Granted at
// install, it adds no script by itself (the static content scripts name the defaults only),
// and permissions.request then resolves true without a prompt, exactly as after the user's "Allow".

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, DIST_DIR, ExtensionHarness, assertBuilt, launchExtensionContext } from '../../harness/extension-browser.ts';
import { startTestServer, type TestServer } from '../../harness/hook-test-server.ts';
import { openDevToolsPanel } from '../../harness/devtools-panel.ts';

const SITE = 'example.test';
const RULES = `--host-resolver-rules=MAP ${SITE} 127.0.0.1`;

let server: TestServer;
let distCopy: string;
let extension: BrowserContext;
let plain: BrowserContext;
let harness: ExtensionHarness;

test.beforeAll(async () => {
  assertBuilt();
  server = await startTestServer();
  distCopy = mkdtempSync(join(tmpdir(), 'tg-inspector-site-'));
  cpSync(DIST_DIR, distCopy, { recursive: true });
  const manifestPath = join(distCopy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host_permissions: string[] };
  manifest.host_permissions.push(`http://${SITE}/*`);
  writeFileSync(manifestPath, JSON.stringify(manifest));
  extension = await launchExtensionContext({ distDir: distCopy, extraArgs: [RULES] });
  harness = await ExtensionHarness.attach(extension);
  // The browser without the extension maps the host the same way.
  plain = await chromium.launchPersistentContext('', { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, RULES] });
});

test.afterAll(async () => {
  await extension?.close();
  await plain?.close();
  await server?.close();
  if (distCopy) rmSync(distCopy, { recursive: true, force: true });
});

const siteUrl = () => server.base.replace('127.0.0.1', SITE) + '/';

/** Runs in the page: everything a page could see of an extension's presence, as plain data. */
function fingerprint(): unknown {
  const show = (value: unknown): string => {
    if (typeof value === 'function') {
      try {
        return `fn ${Function.prototype.toString.call(value)} ${value.name}/${value.length}`;
      } catch (e) {
        return `fn (toString threw ${(e as Error).name})`;
      }
    }
    return typeof value;
  };
  const describe = (target: object | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    if (!target) return out;
    for (const key of Reflect.ownKeys(target)) {
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      const parts = [d.enumerable ? 'e' : '-', d.configurable ? 'c' : '-', 'value' in d ? (d.writable ? 'w' : '-') : 'acc'];
      const shown = 'value' in d ? show(d.value) : `get ${show(d.get)} set ${show(d.set)}`;
      out[String(key)] = `${parts.join('')} ${shown}`;
    }
    return out;
  };
  const w = window as unknown as Record<string, { prototype?: object } | undefined>;
  const names = [
    'fetch',
    'XMLHttpRequest',
    'XMLHttpRequestEventTarget',
    'WebSocket',
    'EventSource',
    'Worker',
    'SharedWorker',
    'MessagePort',
    'MessageChannel',
    'BroadcastChannel',
    'ServiceWorkerContainer',
    'ServiceWorker',
    'EventTarget',
    'Response',
    'Request',
    'Blob',
    'FileReader',
    'Document',
    'CustomEvent',
    'Event',
    'Promise',
    'JSON',
    'Function',
    'Object',
    'Array',
  ];
  const shapes: Record<string, unknown> = {};
  for (const name of names) shapes[name] = { own: describe(w[name] as object | undefined), prototype: describe(w[name]?.prototype) };
  return {
    globals: describe(window),
    shapes,
    documentKeys: Reflect.ownKeys(document).map(String),
    htmlAttributes: [...document.documentElement.attributes].map((a) => a.name),
    scripts: document.scripts.length,
  };
}

/** The script contexts of a page other than its own main world: an extension's content script shows up here. */
async function foreignContexts(context: BrowserContext, page: Page): Promise<string[]> {
  const cdp = await context.newCDPSession(page);
  const seen: string[] = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: { origin: string; name: string; auxData?: { type?: string } } }) => {
    // Playwright's own utility world is no extension's.
    if (event.context.auxData?.type !== 'default' && !event.context.name.startsWith('__playwright'))
      seen.push(`${event.context.auxData?.type} ${event.context.origin} ${event.context.name}`);
  });
  await cdp.send('Runtime.enable');
  await new Promise((r) => setTimeout(r, 200));
  await cdp.detach();
  return seen;
}

/** The listeners on the page's document, from any world (the relay listens there for the hook's events). */
async function documentListeners(context: BrowserContext, page: Page): Promise<string[]> {
  const cdp = await context.newCDPSession(page);
  try {
    const { result } = (await cdp.send('Runtime.evaluate', { expression: 'document' })) as { result: { objectId: string } };
    const { listeners } = (await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId })) as { listeners: { type: string }[] };
    return listeners.map((l) => l.type);
  } finally {
    await cdp.detach();
  }
}

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const fetchIsNative = (page: Page) => page.evaluate(() => Function.prototype.toString.call(window.fetch) === 'function fetch() { [native code] }');

test('a site that is not enabled gets nothing from the extension: same globals and prototypes as without it', async () => {
  const plainPage = await open(plain, siteUrl());
  const page = await open(extension, siteUrl());
  const [without, withExtension] = [await plainPage.evaluate(fingerprint), await page.evaluate(fingerprint)];
  expect(withExtension).toEqual(without);
  expect(await fetchIsNative(page)).toBe(true);
  expect(await foreignContexts(extension, page)).toEqual([]);
  expect(await documentListeners(extension, page)).toEqual([]);
  // No log, no badge: the background never heard of the page.
  expect((await harness.getLog(await harness.tabIdOf(page))).records).toEqual([]);

  // The comparison sees the extension where it runs: a default site (127.0.0.1) differs.
  const plainLocal = await open(plain, `${server.base}/`);
  const local = await open(extension, `${server.base}/`);
  expect(await local.evaluate(fingerprint)).not.toEqual(await plainLocal.evaluate(fingerprint));
  expect(await fetchIsNative(local)).toBe(false);
  expect((await foreignContexts(extension, local)).some((c) => c.includes(harness.extensionId))).toBe(true);
  for (const p of [plainPage, page, plainLocal, local]) await p.close();
});

test('the panel offers to inspect the site; then the hook runs from the reload on, until the user stops it', async () => {
  const page = await open(extension, siteUrl());
  const tabId = await harness.tabIdOf(page);
  const panel = await harness.openPanelPage(tabId);
  const banner = panel.locator('.site-banner');
  await expect(banner).toContainText(`not enabled on ${SITE}`);

  const reloaded = page.waitForEvent('load');
  await banner.getByRole('button', { name: `Inspect ${SITE} and reload` }).click();
  await reloaded;
  await expect(banner).toContainText(`runs on ${SITE}: you enabled it`);
  const registered = await harness.evaluateInWorker(async () =>
    (await chrome.scripting.getRegisteredContentScripts()).map((s) => ({
      id: s.id,
      matches: s.matches,
      world: s.world,
      runAt: s.runAt,
      allFrames: s.allFrames,
      persist: s.persistAcrossSessions,
    })),
  );
  expect(registered).toEqual([
    { id: 'tg-inspector-relay', matches: [`http://${SITE}/*`], world: 'ISOLATED', runAt: 'document_start', allFrames: true, persist: true },
    { id: 'tg-inspector-hook', matches: [`http://${SITE}/*`], world: 'MAIN', runAt: 'document_start', allFrames: true, persist: true },
  ]);

  expect(await documentListeners(extension, page)).not.toEqual([]);
  // The hook wraps the page's fetch (registered at document_start) and the relay hands its error to the log.
  expect(await fetchIsNative(page)).toBe(false);
  await page.evaluate(async () => void (await (await fetch('/bot-error')).text()));
  const log = await harness.settledLog(tabId, 1);
  expect(log.records.map((r) => [r.code, r.channel])).toEqual([[429, 'fetch']]);

  await banner.getByRole('button', { name: `Stop inspecting ${SITE}` }).click();
  await expect(banner).toContainText(`not enabled on ${SITE}`);
  expect(await harness.evaluateInWorker(async () => (await chrome.scripting.getRegisteredContentScripts()).length)).toBe(0);
  // From the next load on the page is as without the extension: no hook, no relay listening.
  await page.reload();
  expect(await fetchIsNative(page)).toBe(true);
  expect(await documentListeners(extension, page)).toEqual([]);
  const plainPage = await open(plain, siteUrl());
  expect(await page.evaluate(fingerprint)).toEqual(await plainPage.evaluate(fingerprint));
  // Chromium keeps an empty isolated world in a frame the extension once ran in (no script runs
  // in it: nothing listens); a new tab of the site has none at all.
  const fresh = await open(extension, siteUrl());
  expect(await foreignContexts(extension, fresh)).toEqual([]);
  await fresh.close();
  await plainPage.close();
  await panel.close();
  await page.close();
});

test('a default site shows no site banner: the inspector runs there out of the box', async () => {
  const page = await open(extension, `${server.base}/`);
  const panel = await harness.openPanelPage(await harness.tabIdOf(page));
  await expect(panel.locator('.toolbar, [role="toolbar"]').first()).toBeVisible();
  await panel.waitForTimeout(300);
  await expect(panel.locator('.site-banner')).toHaveCount(0);
  await panel.close();
  await page.close();
});

test('in the real DevTools panel: the inspected site is read from DevTools, and the panel may ask for its permission', async () => {
  const context = await launchExtensionContext({ distDir: distCopy, extraArgs: [RULES], devtools: true });
  try {
    const devHarness = await ExtensionHarness.attach(context);
    const page = await open(context, siteUrl());
    const panel = await openDevToolsPanel(devHarness, page);
    const deadline = Date.now() + 10_000;
    while (!(await panel.text()).includes(`not enabled on ${SITE}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await panel.text()).toContain(`not enabled on ${SITE}`);
    // The permission prompt needs the click of a user; the API itself is there in the panel.
    expect(await panel.evaluate<string>('typeof chrome.permissions?.request')).toBe('function');
    await panel.close();
  } finally {
    await context.close();
  }
});
