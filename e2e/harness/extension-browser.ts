// Launching Debian's Chromium with the built extension and talking to the extension
// from outside: shared by the Playwright fixtures and the demo runner.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { RawTargetSession } from './cdp-raw-session.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import type { GetLogRequest, TabStats } from '../../src/shared/messages.ts';
import { settleLog } from './settle-log.ts';

export const DIST_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const PANEL_PATH = 'extension/panel.html';

export interface LaunchOptions {
  headless?: boolean;
  /** Opens DevTools for every tab, needed to reach the real panel. */
  devtools?: boolean;
  distDir?: string;
  /** More Chromium flags (a fake Telegram's host mapping). */
  extraArgs?: readonly string[];
}

/** Flags every test and benchmark browser runs with: no sandbox (containers), no GPU, nothing fetched from outside. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function extensionArgs(distDir: string, devtools: boolean): string[] {
  return [
    // Without --disable-extensions-except the service worker never appears.
    `--disable-extensions-except=${distDir}`,
    `--load-extension=${distDir}`,
    ...CHROMIUM_ARGS,
    ...(devtools ? ['--auto-open-devtools-for-tabs'] : []),
  ];
}

export function assertBuilt(distDir = DIST_DIR): void {
  if (!existsSync(`${distDir}/manifest.json`)) {
    throw new Error(`${distDir}/manifest.json is missing: run npm run build first`);
  }
}

export async function launchExtensionContext(opts: LaunchOptions = {}): Promise<BrowserContext> {
  const distDir = opts.distDir ?? DIST_DIR;
  assertBuilt(distDir);
  return chromium.launchPersistentContext('', {
    executablePath: CHROMIUM_PATH,
    headless: opts.headless ?? true,
    viewport: { width: 1280, height: 800 },
    args: [...extensionArgs(distDir, opts.devtools ?? false), ...(opts.extraArgs ?? [])],
  });
}

/** A context without the extension, for "behaves exactly as without it" comparisons. */
export async function launchPlainContext(headless = true): Promise<BrowserContext> {
  return chromium.launchPersistentContext('', {
    executablePath: CHROMIUM_PATH,
    headless,
    args: [...CHROMIUM_ARGS],
  });
}

export interface LogSnapshot {
  records: ErrorRecord[];
  stats: TabStats;
}

/** Drives the extension of one context: its service worker, tabs, panel and log. */
export class ExtensionHarness {
  private messenger: Page | null = null;
  private cdp: CDPSession | null = null;

  private constructor(
    readonly context: BrowserContext,
    readonly extensionId: string,
  ) {}

  static async attach(context: BrowserContext): Promise<ExtensionHarness> {
    const worker = await firstServiceWorker(context);
    return new ExtensionHarness(context, new URL(worker.url()).host);
  }

  get origin(): string {
    return `chrome-extension://${this.extensionId}`;
  }

  /**
   * Playwright's handle on the service worker. Playwright does not notice a worker being
   * stopped and restarted (the old handle then hangs): after stopServiceWorker, use
   * evaluateInWorker, which always reaches the current worker.
   */
  async serviceWorker(): Promise<Worker> {
    return firstServiceWorker(this.context);
  }

