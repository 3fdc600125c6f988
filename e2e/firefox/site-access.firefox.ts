// "Only where invited", in Firefox: on a site that is not enabled the add-on adds nothing; the
// user enables it (permissions.request, then the background registers the hook in the MAIN
// world and the relay with scripting.registerContentScripts: Firefox 128+), and from the next
// load on its errors are captured; stopping removes the scripts again.
//
// example.test reaches the local test server through network.dns.forceResolve; the optional
// permission prompt is answered by extensions.webextOptionalPermissionPrompts=false (Firefox's
// own test switch), and the request carries a user activation (BiDi userActivation).

import { expect, test } from '@playwright/test';
import { ADDON_ORIGIN, FirefoxBrowser, FirefoxExtensionHarness, PANEL_PATH, poll, type FirefoxTab } from './firefox-browser.ts';
import { startTestServer, type TestServer } from '../harness/hook-test-server.ts';

const SITE = 'example.test';
let server: TestServer;
let firefox: FirefoxBrowser;
let harness: FirefoxExtensionHarness;

test.beforeAll(async () => {
  server = await startTestServer();
  firefox = await FirefoxBrowser.launch({
    headless: process.env.HEADED !== '1',
    prefs: { 'network.dns.forceResolve': '127.0.0.1', 'extensions.webextOptionalPermissionPrompts': false },
  });
  harness = new FirefoxExtensionHarness(firefox);
});

test.afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

const siteUrl = () => server.base.replace('127.0.0.1', SITE) + '/';
const fetchIsNative = (tab: FirefoxTab) =>
  tab.evaluate(() => /^function fetch\(\) \{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(window.fetch)));

/**
 * Asks for a site's permission as a user's click does: Firefox accepts permissions.request only
 * inside a real input handler, so a button in an add-on page is clicked with BiDi input actions.
 */
async function requestByClick(tab: FirefoxTab, pattern: string): Promise<boolean> {
  await tab.evaluate((origin: string) => {
    const b = document.createElement('button');
    b.id = 'grant';
    b.textContent = 'grant';
    b.style.cssText = 'position:fixed;left:0;top:0;width:200px;height:100px;z-index:2147483647';
    b.addEventListener('click', () => {
      const api = (globalThis as unknown as { browser: typeof chrome }).browser;
      void api.permissions.request({ origins: [origin] }).then(
        (granted: boolean) => ((window as unknown as { granted: unknown }).granted = granted),
        (e: Error) => ((window as unknown as { granted: unknown }).granted = e.message),
      );
    });
    document.body.append(b);
  }, pattern);
  await firefox.bidi.send('input.performActions', {
    context: tab.context,
    actions: [
      {
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', x: 50, y: 50 },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ],
      },
    ],
  });
  return poll('the permission answer', 10_000, () => tab.evaluate(() => (window as unknown as { granted?: unknown }).granted as boolean | undefined));
}

test('a site is inspected only once the user enables it, and no longer once stopped', async () => {
  const tab = await firefox.newTab(siteUrl());
  expect(await fetchIsNative(tab)).toBe(true);
  expect(
    await tab.evaluate(
      () =>
        Function.prototype.toString.call(WebSocket).includes('[native code]') &&
        Function.prototype.toString.call(XMLHttpRequest.prototype.open).includes('[native code]'),
    ),
  ).toBe(true);

  const ext = await harness.extensionPage();
  const pattern = `http://${SITE}/*`;
  expect(await requestByClick(ext, pattern)).toBe(true);
  const status = (await harness.sendRuntimeMessage({ type: 'site-add', pattern })) as { enabled: boolean };
  expect(status.enabled).toBe(true);
  const registered = await harness.evaluateInExtension(async () =>
    (
      (await (
        globalThis as unknown as { browser: typeof chrome }
      ).browser.scripting.getRegisteredContentScripts()) as chrome.scripting.RegisteredContentScript[]
    ).map((s) => ({ id: s.id, matches: s.matches, world: s.world ?? 'ISOLATED' })),
  );
  expect(registered).toEqual([
    { id: 'tg-inspector-relay', matches: [pattern], world: 'ISOLATED' },
    { id: 'tg-inspector-hook', matches: [pattern], world: 'MAIN' },
  ]);

  await tab.goto(siteUrl());
  expect(await fetchIsNative(tab)).toBe(false);
  const tabId = await harness.tabIdOf(tab);
  await tab.evaluate(async () => void (await (await fetch('/bot-error')).text()));
  const log = await harness.settledLog(tabId, 1);
  expect(log.records.map((r) => [r.code, r.channel])).toEqual([[429, 'fetch']]);

  // The panel on that tab: the site is the user's, and can be stopped there.
  const panel = await firefox.newTab();
  await panel.goto(`${ADDON_ORIGIN}/${PANEL_PATH}?tabId=${tabId}`);
  await poll('the site banner', 10_000, () => panel.evaluate(() => /you enabled it/.test(document.querySelector('.site-banner')?.textContent ?? '')));
  await harness.sendRuntimeMessage({ type: 'site-remove', pattern });
  expect(
    await harness.evaluateInExtension(
      async () => (await (globalThis as unknown as { browser: typeof chrome }).browser.scripting.getRegisteredContentScripts()).length,
    ),
  ).toBe(0);
  await tab.goto(siteUrl());
  expect(await fetchIsNative(tab)).toBe(true);
  await panel.close();
  await tab.close();
});
