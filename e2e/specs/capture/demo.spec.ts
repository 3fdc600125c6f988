// The extension must not change what a web client sees: the demo page runs every flow
// (fetch, XHR, EventSource, text and binary WebSockets) with and without the extension,
// and what the page itself received must be identical.

import { test, expect } from '../../harness/fixtures.ts';
import { launchPlainContext } from '../../harness/extension-browser.ts';
import type { Page } from '@playwright/test';

async function runDemo(page: Page, url: string): Promise<Record<string, unknown>> {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${url}?auto=1`);
  await page.waitForFunction(() => (window as unknown as { demoDone?: boolean }).demoDone === true, null, { timeout: 45_000 });
  expect(pageErrors).toEqual([]);
  return page.evaluate(() => (window as unknown as { demoResults: Record<string, unknown> }).demoResults);
}

test('the demo page behaves exactly as without the extension, on every channel', async ({ page, demo }) => {
  const withExtension = await runDemo(page, demo.url);

  const plain = await launchPlainContext();
  try {
    const withoutExtension = await runDemo(await plain.newPage(), demo.url);
    expect(withoutExtension.order).toHaveLength(13);
    for (const [flow, result] of Object.entries(withoutExtension)) {
      expect(result, `flow ${flow} failed without the extension`).not.toHaveProperty('failed');
    }
    for (const flow of withoutExtension.order as string[]) {
      expect(withExtension[flow], `flow ${flow}`).toEqual(withoutExtension[flow]);
    }
    expect(withExtension).toEqual(withoutExtension);
  } finally {
    await plain.close();
  }
});
