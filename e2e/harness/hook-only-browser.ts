// One Chromium with two contexts that differ only by the built page hook (injected as an
// init script, no extension loaded): the "with and without the hook" comparisons of the
// transparency and worker specs. Both contexts collect the hook's capture events the same way.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { HOOK_EVENT, type HookCapture } from '../../src/shared/messages.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './extension-browser.ts';

const HOOK_BUNDLE = fileURLToPath(new URL('../../dist/src/hook/main.js', import.meta.url));

declare global {
  interface Window {
    __hookCaptures: HookCapture[];
  }
}

// Runs in the page (serialized by addInitScript): no closure over this module.
function collectCaptures(eventName: string): void {
  window.__hookCaptures = [];
  document.addEventListener(eventName, (event) => {
    window.__hookCaptures.push(JSON.parse((event as CustomEvent<string>).detail) as HookCapture);
  });
}

export interface HookOnlyBrowser {
  browser: Browser;
  plainContext: BrowserContext;
  hookedContext: BrowserContext;
}

export async function launchHookOnlyBrowser(): Promise<HookOnlyBrowser> {
  if (!existsSync(HOOK_BUNDLE)) throw new Error(`${HOOK_BUNDLE} is missing: run npm run build first`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  const plainContext = await browser.newContext();
  const hookedContext = await browser.newContext();
  for (const context of [plainContext, hookedContext]) await context.addInitScript(collectCaptures, HOOK_EVENT);
  await hookedContext.addInitScript({ path: HOOK_BUNDLE });
  return { browser, plainContext, hookedContext };
}
