// GramJS (npm `telegram`) bundled for the browser, in Debian's Chromium without the extension,
// against the fake Telegram server: the app sees what the scenario expects, and the server log
// holds every scripted error. The base for the extension's "decrypt the wire" tests.

import { expect, test } from '@playwright/test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../harness/extension-browser.ts';
import {
  buildPage,
  checkLog,
  checkOutcomes,
  fakeTelegramChromiumArgs,
  presharedAuthKey,
  SCRIPT,
  startFakeTelegram,
  STORE_SESSION_KEYS,
} from '../../fake-telegram/index.ts';
import type { PageResult } from '../../fake-telegram/page/app.ts';

test('GramJS in Chromium plays the scripted errors of the fake Telegram', async () => {
  const publicDir = await buildPage();
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...fakeTelegramChromiumArgs(fake.port)],
  });
  try {
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    // An https page, like web.telegram.org: GramJS then picks wss://<dc>.web.telegram.org:443.
    await page.goto(`https://127.0.0.1:${fake.port}/`);
    await page.waitForFunction(() => (window as { __result?: PageResult }).__result?.done, null, { timeout: 25_000 });
    const result = await page.evaluate(() => (window as { __result?: PageResult }).__result!);

    expect(result.error).toBeUndefined();
    expect(checkOutcomes(result.outcomes)).toEqual([]);
    expect(checkLog(fake.log(), fake.unusedRules())).toEqual([]);
    // DC 1, then DC 2 after USER_MIGRATE_2, under GramJS's own host names.
    expect(sockets).toEqual(['wss://pluto.web.telegram.org/apiws', 'wss://venus.web.telegram.org/apiws']);
    expect(fake.log().connections.map((c) => [c.host, c.dc, c.secure])).toEqual([
      ['pluto.web.telegram.org', 1, true],
      ['venus.web.telegram.org', 2, true],
    ]);
    // The StoreSession keeps the current DC's key where the extension will look for it.
    expect(Object.keys(result.storage).sort()).toEqual([...STORE_SESSION_KEYS].sort());
    expect(JSON.parse(result.storage['fake_telegram:authKey']!)).toEqual({ type: 'Buffer', data: [...presharedAuthKey(2)] });
    expect(JSON.parse(result.storage['fake_telegram:dcId']!)).toBe(2);
    expect(JSON.parse(result.storage['fake_telegram:serverAddress']!)).toBe('venus.web.telegram.org');
  } finally {
    await browser.close();
    await fake.close();
  }
});
