// The only module that touches extension APIs (`browser.*` via webextension-polyfill,
// and `chrome.devtools.*`, which the polyfill does not cover everywhere). Everything
// else receives these small interfaces, so logic and UI run in tests without a browser.

import browser from 'webextension-polyfill';

/** A long-lived connection, reduced to what the extension uses. */
export interface PortLike {
  readonly name: string;
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onDisconnect(listener: () => void): void;
  disconnect(): void;
}

/** Who sent a runtime message. */
export interface MessageSender {
  tabId: number | null;
  frameId: number | null;
  /** True when the sender is one of this extension's own pages (not a content script). */
  fromExtensionPage: boolean;
  /** The sending frame's origin as the browser knows it (never the page's word). */
  origin: string | null;
}

/** Key-value storage that survives the service worker being stopped. */
export interface SessionStorage {
  get(keys: string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

function wrapPort(port: browser.Runtime.Port): PortLike {
  return {
    name: port.name,
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => port.onMessage.addListener((message: unknown) => listener(message)),
    onDisconnect: (listener) => port.onDisconnect.addListener(() => listener()),
    disconnect: () => port.disconnect(),
  };
}

function describeSender(sender: browser.Runtime.MessageSender): MessageSender {
  return {
    tabId: sender.tab?.id ?? null,
    frameId: sender.frameId ?? null,
    // Extension pages may live in a tab too (the panel opened as a page), so the URL decides.
    fromExtensionPage: sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL('')),
    origin: originOf(sender),
  };
}

function originOf(sender: browser.Runtime.MessageSender): string | null {
  const origin = (sender as { origin?: string }).origin;
  if (typeof origin === 'string' && origin !== 'null') return origin;
  try {
    return sender.url ? new URL(sender.url).origin : null;
  } catch {
    return null;
  }
}

export const runtime = {
  send(message: unknown): Promise<unknown> {
    return browser.runtime.sendMessage(message);
  },
  /** The handler's returned promise (if any) becomes the reply. */
  onMessage(handler: (message: unknown, sender: MessageSender) => Promise<unknown> | undefined): void {
    browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => handler(message, describeSender(sender)));
  },
  connect(name: string): PortLike {
    return wrapPort(browser.runtime.connect({ name }));
  },
  onConnect(handler: (port: PortLike, sender: MessageSender) => void): void {
    browser.runtime.onConnect.addListener((port) =>
      handler(wrapPort(port), port.sender ? describeSender(port.sender) : { tabId: null, frameId: null, fromExtensionPage: false, origin: null }),
    );
  },
  /** False once the extension was reloaded or removed under a live content script. */
  isAlive(): boolean {
    try {
      return Boolean(browser.runtime?.id);
    } catch {
      return false;
    }
  },
};

export const sessionStorage: SessionStorage = {
  get: (keys) => browser.storage.session.get(keys),
  set: (items) => browser.storage.session.set(items),
  remove: (keys) => browser.storage.session.remove(keys),
};

/**
 * Settings that outlive the browser session (chrome.storage.local). Never secrets: auth
 * keys live in sessionStorage (memory only) and nowhere else.
 */
export const localSettings: SessionStorage = {
  get: (keys) => browser.storage.local.get(keys),
  set: (items) => browser.storage.local.set(items),
  remove: (keys) => browser.storage.local.remove(keys),
};

export const tabs = {
  /** A message to a tab's content scripts (one frame when frameId is given); the reply, or undefined when none answers. */
  async send(tabId: number, message: unknown, frameId?: number): Promise<unknown> {
    try {
      return await browser.tabs.sendMessage(tabId, message, frameId === undefined ? undefined : { frameId });
    } catch {
      return undefined;
    }
  },
  onRemoved(handler: (tabId: number) => void): void {
    browser.tabs.onRemoved.addListener((tabId) => handler(tabId));
  },
  async setBadge(tabId: number, text: string): Promise<void> {
    try {
      await browser.action.setBadgeText({ tabId, text });
      if (text) await browser.action.setBadgeBackgroundColor({ tabId, color: '#d93025' });
    } catch {
      // The tab may have closed between the capture and the badge update.
    }
  },
  async getBadge(tabId: number): Promise<string> {
    return browser.action.getBadgeText({ tabId });
  },
};