  /** Runs `fn(arg)` in the extension's current service worker (waking it if stopped); JSON in and out. */
  async evaluateInWorker<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    const cdp = await this.browserCdp();
    let targets = await this.workerTargets(cdp);
    if (targets.length === 0) {
      // Any runtime message wakes a stopped worker.
      await this.sendRuntimeMessage({ type: 'wake' }).catch(() => undefined);
      const deadline = Date.now() + 10_000;
      while ((targets = await this.workerTargets(cdp)).length === 0) {
        if (Date.now() > deadline) throw new Error('the service worker did not start again');
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    // A worker that has just started may not have its extension bindings yet ("chrome is not
    // defined" in the first moments): asked again shortly, it answers.
    for (let attempt = 0; ; attempt++) {
      const session = await RawTargetSession.attach(cdp, targets[0].targetId);
      try {
        return await session.evaluate<T>(`(${fn.toString()})(${JSON.stringify(arg ?? null)})`);
      } catch (error) {
        if (attempt >= 30 || !/chrome is not defined/.test(String(error))) throw error;
      } finally {
        await session.detach();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The tab id of a page. The manifest has no "tabs" permission, so tab URLs are hidden from
   * the extension; then the page is brought to the front and the most recently used
   * active tab is taken.
   */
  async tabIdOf(page: Page): Promise<number> {
    const cdp = await this.context.newCDPSession(page);
    let windowId: number;
    let targetId: string;
    try {
      ({ windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number });
      ({
        targetInfo: { targetId },
      } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { targetId: string } });
    } finally {
      await cdp.detach();
    }
    // Exact, where the extension holds the debugger permission: the page's target names its tab.
    const byTarget = await this.evaluateInWorker(async (id: string) => {
      if (!chrome.debugger?.getTargets) return null;
      const targets = await chrome.debugger.getTargets();
      return targets.find((t) => t.id === id)?.tabId ?? null;
    }, targetId);
    if (byTarget !== null) return byTarget;
    // Otherwise the page's own window (CDP and chrome.windows share window ids) and its active
    // tab once the page is brought to front: no guess by URL, which the extension may not be
    // allowed to read. The activation lands asynchronously: a page is visible only once its tab
    // is the active one.
    await page.bringToFront();
    await page.waitForFunction(() => document.visibilityState === 'visible', null, { timeout: 10_000 }).catch(() => undefined);
    const found = await this.evaluateInWorker(async (id: number) => {
      const [tab] = await chrome.tabs.query({ active: true, windowId: id });
      return tab?.id ?? null;
    }, windowId);
    if (found === null) throw new Error(`no active tab in window ${windowId} for ${page.url()}`);
    return found;
  }

  /** Opens the panel as an ordinary page for one tab (the panel reads `?tabId=`). */
  async openPanelPage(tabId: number): Promise<Page> {
    const panel = await this.context.newPage();
    await panel.goto(`${this.origin}/${PANEL_PATH}?tabId=${tabId}`);
    return panel;
  }

  /** The background's log for a tab; throws with a plain message when nothing answers. */
  async getLog(tabId: number): Promise<LogSnapshot> {
    const request: GetLogRequest = { type: 'get-log', tabId };
    const answer = await this.sendRuntimeMessage(request);
    if (!answer || typeof answer !== 'object' || !Array.isArray((answer as LogSnapshot).records)) {
      throw new Error(`the background did not answer get-log with {records, stats}: got ${JSON.stringify(answer)}`);
    }
    return answer as LogSnapshot;
  }

  /**
   * The log once captures stopped arriving (they travel hook -> relay -> worker
   * asynchronously): waits for at least `atLeast` records, then until the count holds
   * still, so a record that should not exist has had its chance to arrive.
   */
  async settledLog(tabId: number, atLeast = 0): Promise<LogSnapshot> {
    return settleLog(() => this.getLog(tabId), atLeast);
  }

  /**
   * Stops the extension's service worker through the browser's CDP and waits until that
   * worker is gone. An open panel reconnects at once and so may start a new worker, which
   * can reuse the target id: a different global (time origin) tells the old one ended.
   */
  async stopServiceWorker(): Promise<void> {
    const cdp = await this.browserCdp();
    const workers = await this.workerTargets(cdp);
    if (workers.length === 0) return;
    const startedAt = await this.evaluateInWorker(() => performance.timeOrigin);
    for (const target of workers) await cdp.send('Target.closeTarget', { targetId: target.targetId });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if ((await this.workerTargets(cdp)).length === 0) return;
      // A worker that is going away may never answer: ask again rather than wait on it.
      const origin = await Promise.race([
        this.evaluateInWorker(() => performance.timeOrigin).catch(() => startedAt),
        new Promise<number>((resolve) => setTimeout(() => resolve(startedAt), 1000)),
      ]);
      if (origin !== startedAt) return;
      if (Date.now() > deadline) throw new Error('the service worker did not stop');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A browser-level CDP session, created once. */
  async browserCdp(): Promise<CDPSession> {
    if (!this.cdp) {
      const browser = this.context.browser();
      if (!browser) throw new Error('no browser behind this context');
      this.cdp = await browser.newBrowserCDPSession();
      await this.cdp.send('Target.setDiscoverTargets', { discover: true });
    }
    return this.cdp;
  }

  private async workerTargets(cdp: CDPSession) {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(`${this.origin}/`));
  }

  /** runtime.sendMessage from an extension page (the worker cannot message itself). */
  private async sendRuntimeMessage(message: unknown): Promise<unknown> {
    if (!this.messenger || this.messenger.isClosed()) {
      this.messenger = await this.context.newPage();
      // A page that runs no extension code of its own, so it adds no listeners or ports.
      await this.messenger.goto(`${this.origin}/manifest.json`);
    }
    return this.messenger.evaluate((msg) => chrome.runtime.sendMessage(msg), message);
  }
}

async function firstServiceWorker(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (existing) return existing;
  return context.waitForEvent('serviceworker', {
    predicate: (w) => w.url().startsWith('chrome-extension://'),
    timeout: 15_000,
  });
}
