// The notice for a key a connection made itself: a page's socket (intermediate transport, as tweb
// uses) sends an unencrypted key exchange, req_pq_multi then req_DH_params then
// set_client_DH_params (constructor ids of the MTProto schema; auth_key_id 0), then a message
// under an auth_key_id never seen before. The page hook forwards the plain frames whole and the
// new id once; the background sees the handshake and the new key on the same connection, and
// the panel names it a temporary key with what to do. The frames are constructed here: the fake
// Telegram makes no key exchange (e2e/fake-telegram/README.md), and the server's answers do not
// matter to what the client sent.

import { expect, test } from '@playwright/test';
import { ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { buildPage, fakeTelegramChromiumArgs, SCRIPT, startFakeTelegram } from '../../fake-telegram/index.ts';

const DOCS = new URL('../../../docs/', import.meta.url).pathname;

test('a connection that makes its own key: the notice says it made a temporary key, and what to do', async () => {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/?wait=1`);
    const tabId = await harness.tabIdOf(page);
    const panel = await harness.openPanelPage(tabId);
    const newKeyId = '0f1e2d3c4b5a6978';
    await page.evaluate(async (keyIdHex) => {
      const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
      const frame = (payload: number[]) => new Uint8Array([...le32(payload.length), ...payload]);
      const plain = (ctor: number, bodyBytes: number) => {
        const body = [...le32(ctor), ...Array.from({ length: bodyBytes }, (_, i) => (i * 29 + 7) & 255)];
        return frame([...new Array(8).fill(0), ...le32(0x1000), ...le32(0x65700000), ...le32(body.length), ...body]);
      };
      const keyId = keyIdHex.match(/../g)!.map((b) => parseInt(b, 16));
      const ws = new WebSocket('wss://venus.web.telegram.org/apiws', 'binary');
      ws.binaryType = 'arraybuffer';
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      ws.send(new Uint8Array([0xee, 0xee, 0xee, 0xee]));
      ws.send(plain(0xbe7e8ef1, 16)); // req_pq_multi nonce:int128
      ws.send(plain(0xd712e4be, 296)); // req_DH_params (nonces, p, q, fingerprint, encrypted_data)
      ws.send(plain(0xf5045f1f, 376)); // set_client_DH_params
      // Then traffic under the key the exchange made: auth_key_id, msg_key, encrypted data.
      ws.send(frame([...keyId, ...Array.from({ length: 16 + 64 }, (_, i) => (i * 53 + 1) & 255)]));
      await new Promise((r) => setTimeout(r, 300));
      ws.close();
    }, newKeyId);

    const notice = panel.getByRole('status').filter({ hasText: 'temporary key' });
    await expect(notice).toContainText(`This connection made a temporary key (${newKeyId})`);
    await expect(notice).toContainText('Capture inside workers');
    await expect(notice).not.toContainText('a key you have not given');
    await panel.setViewportSize({ width: 1100, height: 360 });
    await panel.screenshot({ path: `${DOCS}panel-temporary-key-notice.png` });
    await panel.emulateMedia({ colorScheme: 'dark' });
    await panel.screenshot({ path: `${DOCS}panel-temporary-key-notice-dark.png` });
  } finally {
    await context.close();
    await fake.close();
  }
});