/** DevTools-only APIs; null outside a DevTools context (panel opened as a page). */
export const devtools = {
  inspectedTabId(): number | null {
    return typeof chrome !== 'undefined' && chrome.devtools?.inspectedWindow ? chrome.devtools.inspectedWindow.tabId : null;
  },
  themeName(): 'default' | 'dark' | null {
    const name = typeof chrome !== 'undefined' ? chrome.devtools?.panels?.themeName : undefined;
    return name === 'dark' ? 'dark' : name ? 'default' : null;
  },
  /**
   * Calls `handler` whenever the DevTools theme changes; false outside DevTools (or before
   * Chrome 99). Chrome has `setThemeChangeHandler`; Firefox has the event `onThemeChanged`
   * instead (its names are "light" and "dark").
   */
  onThemeChange(handler: (name: 'default' | 'dark') => void): boolean {
    const panels = typeof chrome !== 'undefined' ? chrome.devtools?.panels : undefined;
    if (!panels) return false;
    const toName = (name: unknown) => (name === 'dark' ? 'dark' : 'default');
    if (typeof panels.setThemeChangeHandler === 'function') {
      panels.setThemeChangeHandler((name) => handler(toName(name)));
      return true;
    }
    const changed = (panels as { onThemeChanged?: { addListener(listener: (name: string) => void): void } }).onThemeChanged;
    if (changed && typeof changed.addListener === 'function') {
      changed.addListener((name) => handler(toName(name)));
      return true;
    }
    return false;
  },
  /**
   * Paths relative to the extension's root. Chrome resolves them against the root, Firefox
   * against the calling page (the DevTools page in extension/): a root-relative path ("/…")
   * means the same file in both.
   */
  createPanel(title: string, iconPath: string, pagePath: string): void {
    const fromRoot = (path: string) => (path.startsWith('/') ? path : `/${path}`);
    void chrome.devtools.panels.create(title, fromRoot(iconPath), fromRoot(pagePath));
  },
};

/** A chrome.debugger target: a tab, or a target by id (shared workers), with an optional flat child session. */
export interface DebuggeeLike {
  tabId?: number;
  targetId?: string;
  sessionId?: string;
}

export interface DebuggerTargetInfo {
  id: string;
  type: string;
  url: string;
  attached: boolean;
  tabId?: number;
}

/** chrome.debugger, reduced to what "Capture inside workers" uses (the `debugger` permission). */
export interface DebuggerApi {
  attach(target: DebuggeeLike, version: string): Promise<void>;
  detach(target: DebuggeeLike): Promise<void>;
  sendCommand(target: DebuggeeLike, method: string, params?: Record<string, unknown>): Promise<unknown>;
  getTargets(): Promise<DebuggerTargetInfo[]>;
  onEvent(handler: (source: DebuggeeLike, method: string, params: unknown) => void): void;
  onDetach(handler: (source: DebuggeeLike, reason: string) => void): void;
}

/** The permissions this build's manifest asks for (none outside an extension, as in the unit tests). */
function manifestPermissions(): readonly string[] {
  if (typeof chrome === 'undefined' || typeof chrome.runtime?.getManifest !== 'function') return [];
  return chrome.runtime.getManifest().permissions ?? [];
}

/**
 * What this browser and this build offer the extension, for features that exist in one browser
 * or one build only. The panel reads it to say plainly what is missing instead of showing a dead
 * control.
 */
export const capabilities = {
  /**
   * chrome.debugger ("Capture inside workers"): Chrome with the `debugger` permission.
   * Firefox has no such API for extensions (and its build does not ask for the permission).
   */
  debugger: typeof chrome !== 'undefined' && typeof chrome.debugger?.attach === 'function',
  /**
   * Whether this build asks for `debugger`: the Chrome lite build (dist-chrome-lite/) does not,
   * so that installing it gives no debugger warning; the same code then offers no worker capture.
   */
  debuggerPermission: manifestPermissions().includes('debugger'),
  /** The browser's name, for the words the panel shows. */
  browserName: typeof navigator !== 'undefined' && /\bFirefox\//.test(navigator.userAgent) ? 'Firefox' : 'Chrome',
} as const;

const noDebugger = () => Promise.reject(new Error(`${capabilities.browserName} does not offer chrome.debugger to extensions`));

export const debuggerApi: DebuggerApi = capabilities.debugger
  ? {
      attach: (target, version) => chrome.debugger.attach(target as chrome.debugger.Debuggee, version),
      detach: (target) => chrome.debugger.detach(target as chrome.debugger.Debuggee),
      sendCommand: (target, method, params) => chrome.debugger.sendCommand(target as chrome.debugger.DebuggerSession, method, params) as Promise<unknown>,
      getTargets: async () => (await chrome.debugger.getTargets()).map((t) => ({ id: t.id, type: t.type, url: t.url, attached: t.attached, tabId: t.tabId })),
      onEvent: (handler) => chrome.debugger.onEvent.addListener((source, method, params) => handler(source as DebuggeeLike, method, params)),
      onDetach: (handler) => chrome.debugger.onDetach.addListener((source, reason) => handler(source as DebuggeeLike, String(reason))),
    }
  : {
      // No chrome.debugger (Firefox): nothing attaches, no event ever comes.
      attach: noDebugger,
      detach: async () => undefined,
      sendCommand: noDebugger,
      getTargets: async () => [],
      onEvent: () => undefined,
      onDetach: () => undefined,
    };

