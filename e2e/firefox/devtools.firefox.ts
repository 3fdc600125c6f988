// Smoke test in Firefox's REAL DevTools (not the panel opened as a page): the add-on's
// devtools_page registers "Telegram Errors" (its paths resolved from the add-on's root, not
// against the DevTools page as Firefox does for relative ones), the panel takes its tab from
// devtools.inspectedWindow, lists the errors captured before it was opened, and follows a
// change of the DevTools theme live (Firefox's devtools.panels.onThemeChanged).

import { test, expect, runDemoClient } from './fixtures.ts';
import { ADDON_ORIGIN, PANEL_PATH } from './firefox-browser.ts';
import { openFirefoxDevToolsPanel } from './devtools-panel.ts';

test('the Telegram Errors panel inside DevTools lists the inspected tab’s errors and follows the DevTools theme', async ({ tab, demo, harness, firefox }) => {
  await runDemoClient(tab, `${demo.url}?auto=1`);
  const tabId = await harness.tabIdOf(tab);
  await harness.settledLog(tabId, 19);

  const panel = await openFirefoxDevToolsPanel(firefox, tab);
  try {
    expect(panel.label).toBe('Telegram Errors');
    // No ?tabId: the tab comes from DevTools itself.
    expect(await panel.inPanel((win) => win.location.href)).toBe(`${ADDON_ORIGIN}/${PANEL_PATH}`);
    const statusText = () => panel.inPanel((win) => win.document.body.innerText);
    await expect.poll(statusText, { timeout: 20_000 }).toContain('19 errors');
    // The timeline renders only the rows in view: search for each type, as a user would.
    const rowsMatching = (query: string) =>
      panel.inPanel(async (win, q: string) => {
        const input = win.document.querySelector('input.search') as HTMLInputElement | null;
        const viewport = win.document.querySelector('.viewport') as HTMLElement | null;
        if (!input || !viewport) return '';
        input.value = q;
        input.dispatchEvent(new (win as unknown as typeof globalThis).Event('input', { bubbles: true }));
        await new Promise((r) => win.setTimeout(r, 150));
        return viewport.innerText;
      }, query);
    for (const type of ['PHONE_MIGRATE_4', 'FLOOD_WAIT_17', 'SESSION_REVOKED', 'INTERDC_2_CALL_ERROR', 'transport error -404']) {
      await expect.poll(() => rowsMatching(type), { timeout: 10_000 }).toContain(type);
    }
    expect(await rowsMatching('NO_SUCH_ERROR_TYPE')).not.toContain('NO_SUCH_ERROR_TYPE');
    // Worker capture cannot exist here, and the panel says so.
    expect(await panel.inPanel((win) => win.document.querySelector('.worker-capture')?.textContent ?? '')).toContain('not available in Firefox');

    // The DevTools theme, switched in DevTools' own setting while the panel is open.
    const panelTheme = () => panel.inPanel((win) => win.document.documentElement.dataset.theme ?? '');
    expect(await panelTheme()).toBe('light');
    await panel.setDevToolsTheme('dark');
    await expect.poll(panelTheme, { timeout: 10_000 }).toBe('dark');
    await panel.setDevToolsTheme('light');
    await expect.poll(panelTheme, { timeout: 10_000 }).toBe('light');
  } finally {
    await panel.setDevToolsTheme('light').catch(() => undefined);
    await panel.close();
  }
});
