// The demo: the demo web client runs every flow in Chromium with the built extension;
// then the panel is screenshotted and the captured errors are printed as a table.
// Headed when a display exists (the browser stays open until Ctrl+C), else headless.
//
// npx tsx e2e/demo/run-demo.ts [--port N] [--firefox]   (after npm run build; --firefox: Firefox ESR, dist-firefox/)

import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import type { ErrorRecord } from '../../src/core/record.ts';
import { openDevToolsPanel } from '../harness/devtools-panel.ts';
import { ExtensionHarness, assertBuilt, launchExtensionContext } from '../harness/extension-browser.ts';
import { startDemoServer } from './server.ts';
import { runFirefoxDemo } from '../firefox/run-demo-firefox.ts';
import { runGramjsDemo, runGramjsWorkerDemo, startGramjsDemo } from './gramjs-demo.ts';
import { runHandlingDemo } from '../apps/handling/run-handling-demo.ts';
import { runWebkWireDemo } from './webk-wire/demo.ts';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const SCREENSHOT = `${ARTIFACTS}demo-panel.png`;

const step = (text: string) => console.log(`[demo] ${text}`);

function portArg(): number {
  const i = process.argv.indexOf('--port');
  return i < 0 ? 0 : Number(process.argv[i + 1]);
}

function formatAction(r: ErrorRecord): string {
  const a = r.action;
  if (a.kind === 'redirect' && a.dc !== undefined) return `redirect DC ${a.dc}`;
  if (a.kind === 'wait' && a.retryAt) return `wait until ${a.retryAt.slice(11, 19)}`;
  return a.kind;
}

/** The handling audit's verdict: "violation: tight-loop", "ok: resent", "pending", "not-observable: no-requests-visible". */
function formatHandling(r: ErrorRecord): string {
  const h = r.handling;
  if (!h) return '';
  return h.verdict === 'pending' ? 'pending' : `${h.verdict}: ${h.finding}`;
}

function printTable(records: ErrorRecord[]): void {
  const header = ['time', 'code', 'class', 'type', 'params', 'action', 'channel', 'method', 'dc', 'handling'];
  const rows = records.map((r) => [
    r.capturedAt.slice(11, 23),
    String(r.code),
    r.treatedAs500 ? `${r.class} (as 500)` : r.class,
    r.type ?? JSON.stringify(r.message),
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    formatAction(r),
    `${r.channel}/${r.dialect}`,
    r.method ?? '',
    r.dc === null ? '' : String(r.dc),
    formatHandling(r),
  ]);
  const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const cells = [header, ...rows].map((row) => row.map(clip));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}

