// A live log larger than the snapshot's newest part (issue 20.4): the panel shows the newest
// records the background sends, reads the older ones from the log's IndexedDB itself, and has
// the whole log, in order, with no record twice; again after the service worker was stopped.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { test, expect } from '../../harness/fixtures.ts';

/** Errors sent: far more than the snapshot carries (the newest 200 or so, whole chunks). */
const COUNT = 3_000;
/** rpc_results in one WebSocket message (a msg_container), so the hook's per-frame cap is never reached. */
const PER_MESSAGE = 20;

const PAGE = `<!doctype html><meta charset="utf-8"><title>large live log</title><script>
window.received = 0;
const ws = new WebSocket('ws://' + location.host + '/errors');
ws.onmessage = () => { window.received++; };
</script>`;

const ERRORS = [
  [420, 'FLOOD_WAIT_17'],
  [400, 'PEER_ID_INVALID'],
  [500, 'INTERNAL_SERVER_ERROR'],
] as const;

/** A page whose WebSocket receives COUNT rpc_errors, 10 messages every 100 ms. */
async function errorServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(PAGE);
  });
  const wss = new WebSocketServer({ server, path: '/errors' });
  wss.on('connection', (socket) => {
    let seq = 0;
    const tick = setInterval(() => {
      for (let k = 0; k < 10 && seq < COUNT; k++) {
        const messages = Array.from({ length: PER_MESSAGE }, () => {
          const at = seq++;
          const [code, message] = ERRORS[at % ERRORS.length];
          return {
            _: 'message',
            msg_id: `${at}`,
            seqno: 0,
            body: { _: 'rpc_result', req_msg_id: `${at}`, result: { _: 'rpc_error', error_code: code, error_message: message } },
          };
        });
        socket.send(JSON.stringify({ _: 'msg_container', messages }));
      }
      if (seq >= COUNT) clearInterval(tick);
    }, 100);
    socket.on('close', () => clearInterval(tick));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    // The page's socket would keep the server open: closed first.
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('a live log of 3,000: the newest come with the snapshot, the older are read from IndexedDB, the whole log in order', async ({
  page,
  tabIdOf,
  harness,
  openPanelPage,
  stopServiceWorker,
}) => {
  // Filling 3,000 records and opening two panels takes its time on a loaded machine.
  test.setTimeout(120_000);
  const { url, close } = await errorServer();
  try {
    await page.goto(url);
    const tabId = await tabIdOf(page);
    const log = (await harness.settledLog(tabId, COUNT)).records;
    expect(log).toHaveLength(COUNT);

    const panel = await openPanelPage(tabId);
    await expect(panel.locator('.summary')).toHaveText('3,000 errors', { timeout: 15_000 });
    await expect(panel.getByRole('tab', { name: /Errors/ })).toContainText('3,000');
    // The newest row is followed; the oldest is there when scrolled to the top.
    await expect(panel.locator(`.viewport .row[data-id="${log.at(-1)!.id}"]`)).toBeInViewport();
    await panel.locator('.viewport').evaluate((el) => (el.scrollTop = 0));
    await expect(panel.locator(`.viewport .row[data-id="${log[0].id}"]`)).toBeInViewport();
    // Chip counts cover the older records too.
    const code400 = log.filter((r) => r.code === 400).length;
    await expect(panel.getByRole('button', { name: /^400 \d+/ })).toHaveText(`400 ${code400}`);

    // Rows on screen follow the ids in order, none twice, as the scroll moves through the log.
    const ids = await panel.evaluate(async () => {
      const viewport = document.querySelector<HTMLElement>('.viewport')!;
      const seen: number[] = [];
      for (let top = 0; top <= viewport.scrollHeight; top += viewport.clientHeight * 20) {
        viewport.scrollTop = top;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        for (const row of viewport.querySelectorAll<HTMLElement>('.row[data-id]')) seen.push(Number(row.dataset.id));
      }
      return seen;
    });
    const unique = [...new Set(ids)];
    expect(unique).toEqual([...unique].sort((a, b) => a - b));
    expect(unique.every((id) => log.some((r) => r.id === id))).toBe(true);

    // A stopped worker: the panel reconnects, gets a new snapshot and reads the older part again.
    await stopServiceWorker();
    await expect(panel.locator('.summary')).toHaveText('3,000 errors', { timeout: 15_000 });
    // A panel opened after the restart has the whole log as well.
    const again = await openPanelPage(tabId);
    await expect(again.locator('.summary')).toHaveText('3,000 errors', { timeout: 15_000 });
    await again.locator('.viewport').evaluate((el) => (el.scrollTop = 0));
    await expect(again.locator(`.viewport .row[data-id="${log[0].id}"]`)).toBeInViewport();
  } finally {
    await close();
  }
});
