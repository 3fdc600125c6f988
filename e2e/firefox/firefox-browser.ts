// Launching Debian's Firefox ESR with the built add-on (dist-firefox/) and driving it over
// WebDriver BiDi (./bidi.ts): tabs, the add-on's pages, its background's log, and (through
// the browser's own chrome scope, which --remote-allow-system-access opens) stopping the
// event page and showing the real DevTools panel. Shared by the Firefox tests and the demo.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorRecord } from '../../src/core/record.ts';
import type { GetLogRequest, TabStats } from '../../src/shared/messages.ts';
import { FIREFOX_ADDON_ID } from '../../scripts/firefox-manifest.ts';
import { BidiConnection, BidiError, fromRemote, type RemoteValue } from './bidi.ts';
import { settleLog } from '../harness/settle-log.ts';

export const FIREFOX_DIST_DIR = fileURLToPath(new URL('../../dist-firefox', import.meta.url));
export const FIREFOX_PATH = '/usr/bin/firefox-esr';
export const PANEL_PATH = 'extension/panel.html';
/** The add-on's fixed internal UUID (a pref set before the install), so its pages have known URLs. */
export const ADDON_UUID = '6f1d7c52-2b1e-4c55-9a3e-7a1b0d2c9e41';
export const ADDON_ORIGIN = `moz-extension://${ADDON_UUID}`;

export interface FirefoxLaunchOptions {
  /** Install dist-firefox/ (default true). */
  extension?: boolean;
  headless?: boolean;
  distDir?: string;
  /** More prefs for user.js. */
  prefs?: Record<string, string | number | boolean>;
  /** Where downloads land (export tests); a temporary folder when not given. */
  downloadDir?: string;
}

/** What every test Firefox runs with: nothing fetched from outside, no first-run pages, no crash UI. */
function basePrefs(downloadDir: string): Record<string, string | number | boolean> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: ADDON_UUID }),
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.startup.page': 0,
    'browser.aboutwelcome.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.enabled': false,
    'app.normandy.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.update.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.sessionstore.resume_from_crash': false,
    'toolkit.startup.max_resumed_crashes': -1,
    'devtools.toolbox.host': 'bottom',
    'devtools.theme': 'light',
    // Downloads (Export) land in a known folder without a dialog.
    'browser.download.folderList': 2,
    'browser.download.dir': downloadDir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.alwaysOpenPanel': false,
    'browser.download.panel.shown': true,
  };
}

function userJs(prefs: Record<string, string | number | boolean>): string {
  return Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n');
}

export function assertFirefoxBuilt(distDir = FIREFOX_DIST_DIR): void {
  if (!existsSync(`${distDir}/manifest.json`)) throw new Error(`${distDir}/manifest.json is missing: run npm run build first`);
  if (!existsSync(FIREFOX_PATH)) throw new Error(`${FIREFOX_PATH} is missing: run bash scripts/ensure-deps.sh (installs Debian's firefox-esr)`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it gives a value other than null/undefined/false. */
export async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await sleep(everyMs);
  }
}

/** Builds the expression that runs `fn(arg)` in the target and hands back its JSON. */
function jsonCall(fn: ((arg: never) => unknown) | string, arg: unknown): string {
  const call = typeof fn === 'string' ? `(${fn})` : `(${fn.toString()})(${JSON.stringify(arg ?? null)})`;
  return `(async () => { const value = await ${call}; return value === undefined ? '{"undefined":true}' : JSON.stringify({ value }); })()`;
}

function parseJsonResult<T>(result: { type: string; result?: RemoteValue; exceptionDetails?: { text?: string } }, what: string): T {
  if (result.type === 'exception') throw new Error(`${what} threw: ${result.exceptionDetails?.text ?? 'an exception'}`);
  const text = fromRemote(result.result!) as string;
  const parsed = JSON.parse(text) as { value?: T; undefined?: true };
  return parsed.value as T;
}

