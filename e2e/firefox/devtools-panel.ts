// Reaches the REAL DevTools panel of the add-on in Firefox (not the panel opened as a page):
// from the browser window's chrome scope (BiDi, --remote-allow-system-access) it opens the
// toolbox for a tab with DevTools' own loader, selects the "Telegram Errors" panel, and reads
// the panel's document with a frame script (the panel is a remote <browser> of the
// extension process, not a BiDi browsing context). Firefox internals (gDevTools, toolbox
// ids, frame scripts): keep this to smoke tests.

import type { FirefoxBrowser, FirefoxTab } from './firefox-browser.ts';
import { poll } from './firefox-browser.ts';

export interface FirefoxDevToolsPanel {
  /** DevTools' id of the panel (`webext-devtools-panel-…`). */
  toolId: string;
  /** Its label in the toolbox's tab strip. */
  label: string;
  /**
   * Runs `fn(window, arg)` with the panel's window (privileged, through Xrays: DOM reads and
   * events work, page script globals do not); its JSON result.
   */
  inPanel<T, A = undefined>(fn: (win: Window, arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Sets DevTools' own theme ("light" or "dark"), as its settings do. */
  setDevToolsTheme(name: 'light' | 'dark'): Promise<void>;
  close(): Promise<void>;
}

// The chrome-scope globals this module keeps between calls, by name on the browser window.
const STATE = '__tgErrorsDevTools';

/** Opens DevTools on `tab` and shows the add-on's panel in it. */
export async function openFirefoxDevToolsPanel(browser: FirefoxBrowser, tab: FirefoxTab, opts: { timeoutMs?: number } = {}): Promise<FirefoxDevToolsPanel> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  await tab.activate();
  await browser.evaluateChrome(`(async () => {
    const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    const toolbox = await gDevTools.showToolboxForTab(gBrowser.selectedTab, { toolId: 'webconsole' });
    window.${STATE} = { gDevTools, toolbox, tab: gBrowser.selectedTab, calls: 0 };
    return true;
  })()`);
  // The add-on's devtools_page registers the panel a moment after the toolbox opens.
  const tool = await poll('the Telegram Errors panel to be registered in DevTools', timeoutMs, () =>
    browser.evaluateChrome<{ id: string; label: string } | null>(`(() => {
      const tool = window.${STATE}.toolbox.getAdditionalTools().find((t) => t.id.startsWith('webext-devtools-panel-'));
      return tool ? { id: tool.id, label: tool.label } : null;
    })()`),
  );
  await browser.evaluateChrome(`window.${STATE}.toolbox.selectTool(${JSON.stringify(tool.id)}).then(() => true)`);
  // The panel's <browser> starts at about:blank, then loads the add-on's page.
  await poll('the panel page to load in DevTools', timeoutMs, () =>
    browser.evaluateChrome<boolean>(`(() => {
      const frame = window.${STATE}.toolbox.doc.getElementById('toolbox-panel-iframe-' + ${JSON.stringify(tool.id)});
      const b = frame && frame.contentDocument && frame.contentDocument.querySelector('browser');
      if (!b || !b.currentURI.spec.startsWith('moz-extension:')) return false;
      window.${STATE}.panelBrowser = b;
      return true;
    })()`),
  );

  const inPanel = async <T, A>(fn: (win: Window, arg: A) => T | Promise<T>, arg?: A): Promise<T> => {
    const frameScript = `(() => {
      const name = NAME;
      Promise.resolve()
        .then(() => (${fn.toString()})(content, ${JSON.stringify(arg ?? null)}))
        .then((value) => sendAsyncMessage(name, { json: JSON.stringify(value === undefined ? null : value) }), (err) => sendAsyncMessage(name, { error: String(err) }));
    })()`;
    const answer = await browser.evaluateChrome<{ json?: string; error?: string }>(`new Promise((resolve) => {
      const state = window.${STATE};
      const mm = state.panelBrowser.messageManager;
      const name = 'tg-errors:panel:' + (++state.calls);
      const listener = (message) => { mm.removeMessageListener(name, listener); resolve(message.data); };
      mm.addMessageListener(name, listener);
      mm.loadFrameScript('data:,' + encodeURIComponent(${JSON.stringify(frameScript)}.replace('NAME', JSON.stringify(name))), false);
    })`);
    if (answer.error) throw new Error(`in the DevTools panel: ${answer.error}`);
    return JSON.parse(answer.json ?? 'null') as T;
  };

  return {
    toolId: tool.id,
    label: tool.label,
    inPanel,
    async setDevToolsTheme(name) {
      await browser.evaluateChrome(`(Services.prefs.setCharPref('devtools.theme', ${JSON.stringify(name)}), true)`);
    },
    async close() {
      await browser
        .evaluateChrome(
          `(async () => {
        const state = window.${STATE};
        if (state) await state.gDevTools.closeToolboxForTab(state.tab);
        window.${STATE} = undefined;
        return true;
      })()`,
        )
        .catch(() => undefined);
    },
  };
}
