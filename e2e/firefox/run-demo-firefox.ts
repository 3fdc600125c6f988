// `npm run demo -- --firefox`: the demo clients in Debian's Firefox ESR with the Firefox build
// (dist-firefox/), driven over WebDriver BiDi, then GramJS on the encrypted wire with the keys
// given in the panel. Headless without a display: a screenshot of the panel for each client
// (artifacts/demo-firefox-panel*.png) and the captured errors as tables;
// with one, Firefox stays open with the real DevTools panel showing until Ctrl+C.

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ErrorRecord } from '../../src/core/record.ts';
import type { DemoServer } from '../demo/server.ts';
import { buildPage, presharedAuthKey, SCRIPT, startFakeTelegram } from '../fake-telegram/index.ts';
import { startConnectProxy } from './connect-proxy.ts';
import { openFirefoxDevToolsPanel } from './devtools-panel.ts';
import { FirefoxBrowser, FirefoxExtensionHarness, assertFirefoxBuilt, poll, type FirefoxTab } from './firefox-browser.ts';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));

/**
 * GramJS against the fake Telegram (its DC hosts reached through a CONNECT proxy named by a PAC):
 * the keys read from the page and DC 2's pasted in the panel's dialog, then the app runs.
 */
async function runGramjs(
  firefox: FirefoxBrowser,
  harness: FirefoxExtensionHarness,
  step: (text: string) => void,
  printTable: (records: ErrorRecord[]) => void,
  headed: boolean,
): Promise<void> {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const proxy = await startConnectProxy(fake.port);
  await firefox.evaluateChrome(
    `(Services.prefs.setIntPref('network.proxy.type', 2), Services.prefs.setCharPref('network.proxy.autoconfig_url', ${JSON.stringify(proxy.prefs['network.proxy.autoconfig_url'])}), true)`,
  );
  try {
    const tab = await firefox.newTab(`https://127.0.0.1:${fake.port}/?wait=1`);
    await tab.waitFor('the GramJS page', () => typeof (window as { __start?: unknown }).__start === 'function');
    const tabId = await harness.tabIdOf(tab);
    const panel = await harness.openPanelPage(tabId);
    await panel.setViewport(1280, 800);
    await panel.clickButton(/^Session keys/);
    await panel.clickButton('Read keys from this page');
    await poll('the keys read from the page', 10_000, () =>
      panel.evaluate(() => /new key/.test(document.querySelector('[role="dialog"] [role="status"]')?.textContent ?? '')),
    );
    await panel.evaluate(
      (text: string) => {
        const box = document.querySelector('textarea[aria-label="Auth key"]') as HTMLTextAreaElement;
        box.value = text;
        box.dispatchEvent(new Event('input', { bubbles: true }));
      },
      `"${Buffer.from(presharedAuthKey(2)).toString('hex')}"`,
    );
    await panel.clickButton('Add key');
    const keys = await poll('both keys listed', 10_000, async () => {
      const n = await panel.evaluate(() => document.querySelectorAll('[aria-label="Keys for this origin"] li').length);
      return n >= 2 ? n : null;
    });
    await panel.clickButton('Close');
    step(`keys given in the panel: ${keys} (read from the page's GramJS StoreSession, and DC 2's pasted)`);
    await tab.evaluate(() => (window as { __start?: () => void }).__start!());
    await tab.waitFor('GramJS to finish', () => (window as { __result?: { done: boolean } }).__result?.done === true, undefined, 60_000);
    const sent = fake.log().errors.length;
    const log = await harness.settledLog(tabId, sent);
    step(`the fake Telegram sent ${sent} errors`);
    await new Promise((r) => setTimeout(r, 500));
    await panel.screenshot(`${ARTIFACTS}demo-firefox-panel-gramjs.png`);
    step('panel screenshot saved to artifacts/demo-firefox-panel-gramjs.png');
    step(`${log.records.length} errors captured on the encrypted wire:`);
    printTable(log.records);
    if (!headed) await panel.close();
    step('GramJS in a SharedWorker ("Capture inside workers") is Chromium-only: Firefox has no chrome.debugger');
  } finally {
    if (!headed) await firefox.evaluateChrome(`(Services.prefs.setIntPref('network.proxy.type', 5), true)`).catch(() => undefined);
    if (!headed) await proxy.close();
    if (!headed) await fake.close();
  }
}

