// Calls that end without an answer are `unanswered` at once, not after the 60 s timeout (issue
// 21: "the connection closed, or no answer within 60 s"): JSON calls still waiting on a WebSocket
// the page closes, a fetch that fails on the network, a fetch and an XHR the page aborts, a
// worker call whose worker the page terminates. A call answered on the same socket stays `ok`.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { ExportedCall } from '../../../src/core/calls/call.ts';
import { expect, test } from '../../harness/fixtures.ts';

test.describe.configure({ timeout: 60_000 });

async function exportedCalls(panel: Page): Promise<ExportedCall[]> {
  const [file] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export all' }).click()]);
  return (JSON.parse(await readFile((await file.path())!, 'utf8')) as { calls: ExportedCall[] }).calls;
}

test('calls left without an answer by a closed socket, a failed or aborted request are unanswered at once', async ({ page, demo, tabIdOf, openPanelPage }) => {
  // A page of the demo server (a routed page would be a public one, refused the loopback): the
  // sightings client without ?auto=1 makes no calls of its own.
  await page.goto(`${demo.url}sightings/index.html`);
  const panel = await openPanelPage(await tabIdOf(page));

  const started = Date.now();
  await page.evaluate(
    async ({ wsUrl, httpUrl }) => {
      const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // The demo's TL-JSON socket answers messages.sendMessage only: the other two wait.
      const ws = new WebSocket(`${wsUrl}/ws/json`);
      await new Promise((r) => ws.addEventListener('open', r, { once: true }));
      const answered = new Promise((r) => ws.addEventListener('message', (e) => String(e.data).includes('"req_msg_id":"103"') && r(null)));
      ws.send(JSON.stringify({ _: 'messages.getDialogs', msg_id: '101', limit: 20 }));
      ws.send(JSON.stringify({ _: 'updates.getState', msg_id: '102' }));
      ws.send(JSON.stringify({ _: 'messages.sendMessage', msg_id: '103', message: 'hi', random_id: '1' }));
      await answered;
      const closed = new Promise((r) => ws.addEventListener('close', r, { once: true }));
      ws.close();
      await closed;
      // Port 9 is one browsers refuse: the fetch fails without a network round trip.
      await fetch('http://127.0.0.1:9/dc2/api', { method: 'POST', body: JSON.stringify({ _: 'help.getConfig', msg_id: '201' }) }).catch(() => null);
      const abort = new AbortController();
      const aborted = fetch(`${httpUrl}dc2/api`, { method: 'POST', body: JSON.stringify({ _: 'help.getNearestDc', msg_id: '202' }), signal: abort.signal });
      abort.abort();
      await aborted.catch(() => null);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${httpUrl}dc2/api`);
      xhr.send(JSON.stringify({ _: 'langpack.getLangPack', msg_id: '203' }));
      xhr.abort();
      // A Web K-style worker call (tweb's task shape) the worker never answers, then the page terminates it.
      const worker = new Worker(URL.createObjectURL(new Blob(['onmessage = () => {};'], { type: 'text/javascript' })));
      worker.postMessage({
        type: 'invoke',
        id: 1,
        payload: { type: 'manager', payload: { name: 'apiManager', method: 'invokeApi', args: ['messages.getDialogs', { limit: 20 }, {}], accountNumber: 0 } },
      });
      await wait(50);
      worker.terminate();
      // One answered over XHR, for contrast.
      const ok = new XMLHttpRequest();
      ok.open('POST', `${httpUrl}dc2/api`);
      await new Promise((r) => {
        ok.onloadend = r;
        ok.send(JSON.stringify({ _: 'users.getUsers', msg_id: '204', id: [] }));
      });
      await wait(50);
    },
    { wsUrl: demo.wsUrl, httpUrl: demo.url },
  );

  const expected = [
    'websocket messages.getDialogs unanswered',
    'websocket updates.getState unanswered',
    'websocket messages.sendMessage ok',
    'fetch help.getConfig unanswered',
    'fetch help.getNearestDc unanswered',
    'xhr langpack.getLangPack unanswered',
    'worker messages.getDialogs unanswered',
    'xhr users.getUsers ok',
  ];
  // Notes travel in batches (a second at most); nothing here may wait for the 60 s timeout.
  let described: string[] = [];
  await expect
    .poll(
      async () => {
        described = (await exportedCalls(panel)).map((c) => `${c.channel} ${c.method} ${c.outcome}`);
        return described;
      },
      { timeout: 15_000, intervals: [500] },
    )
    .toEqual(expected);
  expect(Date.now() - started, 'settled well before the 60 s timeout').toBeLessThan(30_000);

  // The Calls view shows them, and the outcome filter picks them.
  await panel.getByRole('tab', { name: /^Calls/ }).click();
  const grid = panel.getByRole('grid', { name: 'API calls' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(expected.length));
  await panel.getByRole('combobox', { name: 'Filter calls by outcome' }).selectOption('unanswered');
  await expect(grid).toHaveAttribute('aria-rowcount', '6');
  await expect(grid.locator('.viewport .row.outcome-unanswered')).toHaveCount(6);
});