/** A content script registered at run time (scripting.registerContentScripts), reduced to what the inspector registers. */
export interface DynamicContentScript {
  id: string;
  js: string[];
  matches: string[];
  world: 'MAIN' | 'ISOLATED';
}

/** The manifest's static content scripts, as built (crxjs renames the files): the same files run on user-added sites. */
export function manifestContentScripts(): { js: string[]; world: 'MAIN' | 'ISOLATED' }[] {
  const scripts = (browser.runtime.getManifest() as { content_scripts?: { js?: string[]; world?: string }[] }).content_scripts ?? [];
  // Firefox's getManifest() gives the files as full moz-extension:// URLs; registerContentScripts wants them relative.
  const root = browser.runtime.getURL('');
  const relative = (file: string) => (file.startsWith(root) ? file.slice(root.length) : file);
  return scripts.map((s) => ({ js: (s.js ?? []).map(relative), world: s.world === 'MAIN' ? 'MAIN' : 'ISOLATED' }));
}

/** scripting.*ContentScripts and permissions.*, for the sites the user invites the inspector to (src/background/sites/site-access.ts). */
export interface SiteApi {
  registered(ids: string[]): Promise<{ id: string; matches: string[] }[]>;
  register(scripts: DynamicContentScript[]): Promise<void>;
  unregister(ids: string[]): Promise<void>;
  /** Host permissions the extension holds now (granted at install or by the user). */
  grantedOrigins(): Promise<string[]>;
  removeOrigins(origins: string[]): Promise<boolean>;
  /** Host permissions granted (`added`) or revoked in the browser, whoever asked. */
  onPermissionsChanged(handler: (added: string[]) => void): void;
}

const toRegistered = (s: DynamicContentScript) => ({
  id: s.id,
  js: s.js,
  matches: s.matches,
  runAt: 'document_start' as const,
  allFrames: true,
  world: s.world,
  persistAcrossSessions: true,
});

export const siteApi: SiteApi = {
  registered: async (ids) => (await browser.scripting.getRegisteredContentScripts({ ids })).map((s) => ({ id: s.id, matches: s.matches ?? [] })),
  register: (scripts) => browser.scripting.registerContentScripts(scripts.map(toRegistered) as never),
  unregister: (ids) => browser.scripting.unregisterContentScripts({ ids }),
  grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
  removeOrigins: (origins) => browser.permissions.remove({ origins }).catch(() => false),
  onPermissionsChanged: (handler) => {
    browser.permissions.onAdded.addListener((p) => handler(p.origins ?? []));
    browser.permissions.onRemoved.addListener(() => handler([]));
  },
};

/**
 * Asking the browser for a site's permission: only from a user gesture in an extension page
 * (the toolbar popup; the panel where the browser lets it). Null where the page has no
 * permissions API (Firefox's DevTools panels): then the toolbar popup does it.
 */
export const permissionRequest: ((origins: string[]) => Promise<boolean>) | null =
  typeof browser !== 'undefined' && typeof browser.permissions?.request === 'function' ? (origins) => browser.permissions.request({ origins }) : null;

/** The tab the toolbar popup was opened over (its URL is visible through activeTab), and reloading a tab. */
export const activeTab = {
  async current(): Promise<{ id: number; url: string | null } | null> {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.id === undefined ? null : { id: tab.id, url: tab.url ?? null };
  },
  /** The URL of a tab, when the extension may read it (its site is granted), else null. */
  async urlOf(tabId: number): Promise<string | null> {
    try {
      return (await browser.tabs.get(tabId)).url ?? null;
    } catch {
      return null;
    }
  },
  reload: (tabId: number): Promise<void> => browser.tabs.reload(tabId),
};

/** The inspected page's URL in DevTools (any site: DevTools reads it, nothing is added to the page), null outside DevTools. */
export function inspectedUrl(): Promise<string | null> {
  const win = typeof chrome !== 'undefined' ? chrome.devtools?.inspectedWindow : undefined;
  if (!win) return Promise.resolve(null);
  return new Promise((resolve) => {
    try {
      win.eval('location.href', (result: unknown, error: unknown) => resolve(!error && typeof result === 'string' ? result : null));
    } catch {
      resolve(null);
    }
  });
}

/** Reloads the inspected page (DevTools), or the tab by id (the panel opened as a page). */
export async function reloadInspected(tabId: number): Promise<void> {
  const win = typeof chrome !== 'undefined' ? chrome.devtools?.inspectedWindow : undefined;
  if (win) return win.reload({});
  await activeTab.reload(tabId);
}

/** Calls `handler` when the inspected page navigates (DevTools only; nothing outside it). */
export function onInspectedNavigated(handler: () => void): void {
  const network = typeof chrome !== 'undefined' ? chrome.devtools?.network : undefined;
  network?.onNavigated?.addListener(() => handler());
}