export interface FirefoxDemoOptions {
  demo: DemoServer;
  headed: boolean;
  step: (text: string) => void;
  printTable: (records: ErrorRecord[]) => void;
}

export async function runFirefoxDemo({ demo, headed, step, printTable }: FirefoxDemoOptions): Promise<void> {
  assertFirefoxBuilt();
  step(`launching Firefox ESR ${headed ? 'headed' : 'headless'} with the add-on from dist-firefox/ (temporary install over WebDriver BiDi)`);
  const firefox = await FirefoxBrowser.launch({ headless: !headed });
  try {
    const harness = new FirefoxExtensionHarness(firefox);
    const clients = [
      { label: 'the demo web client (fetch, XHR, EventSource, WebSockets, MTProto)', path: '?auto=1', shot: 'demo-firefox-panel.png' },
      { label: 'the Web K-style client (SharedWorker tasks)', path: 'webk/index.html?auto=1', shot: 'demo-firefox-panel-webk.png' },
      { label: 'the Web A-style client (Worker payloads, BroadcastChannel)', path: 'weba/index.html?auto=1', shot: 'demo-firefox-panel-weba.png' },
      { label: 'the mtcute worker client (TelegramWorkerPort)', path: 'mtcute/index.html?auto=1', shot: 'demo-firefox-panel-mtcute.png' },
    ];
    let first: FirefoxTab | null = null;
    for (const client of clients) {
      const tab: FirefoxTab = first === null ? firefox.firstTab : await firefox.newTab();
      first ??= tab;
      step(`running ${client.label}…`);
      await tab.goto(`${demo.url}${client.path}`);
      await tab.waitFor('the demo to finish', () => (window as unknown as { demoDone?: boolean }).demoDone === true, undefined, 60_000);
      const tabId = await harness.tabIdOf(tab);
      const log = await harness.settledLog(tabId);
      step(`done in tab ${tabId}; badge "${await harness.badge(tabId)}"`);

      if (tab === first) {
        try {
          const panel = await openFirefoxDevToolsPanel(firefox, tab);
          const shown = await poll(
            'the panel to list the errors',
            10_000,
            async () => /\b\d+ errors?\b/.exec(await panel.inPanel((win) => win.document.body.innerText))?.[0],
          );
          step(`"${panel.label}" is showing in the tab's DevTools (${shown})`);
          if (!headed) await panel.close();
        } catch (err) {
          step(`could not show the panel in the real DevTools: ${err instanceof Error ? err.message : err}`);
        }
      }

      const panel = await harness.openPanelPage(tabId);
      await panel.setViewport(1280, 800);
      await new Promise((r) => setTimeout(r, 800));
      await mkdir(ARTIFACTS, { recursive: true });
      await panel.screenshot(`${ARTIFACTS}${client.shot}`);
      if (!headed) await panel.close();
      step(`panel screenshot saved to artifacts/${client.shot}`);
      step(`${log.records.length} errors captured:`);
      printTable(log.records);
      const dropped = Object.entries(log.stats?.dropped ?? {}).filter(([, n]) => n);
      if (dropped.length) step(`seen, not listed or dropped before classification: ${dropped.map(([k, n]) => `${k}=${n}`).join(', ')}`);
    }
    step('running GramJS (the real library) on the page, its MTProto encrypted, keys given in the panel…');
    try {
      await runGramjs(firefox, harness, step, printTable, headed);
    } catch (err) {
      step(`the GramJS client did not complete (${err instanceof Error ? err.message : err})`);
    }
    if (headed) {
      await first?.activate();
      step('Firefox stays open: press Ctrl+C to quit');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
  } finally {
    await firefox.close();
  }
}
