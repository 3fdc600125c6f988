// Reaches the REAL DevTools panel of the extension (not the panel opened as a page).
// Needs a context launched with `devtools: true` (--auto-open-devtools-for-tabs).
// DevTools' own pages are only reachable as non-flattened CDP sessions, and the module
// paths used inside them are DevTools internals: keep this to smoke tests.

import type { Page } from 'playwright-core';
import { RawTargetSession } from './cdp-raw-session.ts';
import { PANEL_PATH, type ExtensionHarness } from './extension-browser.ts';

const DEVTOOLS_APP = 'devtools://devtools/bundled/devtools_app.html';

export interface DevToolsPanel {
  /** The DevTools tab id of the panel (`chrome-extension://<id><title without spaces>`). */
  panelTabId: string;
  /** Evaluates in the panel page inside DevTools. */
  evaluate<T>(expression: string): Promise<T>;
  /** Evaluates in the DevTools window itself (its front end's modules are importable there). */
  evaluateInDevTools<T>(expression: string): Promise<T>;
  /** The panel document's visible text. */
  text(): Promise<string>;
  close(): Promise<void>;
}

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Shows the extension's panel in the DevTools window that inspects `page` and attaches to it. */
export async function openDevToolsPanel(harness: ExtensionHarness, page: Page, opts: { timeoutMs?: number } = {}): Promise<DevToolsPanel> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const cdp = await harness.browserCdp();
  const panelPrefix = harness.origin;

  // Several DevTools windows may be open (one per tab); find the one inspecting this page.
  const devtools = await poll('the DevTools window of the page', timeoutMs, async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    for (const target of targetInfos.filter((t) => t.type === 'page' && t.url.startsWith(DEVTOOLS_APP))) {
      const session = await RawTargetSession.attach(cdp, target.targetId);
      const inspected = await session
        .evaluate<string | null>(
          `(async () => { const SDK = await import('./core/sdk/sdk.js'); return SDK.TargetManager.TargetManager.instance().primaryPageTarget()?.inspectedURL() ?? null; })()`,
        )
        .catch(() => null);
      if (inspected === page.url()) return { session, targetId: target.targetId };
      await session.detach();
    }
    return null;
  });

  const panelTabId = await poll('the extension panel in DevTools', timeoutMs, () =>
    devtools.session.evaluate<string | null>(
      `(async () => {
        const { InspectorView } = await import('./ui/legacy/legacy.js');
        const view = InspectorView.InspectorView.instance();
        const id = view.tabbedPane.tabIds().find((t) => t.startsWith(${JSON.stringify(panelPrefix)}));
        if (!id) return null;
        await view.showPanel(id);
        return id;
      })()`,
    ),
  );

  const panelTarget = await poll('the panel frame', timeoutMs, async () => {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.find((t) => t.type === 'iframe' && t.url.startsWith(`${panelPrefix}/${PANEL_PATH}`) && t.parentFrameId === devtools.targetId);
  });
  const panel = await RawTargetSession.attach(cdp, panelTarget.targetId);
  await poll('the panel document', timeoutMs, () => panel.evaluate<boolean>(`document.readyState === 'complete' || null`));

  return {
    panelTabId,
    evaluate: (expression) => panel.evaluate(expression),
    evaluateInDevTools: (expression) => devtools.session.evaluate(expression),
    text: () => panel.evaluate<string>('document.body.innerText'),
    close: async () => {
      await panel.detach();
      await devtools.session.detach();
    },
  };
}