async function main(): Promise<void> {
  if (process.argv.includes('--firefox')) {
    // The same demo clients in Firefox ESR with the Firefox build (e2e/firefox/run-demo-firefox.ts).
    const demo = await startDemoServer({ port: portArg() });
    step(`demo web client on ${demo.url}`);
    try {
      await runFirefoxDemo({ demo, headed: Boolean(process.env.DISPLAY), step, printTable });
    } finally {
      await demo.close();
    }
    return;
  }
  assertBuilt();
  const headed = Boolean(process.env.DISPLAY);
  const demo = await startDemoServer({ port: portArg() });
  step(`demo web client on ${demo.url}`);

  step(`launching Chromium ${headed ? 'headed' : 'headless'} with the extension from dist/ and DevTools open`);
  const gramjs = await startGramjsDemo();
  step(`fake Telegram for the GramJS client on 127.0.0.1:${gramjs.fake.port} (Telegram's web hosts mapped to it)`);
  const context = await launchExtensionContext({ headless: !headed, devtools: true, extraArgs: gramjs.chromiumArgs });
  const shutdown = async () => {
    await context.close().catch(() => undefined);
    await demo.close();
    await gramjs.close();
  };

  try {
    const harness = await ExtensionHarness.attach(context);
    step(`extension ${harness.extensionId} loaded`);

    const clients = [
      { label: 'the demo web client (fetch, XHR, EventSource, WebSockets, MTProto)', path: '?auto=1', shot: SCREENSHOT },
      { label: 'the Web K-style client (SharedWorker tasks)', path: 'webk/index.html?auto=1', shot: `${ARTIFACTS}demo-panel-webk.png` },
      { label: 'the Web A-style client (Worker payloads, BroadcastChannel)', path: 'weba/index.html?auto=1', shot: `${ARTIFACTS}demo-panel-weba.png` },
      { label: 'the mtcute worker client (TelegramWorkerPort)', path: 'mtcute/index.html?auto=1', shot: `${ARTIFACTS}demo-panel-mtcute.png` },
    ];
    let first: Page | null = null;
    for (const client of clients) {
      const page: Page = first === null ? (context.pages()[0] ?? (await context.newPage())) : await context.newPage();
      first ??= page;
      await page.goto(`${demo.url}${client.path}`);
      step(`running ${client.label}…`);
      await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 60_000 });
      const tabId = await harness.tabIdOf(page);
      step(`done in tab ${tabId}`);

      if (page === first) {
        try {
          const devtoolsPanel = await openDevToolsPanel(harness, page, { timeoutMs: 10_000 });
          step(`"Telegram Errors" is showing in the tab's DevTools (${devtoolsPanel.panelTabId})`);
          await devtoolsPanel.close();
        } catch (err) {
          step(`could not show the panel in the real DevTools: ${err instanceof Error ? err.message : err}`);
        }
      }

      try {
        const log = await harness.settledLog(tabId);
        const panel = await harness.openPanelPage(tabId);
        await panel.setViewportSize({ width: 1280, height: 800 });
        await panel.waitForLoadState('load');
        await panel.waitForTimeout(800);
        await mkdir(ARTIFACTS, { recursive: true });
        await panel.screenshot({ path: client.shot });
        if (!headed) await panel.close();
        step(`panel screenshot saved to ${client.shot}`);
        step(`${log.records.length} errors captured:`);
        printTable(log.records);
        const dropped = Object.entries(log.stats?.dropped ?? {}).filter(([, n]) => n);
        if (dropped.length) step(`dropped before classification: ${dropped.map(([k, n]) => `${k}=${n}`).join(', ')}`);
      } catch (err) {
        step(`no error log from the background (${err instanceof Error ? err.message : err})`);
      }
    }
    step('running GramJS (the real library) on the page, its MTProto encrypted, keys given in the panel…');
    try {
      const run = await runGramjsDemo(gramjs, context, harness, step);
      // The redirect GramJS followed on its own, in the detail pane: the chain and the DC map.
      await run.panel
        .getByRole('row', { name: /USER_MIGRATE_2/ })
        .first()
        .dblclick();
      await run.panel.waitForTimeout(500);
      const shot = `${ARTIFACTS}demo-panel-gramjs.png`;
      await run.panel.screenshot({ path: shot });
      step(`panel screenshot saved to ${shot}`);
      step(`${run.log.records.length} errors captured on the encrypted wire:`);
      printTable(run.log.records);
      if (!headed) await run.panel.close();
    } catch (err) {
      step(`the GramJS client did not complete (${err instanceof Error ? err.message : err})`);
    }
    step('running GramJS in a SharedWorker, its socket read through "Capture inside workers"…');
    try {
      const run = await runGramjsWorkerDemo(gramjs, context, harness, step);
      const shot = `${ARTIFACTS}demo-panel-gramjs-worker.png`;
      await run.panel.screenshot({ path: shot });
      step(`panel screenshot saved to ${shot}`);
      step(`${run.log.records.length} errors captured inside the worker:`);
      printTable(run.log.records);
      if (!headed) await run.panel.close();
    } catch (err) {
      step(`the GramJS worker client did not complete (${err instanceof Error ? err.message : err})`);
    }
    step('running the Web K-style client with a real MTProto socket in its SharedWorker, read through "Capture inside workers"…');
    await runWebkWireDemo(gramjs.fake, context, harness, { step, printTable, headed, shot: `${ARTIFACTS}demo-panel-webk-wire.png` }).catch((err) =>
      step(`the Web K-style wire client did not complete (${err instanceof Error ? err.message : err})`),
    );
    step('the handling audit: a misbehaving and a well-behaved GramJS app, each error with its verdict (about 30 s each)…');
    try {
      await runHandlingDemo();
    } catch (err) {
      step(`the handling demo did not complete (${err instanceof Error ? err.message : err})`);
    }
    if (headed && first) await first.bringToFront();

    if (headed) {
      step('the browser stays open: press Ctrl+C to quit');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
        context.once('close', () => resolve());
      });
    }
  } finally {
    await shutdown();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[demo] failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
