// Session keys in Firefox, end to end on the encrypted wire: GramJS (the real library) against
// the project's fake Telegram (its DC hosts reached through ./connect-proxy.ts), the keys read
// from the page and pasted in the panel's dialog; every error the server sent is then in the log
// with its method and DC, the keys outlive a stopped event page (storage.session, memory only)
// and are never in storage.local, the log or the panel's text.

import { test, expect } from './fixtures.ts';
import { buildPage, presharedAuthKey, SCRIPT, startFakeTelegram } from '../fake-telegram/index.ts';
import { startConnectProxy } from './connect-proxy.ts';
import type { FirefoxTab } from './firefox-browser.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The key list of the open dialog (auth_key_id and DC per item). */
const listedKeys = (panel: FirefoxTab) =>
  panel.evaluate(() => [...document.querySelectorAll('[aria-label="Keys for this origin"] li')].map((li) => li.textContent ?? ''));

test('keys read from the page and pasted decrypt the wire; they outlive a stopped event page and stay in memory', async ({ firefox, harness, tab }) => {
  test.setTimeout(120_000);
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const proxy = await startConnectProxy(fake.port);
  const setPrefs = (prefs: Record<string, string | number>) =>
    firefox.evaluateChrome(
      `(${JSON.stringify(Object.entries(prefs))}.forEach(([name, value]) => typeof value === 'number' ? Services.prefs.setIntPref(name, value) : Services.prefs.setCharPref(name, value)), true)`,
    );
  await setPrefs(proxy.prefs);
  try {
    await tab.goto(`https://127.0.0.1:${fake.port}/?wait=1`);
    await tab.waitFor('the GramJS page', () => typeof (window as { __start?: unknown }).__start === 'function');
    const tabId = await harness.tabIdOf(tab);
    const panel = await harness.openPanelPage(tabId);
    try {
      await panel.clickButton(/^Session keys/);
      await panel.clickButton('Read keys from this page');
      await expect
        .poll(() => panel.evaluate(() => document.querySelector('[role="dialog"] [role="status"]')?.textContent ?? ''), { timeout: 10_000 })
        .toContain('1 new key');
      // DC 2's key, pasted as a user would (GramJS's StoreSession holds only the current DC's).
      await panel.evaluate(
        (text: string) => {
          const box = document.querySelector('textarea[aria-label="Auth key"]') as HTMLTextAreaElement;
          box.value = text;
          box.dispatchEvent(new Event('input', { bubbles: true }));
        },
        `"${hex(presharedAuthKey(2))}"`,
      );
      await panel.clickButton('Add key');
      await expect.poll(() => listedKeys(panel), { timeout: 10_000 }).toHaveLength(2);

      await tab.evaluate(() => (window as { __start?: () => void }).__start!());
      await tab.waitFor('GramJS to finish', () => (window as { __result?: { done: boolean } }).__result?.done === true, undefined, 60_000);
      const sent = fake.log().errors.filter((e) => e.kind === 'rpc_error');
      expect(sent.length).toBeGreaterThan(3);
      const { records } = await harness.settledLog(tabId, sent.length + 1);
      const seen = records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`);
      for (const error of sent) expect(seen).toContain(`${error.code} ${error.message} ${error.method} dc${error.dc}`);
      expect(records.filter((r) => r.class !== 'PROTOCOL')).toHaveLength(sent.length);

      // The event page stops: the keys are still there (storage.session), and still decrypt.
      await harness.stopBackground();
      const again = await harness.openPanelPage(tabId);
      try {
        await again.clickButton(/^Session keys/);
        await expect.poll(() => listedKeys(again), { timeout: 10_000 }).toHaveLength(2);
      } finally {
        await again.close();
      }

      // Never in storage.local, the log, or the panel's text.
      const local = JSON.stringify(
        await harness.evaluateInExtension(() => (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.get(null)),
      );
      const logText = JSON.stringify((await harness.getLog(tabId)).records);
      const panelText = await panel.evaluate(() => document.body.innerText);
      for (const key of [hex(presharedAuthKey(1)), hex(presharedAuthKey(2))]) {
        expect(local).not.toContain(key.slice(0, 64));
        expect(logText).not.toContain(key.slice(0, 64));
        expect(panelText).not.toContain(key.slice(0, 64));
      }
    } finally {
      await panel.close();
    }
  } finally {
    await setPrefs({ 'network.proxy.type': 5 }).catch(() => undefined);
    await proxy.close();
    await fake.close();
  }
});
