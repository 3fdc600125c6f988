// Smoke test in the REAL DevTools panel (not the panel opened as a page): the panel is
// registered, shows in DevTools for the inspected tab, takes that tab from
// chrome.devtools.inspectedWindow and lists the errors captured before it was opened.

import { test, expect } from './fixtures.ts';

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
    // and a DevTools window in the background gets no animation frames (so no scroll events):
    // walk the rows with the keyboard, which scrolls each selected row into view at once.
    const allRowsText = () =>
      panel.evaluate<string>(`(async () => {
        const table = document.querySelector('[aria-rowcount]');
        const viewport = document.querySelector('.viewport');
        if (!table || !viewport) return '';
        const settle = async () => {
          for (let i = 0; i < 20; i++) await Promise.resolve();
        };
        const press = async (key) => {
          table.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
          await settle();
        };
        const count = Number(table.getAttribute('aria-rowcount') || 0);
        let text = '';
        await press('Home');
        for (let i = 0; i < count; i++) {
          text += viewport.innerText + '\\n';
          await press('ArrowDown');
        }
        return text;
      })()`);
    await expect.poll(allRowsText, { timeout: 30_000 }).toContain('PHONE_MIGRATE_4');
    const text = await allRowsText();
    for (const type of ['FLOOD_WAIT_17', 'SESSION_REVOKED', 'INTERDC_2_CALL_ERROR', 'CONTACT_ID_INVALID', 'transport error -404']) expect(text).toContain(type);
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
