// Why `debugger` is a required permission of the Chrome build and cannot be asked for when the
// user turns on "Capture inside workers" (issue 20 asked for that): Chromium declares it
// kFlagCannotBeOptional. Checked here in Debian's Chromium, so a change of the browser shows:
//   - as built, the service worker has chrome.debugger and the permission cannot be given back
//     (permissions.remove of a required permission is refused), so it is never revoked under us;
//   - built with `debugger` moved to optional_permissions, the service worker has no
//     chrome.debugger, and permissions.request for it, called inside a real click in an
//     extension page, is refused outright: the browser never shows a prompt to accept.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { BrowserContext, Page } from 'playwright-core';
import { assertBuilt, DIST_DIR, ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';

/** Runs `call` inside a real click (a user gesture) in an extension page; its outcome as text. */
async function inClick(page: Page, call: 'request' | 'remove'): Promise<string> {
  await page.evaluate((which) => {
    const button = document.createElement('button');
    button.textContent = 'ask';
    button.id = 'ask-debugger';
    const w = window as unknown as { outcome?: string };
    button.addEventListener('click', () => {
      const api = which === 'request' ? chrome.permissions.request : chrome.permissions.remove;
      api({ permissions: ['debugger'] as chrome.runtime.ManifestPermission[] }).then(
        (granted) => (w.outcome = `resolved ${granted}`),
        (error: Error) => (w.outcome = `rejected ${error.message}`),
      );
    });
    document.body.append(button);
  }, call);
  await page.click('#ask-debugger');
  await page.waitForFunction(() => (window as unknown as { outcome?: string }).outcome !== undefined, null, { timeout: 10_000 });
  return page.evaluate(() => (window as unknown as { outcome: string }).outcome);
}

async function extensionPage(context: BrowserContext, harness: ExtensionHarness): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${harness.origin}/extension/panel.html?tabId=1`);
  return page;
}

test('as built: chrome.debugger is there, and the required permission cannot be removed', async () => {
  const context = await launchExtensionContext();
  try {
    const harness = await ExtensionHarness.attach(context);
    expect(await harness.evaluateInWorker(() => typeof chrome.debugger?.attach)).toBe('function');
    const page = await extensionPage(context, harness);
    expect(await inClick(page, 'remove')).toMatch(/^rejected .*required permissions/i);
    expect(await page.evaluate(() => chrome.permissions.contains({ permissions: ['debugger'] }))).toBe(true);
  } finally {
    await context.close();
  }
});

test('debugger as an optional permission: Chromium drops it, and asking for it in a click is refused without a prompt', async () => {
  assertBuilt();
  const dist = mkdtempSync(join(tmpdir(), 'tg-inspector-optional-debugger-'));
  cpSync(DIST_DIR, dist, { recursive: true });
  const manifestPath = join(dist, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
  manifest.permissions = manifest.permissions.filter((p) => p !== 'debugger');
  manifest.optional_permissions = ['debugger'];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  const context = await launchExtensionContext({ distDir: dist });
  try {
    const harness = await ExtensionHarness.attach(context);
    expect(await harness.evaluateInWorker(() => typeof chrome.debugger)).toBe('undefined');
    const page = await extensionPage(context, harness);
    expect(await inClick(page, 'request')).toBe('rejected Only permissions specified in the manifest may be requested.');
    expect(await harness.evaluateInWorker(() => typeof chrome.debugger)).toBe('undefined');
  } finally {
    await context.close();
  }
});
