// Smoke test in the REAL DevTools panel (not the panel opened as a page): the panel is
// registered, shows in DevTools for the inspected tab, takes that tab from
// chrome.devtools.inspectedWindow and lists the errors captured before it was opened.

import { test, expect } from '../../harness/fixtures.ts';

test.use({ devtools: true });

test('the Telegram Errors panel inside DevTools lists the inspected tab’s errors', async ({ page, demo, openDevToolsPanel }) => {
  await page.goto(`${demo.url}?auto=1`);
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 45_000 });

  const panel = await openDevToolsPanel(page);
  try {
    expect(panel.panelTabId).toMatch(/^chrome-extension:\/\/[a-p]{32}TelegramErrors$/);
    // No ?tabId here: the tab comes from DevTools itself.
    expect(await panel.evaluate<string>('location.search')).toBe('');
    // The timeline renders only the rows in view, DevTools may give the panel little height,
    // and a DevTools window in the background gets no animation frames (no scroll events, no
    // resize observations): search for each type, as a user would, so its row is the first.
    const rowsMatching = (query: string) =>
      panel.evaluate<string>(`(async () => {
        const input = document.querySelector('input.search');
        const viewport = document.querySelector('.viewport');
        if (!input || !viewport) return '';
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(query)});
        input.dispatchEvent(new Event('input', { bubbles: true }));
        for (let i = 0; i < 20; i++) await Promise.resolve();
        return viewport.innerText;
      })()`);
    await expect.poll(() => rowsMatching('PHONE_MIGRATE_4'), { timeout: 30_000 }).toContain('PHONE_MIGRATE_4');
    for (const type of ['FLOOD_WAIT_17', 'SESSION_REVOKED', 'INTERDC_2_CALL_ERROR', 'CONTACT_ID_INVALID', 'transport error -404']) {
      expect(await rowsMatching(type)).toContain(type);
    }
    // A search for something absent shows no row: the check above can fail.
    expect(await rowsMatching('NO_SUCH_ERROR_TYPE')).not.toContain('NO_SUCH_ERROR_TYPE');
  } finally {
    await panel.close();
  }
});

test('the panel follows a change of the DevTools theme while it is open', async ({ page, demo, openDevToolsPanel }) => {
  await page.goto(`${demo.url}`);
  const panel = await openDevToolsPanel(page);
  // DevTools' own setting, as its Preferences > Appearance > Theme menu sets it. It is saved
  // in the profile the worker's tests share, so the test puts it back.
  const uiTheme = (action: string) =>
    panel.evaluateInDevTools<string>(
      `(async () => { const Common = await import('./core/common/common.js'); const setting = Common.Settings.Settings.instance().moduleSetting('ui-theme'); ${action}; return setting.get(); })()`,
    );
  const original = await uiTheme('');
  try {
    const panelTheme = () => panel.evaluate<string>('document.documentElement.dataset.theme');
    expect(['light', 'dark']).toContain(await panelTheme());
    await uiTheme(`setting.set('dark')`);
    await expect.poll(panelTheme, { timeout: 10_000 }).toBe('dark');
    await uiTheme(`setting.set('default')`);
    await expect.poll(panelTheme, { timeout: 10_000 }).toBe('light');
  } finally {
    await uiTheme(`setting.set(${JSON.stringify(original)})`).catch(() => undefined);
    await panel.close();
  }
});
