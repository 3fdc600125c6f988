// The Calls view in Firefox (issue 21): a page makes TL-JSON calls over fetch and Web K-style
// calls to its worker, some answered with errors; the panel's Calls view lists each with its
// channel, method and outcome (the same as in Chromium, e2e/specs/calls/calls-json-worker.spec.ts),
// the per-method table counts them, the outcome filter picks the errors, and an error call opens
// its record in the Errors view.

import { test, expect } from './fixtures.ts';
import type { FirefoxTab } from './firefox-browser.ts';

/** What the sightings page's server answers (e2e/demo/public/sightings/), in the order sent. */
const EXPECTED = [
  'fetch messages.editMessage error',
  'fetch messages.editMessage error',
  'fetch messages.sendReaction error',
  'fetch messages.sendReaction ok',
  'worker help.getConfig ok',
  'worker messages.forwardMessages error',
  'worker messages.forwardMessages error',
];
const ERRORS = 5;

/** The Calls grid's drawn rows as "channel method outcome". */
const callRows = (panel: FirefoxTab) =>
  panel.evaluate(() =>
    [...document.querySelectorAll('[role="grid"][aria-label="API calls"] .viewport [role="row"]')].map((row) =>
      ['.c-channel', '.c-method', '.c-outcome'].map((c) => (row.querySelector(c)?.textContent ?? '').trim().split(/\s/)[0]).join(' '),
    ),
  );
const attribute = (panel: FirefoxTab, selector: string, name: string) =>
  panel.evaluate(({ selector, name }) => document.querySelector(selector)?.getAttribute(name) ?? null, { selector, name });

test('the Calls view lists the calls of a JSON and a worker client with method and outcome', async ({ tab, demo, harness }) => {
  await tab.goto(`${demo.url}sightings/index.html?auto=1`);
  await tab.waitFor('the page to finish its calls', () => (window as { __sightings?: { done: boolean } }).__sightings?.done === true, undefined, 30_000);
  const tabId = await harness.tabIdOf(tab);
  await harness.settledLog(tabId, ERRORS);

  const panel = await harness.openPanelPage(tabId);
  try {
    await panel.setViewport(1280, 800);
    await expect.poll(() => panel.evaluate(() => document.getElementById('tab-calls')?.textContent ?? ''), { timeout: 10_000 }).toMatch(/Calls\s*7$/);
    await panel.clickButton(/^Calls/);
    expect(await attribute(panel, '#tab-calls', 'aria-selected')).toBe('true');
    // Answers are noted in batches (a second at most): no call may stay pending.
    await expect.poll(() => callRows(panel), { timeout: 15_000 }).toEqual(EXPECTED);
    expect(await attribute(panel, '[role="grid"][aria-label="API calls"]', 'aria-rowcount')).toBe('7');

    // The per-method table: each method once, with its calls and errors by class.
    const table = await panel.evaluate(() =>
      [...document.querySelectorAll('table.method-table tbody tr')].map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 3).map((c) => c.textContent)),
    );
    expect(table).toEqual(
      expect.arrayContaining([
        ['messages.editMessage', '2', 'BAD_REQUEST 2'],
        ['messages.sendReaction', '2', 'FLOOD 1'],
        ['messages.forwardMessages', '2', 'FLOOD 2'],
        ['help.getConfig', '1', '—'],
      ]),
    );

    // The outcome filter, then an error call opens its record in the Errors view.
    await panel.evaluate(() => {
      const select = document.querySelector<HTMLSelectElement>('select[aria-label="Filter calls by outcome"]')!;
      select.value = 'error';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await expect.poll(() => callRows(panel)).toEqual(EXPECTED.filter((c) => c.endsWith(' error')));
    await panel.evaluate(() => document.querySelector<HTMLElement>('[role="grid"][aria-label="API calls"] .viewport .row.outcome-error')!.click());
    await expect.poll(() => attribute(panel, '#tab-errors', 'aria-selected')).toBe('true');
    await expect.poll(() => panel.evaluate(() => document.querySelector('[aria-label="Error details"]')?.textContent ?? '')).toContain('MESSAGE_NOT_MODIFIED');
  } finally {
    await panel.close();
  }
});
