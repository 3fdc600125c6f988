// The add-on must not change what a web client sees, in Firefox too: each demo client runs
// every flow in a Firefox with the add-on and in one without it, and what the page received
// (window.demoResults) must be identical, with no page error in either.

import { test, expect } from './fixtures.ts';
import { FirefoxBrowser, type FirefoxTab } from './firefox-browser.ts';

const CLIENTS = ['?auto=1', 'webk/index.html?auto=1', 'weba/index.html?auto=1', 'mtcute/index.html?auto=1'];

/** Runs a client; its results and the page's uncaught errors (BiDi log entries of type javascript). */
async function run(tab: FirefoxTab, url: string): Promise<{ results: unknown; errors: string[] }> {
  const errors: string[] = [];
  const off = tab.browser.bidi.on('log.entryAdded', (entry) => {
    const source = entry.source as { context?: string } | undefined;
    if (entry.type === 'javascript' && entry.level === 'error' && source?.context === tab.context) errors.push(String(entry.text));
  });
  try {
    await tab.goto(url);
    await tab.waitFor('the demo to finish', () => (window as unknown as { demoDone?: boolean }).demoDone === true, undefined, 60_000);
    const results = await tab.evaluate(() => (window as unknown as { demoResults: unknown }).demoResults);
    return { results, errors };
  } finally {
    off();
  }
}

test('every demo client behaves exactly as without the add-on', async ({ firefox, demo }) => {
  test.setTimeout(150_000);
  await firefox.bidi.send('session.subscribe', { events: ['log.entryAdded'] });
  const plain = await FirefoxBrowser.launch({ extension: false });
  try {
    await plain.bidi.send('session.subscribe', { events: ['log.entryAdded'] });
    for (const path of CLIENTS) {
      const url = `${demo.url}${path}`;
      const withTab = await firefox.newTab();
      const withoutTab = await plain.newTab();
      try {
        const withAddon = await run(withTab, url);
        const without = await run(withoutTab, url);
        expect(without.errors, `${path}: page errors without the add-on`).toEqual([]);
        expect(withAddon.errors, `${path}: page errors with the add-on`).toEqual([]);
        const results = without.results as Record<string, unknown>;
        expect(Object.keys(results).length, path).toBeGreaterThan(0);
        for (const [flow, result] of Object.entries(results)) {
          expect(result, `${path}: flow ${flow} failed without the add-on`).not.toHaveProperty('failed');
        }
        expect(withAddon.results, path).toEqual(without.results);
      } finally {
        await withTab.close();
        await withoutTab.close();
      }
    }
  } finally {
    await plain.close();
  }
});