/** One top-level browsing context (a tab). */
export class FirefoxTab {
  constructor(
    readonly browser: FirefoxBrowser,
    readonly context: string,
  ) {}

  /** Navigates; extension pages send no load events in Firefox, so those are awaited by polling. */
  async goto(url: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    if (url.startsWith('moz-extension:')) {
      await this.browser.bidi.send('browsingContext.navigate', { context: this.context, url, wait: 'none' });
      await poll(`${url} to load`, timeoutMs, () => this.evaluate((u: string) => location.href === u && document.readyState === 'complete', url));
      return;
    }
    await this.browser.bidi.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' }, timeoutMs);
  }

  /** Runs `fn(arg)` in the page (awaited); JSON in and out. */
  async evaluate<T, A = undefined>(fn: ((arg: A) => T | Promise<T>) | string, arg?: A): Promise<T> {
    const result = await this.browser.bidi.send<{ type: string; result?: RemoteValue; exceptionDetails?: { text?: string } }>('script.evaluate', {
      expression: jsonCall(fn as (arg: never) => unknown, arg),
      target: { context: this.context },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    return parseJsonResult<T>(result, 'script.evaluate');
  }

  async waitFor<A = undefined>(what: string, fn: (arg: A) => unknown, arg?: A, timeoutMs = 30_000): Promise<void> {
    await poll(what, timeoutMs, async () => Boolean(await this.evaluate(fn as (arg: A) => boolean, arg)));
  }

  /** Gives a file input (the first element matching `selector`) these files, as a user picking them would. */
  async setFiles(selector: string, paths: string[]): Promise<void> {
    const found = await this.browser.bidi.send<{ type: string; result?: { type: string; sharedId?: string } }>('script.evaluate', {
      expression: `document.querySelector(${JSON.stringify(selector)})`,
      target: { context: this.context },
      awaitPromise: false,
      resultOwnership: 'none',
    });
    const sharedId = found.result?.sharedId;
    if (!sharedId) throw new Error(`no element for ${selector}`);
    await this.browser.bidi.send('input.setFiles', { context: this.context, element: { sharedId }, files: paths });
  }

  /** Clicks the first button whose text or aria-label is `name` (a string or a RegExp source). */
  async clickButton(name: string | RegExp): Promise<void> {
    const pattern = typeof name === 'string' ? `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : name.source;
    const clicked = await this.evaluate((source: string) => {
      const re = new RegExp(source);
      const button = [...document.querySelectorAll('button')].find(
        (b) => re.test((b.getAttribute('aria-label') ?? b.textContent ?? '').trim()) || re.test((b.textContent ?? '').trim()),
      );
      button?.click();
      return Boolean(button);
    }, pattern);
    if (!clicked) throw new Error(`no button ${String(name)}`);
  }

  async url(): Promise<string> {
    return this.evaluate(() => location.href);
  }

  async setViewport(width: number, height: number): Promise<void> {
    await this.browser.bidi.send('browsingContext.setViewport', { context: this.context, viewport: { width, height } });
  }

  /** A PNG of the viewport. */
  async screenshot(path: string): Promise<void> {
    const { data } = await this.browser.bidi.send<{ data: string }>('browsingContext.captureScreenshot', { context: this.context });
    await writeFile(path, Buffer.from(data, 'base64'));
  }

  async activate(): Promise<void> {
    await this.browser.bidi.send('browsingContext.activate', { context: this.context });
  }

  async close(): Promise<void> {
    await this.browser.bidi.send('browsingContext.close', { context: this.context }).catch(() => undefined);
  }
}

export class FirefoxBrowser {
  private chromeContext: string | null = null;

  private constructor(
    readonly bidi: BidiConnection,
    private readonly child: ChildProcess,
    private readonly profileDir: string,
    readonly downloadDir: string,
    /** The window's first tab. */
    readonly firstTab: FirefoxTab,
  ) {}

  static async launch(opts: FirefoxLaunchOptions = {}): Promise<FirefoxBrowser> {
    const distDir = opts.distDir ?? FIREFOX_DIST_DIR;
    const withExtension = opts.extension ?? true;
    if (withExtension) assertFirefoxBuilt(distDir);
    const profileDir = await mkdtemp(join(tmpdir(), 'tg-errors-firefox-'));
    const downloadDir = opts.downloadDir ?? join(profileDir, 'downloads');
    await writeFile(join(profileDir, 'user.js'), userJs({ ...basePrefs(downloadDir), ...opts.prefs }));
    const args = [
      ...((opts.headless ?? true) ? ['--headless'] : []),
      '--no-remote',
      '--profile',
      profileDir,
      '--remote-debugging-port=0',
      // Opens moz-extension:// navigation and the chrome scope (stopping the background, DevTools) to BiDi.
      '--remote-allow-system-access',
      'about:blank',
    ];
    const child = spawn(FIREFOX_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`Firefox printed no BiDi address in 30 s:\n${seen.slice(-2000)}`)), 30_000);
      const onData = (chunk: Buffer) => {
        seen += String(chunk);
        const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`Firefox exited (${code}) before BiDi was up:\n${seen.slice(-2000)}`)));
    });
    // Keep draining its output (remote-settings noise without a network) so it never blocks.
    child.stderr!.resume();
    child.stdout!.resume();
    const bidi = await BidiConnection.connect(`${url}/session`);
    await bidi.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true, unhandledPromptBehavior: { default: 'ignore' } } } });
    if (withExtension) await bidi.send('webExtension.install', { extensionData: { type: 'path', path: distDir } });
    const { contexts } = await bidi.send<{ contexts: { context: string }[] }>('browsingContext.getTree', { maxDepth: 0 });
    const browser = new FirefoxBrowser(bidi, child, profileDir, downloadDir, null as unknown as FirefoxTab);
    (browser as { firstTab: FirefoxTab }).firstTab = new FirefoxTab(browser, contexts[0].context);
    return browser;
  }

  async newTab(url?: string): Promise<FirefoxTab> {
    const { context } = await this.bidi.send<{ context: string }>('browsingContext.create', { type: 'tab' });
    const tab = new FirefoxTab(this, context);
    if (url) await tab.goto(url);
    return tab;
  }

  /**
   * Evaluates in the browser window itself (chrome scope: gBrowser, Services,
   * WebExtensionPolicy, DevTools' loader). Firefox internals: keep it to what the tests need.
   */
  async evaluateChrome<T>(expression: string): Promise<T> {
    if (!this.chromeContext) {
      const { contexts } = await this.bidi.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', {
        'moz:scope': 'chrome',
        maxDepth: 0,
      });
      const win = contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
      if (!win) throw new Error(`no browser window in chrome scope: ${contexts.map((c) => c.url).join(', ')}`);
      this.chromeContext = win.context;
    }
    const result = await this.bidi.send<{ type: string; result?: RemoteValue; exceptionDetails?: { text?: string } }>('script.evaluate', {
      expression: jsonCall(`(async () => (${expression}))()`, undefined),
      target: { context: this.chromeContext },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    return parseJsonResult<T>(result, 'chrome-scope evaluate');
  }

  async close(): Promise<void> {
    try {
      await this.bidi.send('browser.close', {}, 5000);
    } catch (err) {
      if (!(err instanceof BidiError) && !String(err).includes('closed')) this.child.kill('SIGKILL');
    }
    this.bidi.close();
    if (this.child.exitCode === null) {
      await Promise.race([new Promise((r) => this.child.once('exit', r)), sleep(5000)]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    await rm(this.profileDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

export interface LogSnapshot {
  records: ErrorRecord[];
  stats: TabStats;
}

/** Drives the add-on inside one Firefox: its background's log, tab ids, badge, panel pages. */
export class FirefoxExtensionHarness {
  private messenger: FirefoxTab | null = null;

  constructor(readonly browser: FirefoxBrowser) {}

  get origin(): string {
    return ADDON_ORIGIN;
  }

  /**
   * An add-on page that runs no extension code of its own (the panel without a tab only
   * says so): runtime messages and tabs/action queries go through it.
   */
  async extensionPage(): Promise<FirefoxTab> {
    if (!this.messenger) {
      this.messenger = await this.browser.newTab();
      await this.messenger.goto(`${ADDON_ORIGIN}/${PANEL_PATH}`);
    }
    return this.messenger;
  }

  /** Runs `fn(arg)` in an add-on page (browser.* available); JSON in and out. */
  async evaluateInExtension<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T> {
    return (await this.extensionPage()).evaluate(fn, arg);
  }

  async sendRuntimeMessage(message: unknown): Promise<unknown> {
    return this.evaluateInExtension((msg: unknown) => (globalThis as unknown as { browser: typeof chrome }).browser.runtime.sendMessage(msg), message);
  }

  /**
   * The tab id of a tab: by its URL (tabs.query shows the URLs of the sites the add-on may
   * enter: the default ones and those enabled); when several tabs share it, the one made active.
   */
  async tabIdOf(tab: FirefoxTab): Promise<number> {
    const url = await tab.url();
    const query = (u: string) =>
      (globalThis as unknown as { browser: typeof chrome }).browser.tabs
        .query({})
        .then((all: chrome.tabs.Tab[]) => all.filter((t) => t.url === u).map((t) => ({ id: t.id, active: t.active })));
    let found = await this.evaluateInExtension(query, url);
    if (found.length > 1) {
      await tab.activate();
      found = (await this.evaluateInExtension(query, url)).filter((t) => t.active);
    }
    if (found.length !== 1 || typeof found[0].id !== 'number') throw new Error(`no single tab for ${url}: ${JSON.stringify(found)}`);
    return found[0].id;
  }

  async getLog(tabId: number): Promise<LogSnapshot> {
    const request: GetLogRequest = { type: 'get-log', tabId };
    const answer = await this.sendRuntimeMessage(request);
    if (!answer || typeof answer !== 'object' || !Array.isArray((answer as LogSnapshot).records)) {
      throw new Error(`the background did not answer get-log with {records, stats}: got ${JSON.stringify(answer)}`);
    }
    return answer as LogSnapshot;
  }

  /** The log once captures stopped arriving: at least `atLeast` records, then a count that holds still. */
  async settledLog(tabId: number, atLeast = 0): Promise<LogSnapshot> {
    return settleLog(() => this.getLog(tabId), atLeast);
  }

  async badge(tabId: number): Promise<string> {
    return this.evaluateInExtension((id: number) => (globalThis as unknown as { browser: typeof chrome }).browser.action.getBadgeText({ tabId: id }), tabId);
  }

  /** "running", "stopped", ... as Firefox names the event page's state. */
  async backgroundState(): Promise<string> {
    return this.browser.evaluateChrome<string>(`String(WebExtensionPolicy.getByID(${JSON.stringify(FIREFOX_ADDON_ID)}).extension.backgroundState)`);
  }

  /** Suspends the event page (as Firefox does when it idles) and waits until it is stopped. */
  async stopBackground(): Promise<void> {
    await this.browser.evaluateChrome(`WebExtensionPolicy.getByID(${JSON.stringify(FIREFOX_ADDON_ID)}).extension.terminateBackground().then(() => true)`);
    await poll('the background to stop', 10_000, async () => (await this.backgroundState()) === 'stopped');
  }

  /** The panel opened as an ordinary page for one tab (it reads `?tabId=`). */
  async openPanelPage(tabId: number, query = ''): Promise<FirefoxTab> {
    const tab = await this.browser.newTab();
    await tab.goto(`${ADDON_ORIGIN}/${PANEL_PATH}?tabId=${tabId}${query}`);
    return tab;
  }
}
