// "Read keys from this page" in Firefox for a client the inspector does not know: the GramJS
// page with ?store=own keeps each DC's key as localStorage['<dc>authKey'], a JSON array of 256
// numbers. After its encrypted traffic showed the keys' ids, the generic scan keeps the two whose
// ids match and says where; the next run's errors are decrypted (same as
// e2e/specs/capture/generic-keys.spec.ts in Chromium).

import { test, expect } from './fixtures.ts';
import { buildPage, SCRIPT, startFakeTelegram } from '../fake-telegram/index.ts';
import { startConnectProxy } from './connect-proxy.ts';

test("a key kept as localStorage['2authKey'] (a JSON array) is found by the traffic's ids, said where, and decrypts", async ({ firefox, harness, tab }) => {
  test.setTimeout(150_000);
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const proxy = await startConnectProxy(fake.port);
  const setPrefs = (prefs: Record<string, string | number>) =>
    firefox.evaluateChrome(
      `(${JSON.stringify(Object.entries(prefs))}.forEach(([name, value]) => typeof value === 'number' ? Services.prefs.setIntPref(name, value) : Services.prefs.setCharPref(name, value)), true)`,
    );
  await setPrefs(proxy.prefs);
  const start = async () => {
    await tab.waitFor('the GramJS page', () => typeof (window as { __start?: unknown }).__start === 'function');
    await tab.evaluate(() => (window as { __start?: () => void }).__start!());
    await tab.waitFor('GramJS to finish', () => (window as { __result?: { done: boolean } }).__result?.done === true, undefined, 60_000);
  };
  try {
    await tab.goto(`https://127.0.0.1:${fake.port}/?wait=1&store=own`);
    const tabId = await harness.tabIdOf(tab);
    await start();
    const panel = await harness.openPanelPage(tabId);
    try {
      await panel.clickButton('Session keys');
      await panel.clickButton('Read keys from this page');
      const status = () => panel.evaluate(() => document.querySelector('[role="dialog"] [role="status"]')?.textContent ?? '');
      await expect.poll(status, { timeout: 15_000 }).toContain('2 new keys');
      expect(await status()).toContain("localStorage['2authKey'] (JSON array)");
      expect(await status()).toContain("localStorage['1authKey'] (JSON array)");

      fake.rewind();
      await tab.goto(`https://127.0.0.1:${fake.port}/?wait=1&store=own`);
      await start();
      const sent = fake.log().errors.filter((e) => e.kind === 'rpc_error');
      expect(sent.length).toBeGreaterThan(3);
      const { records } = await harness.settledLog(tabId, sent.length);
      const seen = records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`);
      for (const error of sent) expect(seen).toContain(`${error.code} ${error.message} ${error.method} dc${error.dc}`);
    } finally {
      await panel.close();
    }
  } finally {
    await setPrefs({ 'network.proxy.type': 5 }).catch(() => undefined);
    await proxy.close();
    await fake.close();
  }
});
