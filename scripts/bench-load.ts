// Load held, nothing lost (issue 14): a page floods API errors over fetch, WebSocket JSON,
// WebSocket MTProto and a worker for 60 s (LOAD_SECONDS) in Chromium with the built extension,
// the panel open beside it. Prints what was sent, kept and dropped (kept + dropped must equal
// sent exactly), the sustained records/s the pipeline holds, the page's own traffic and the
// panel's frame times during the flood. Needs `npm run build`.

import { ExtensionHarness, launchExtensionContext } from '../e2e/harness/extension-browser.ts';
import { frameTimes, runFlood, startFloodServer, tally } from '../e2e/apps/load/flood.ts';

const seconds = Number(process.env.LOAD_SECONDS ?? 60);
const server = await startFloodServer();
const context = await launchExtensionContext({ headless: true });
let failed: boolean;
try {
  const harness = await ExtensionHarness.attach(context);
  const page = await context.newPage();
  await page.goto(server.url);
  const tabId = await harness.tabIdOf(page);
  const panel = await harness.openPanelPage(tabId);
  await panel.bringToFront();
  const t0 = Date.now();
  const { result: flood, frames, p50, p95, max } = await frameTimes(panel, () => runFlood(page, seconds * 1000));
  const elapsed = (Date.now() - t0) / 1000;
  await page.waitForTimeout(3500);
  const log = await harness.settledLog(tabId);
  const t = tally(flood, log);
  const exact = t.kept + t.dropped === t.sent;
  failed = !exact || flood.own.bad > 0 || flood.own.outOfOrder > 0;
  const fmt = (n: number) => n.toLocaleString('en-US');
  console.log(`flood for ${elapsed.toFixed(1)} s on four channels, the panel open`);
  console.log(
    `  sent (errors the page received): ${fmt(t.sent)}  fetch ${fmt(flood.sent.fetch)}, WebSocket JSON ${fmt(flood.sent.wsJson)}, WebSocket MTProto ${fmt(flood.sent.wsMtproto)}, worker ${fmt(flood.sent.worker)}  (${fmt(Math.round(t.sent / elapsed))}/s)`,
  );
  console.log(`  kept: ${fmt(t.kept)}  (records in the log ${fmt(t.records)}, dropped from the ring as oldest ${fmt(t.droppedOldest)})`);
  console.log(`  dropped, counted by reason: ${fmt(t.dropped)}  ${JSON.stringify(t.droppedByReason)}`);
  console.log(`  kept + dropped = sent: ${fmt(t.kept + t.dropped)} = ${fmt(t.sent)}  ${exact ? 'exact' : 'MISMATCH'}`);
  console.log(`  sustained: ${(t.kept / elapsed).toFixed(0)} records/s kept (the hook admits 200 captures/s per frame and lane; the content script 500/s)`);
  console.log(
    `  the page's own traffic: ${fmt(flood.own.ok)} ordinary requests answered right, ${flood.own.bad} wrong, ${flood.own.outOfOrder} messages out of order`,
  );
  console.log(`  panel frames during the flood: ${frames}, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
} finally {
  await context.close();
  await server.close();
}
if (failed) process.exitCode = 1;
