// Debian's Chromium driven over --remote-debugging-pipe with nothing attached to its pages:
// Playwright instruments every page it knows (the Network domain reports each WebSocket
// frame, base64 and all, from the page's own main thread), which a page in a user's
// browser does not pay. Benchmarks of what the page costs use this instead.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/harness/extension-browser.ts';

interface Reply {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

/** Cumulative CPU seconds of each of the browser's processes, by process id. */
export type ProcessCpu = Map<number, { type: string; seconds: number }>;

/**
 * CPU seconds spent between two readings: by the renderers (pages, and an extension's
 * service worker) and by all processes. Summed per process, so one that started in between
 * counts from zero and one that ended in between takes nothing away.
 */
export function cpuBetween(before: ProcessCpu, after: ProcessCpu): { renderer: number; all: number } {
  let renderer = 0;
  let all = 0;
  for (const [id, { type, seconds }] of after) {
    const spent = seconds - (before.get(id)?.seconds ?? 0);
    all += spent;
    if (type === 'renderer') renderer += spent;
  }
  return { renderer, all };
}

const CALL_TIMEOUT_MS = 60_000;

export class PipeBrowser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private buffered = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const input = child.stdio[4] as Readable;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.receive(chunk));
    // A browser that dies fails whatever waits on it, instead of leaving it waiting.
    (child.stdio[3] as Writable).on('error', () => undefined);
    child.once('exit', () => {
      this.exited = true;
      for (const waiter of this.pending.values()) waiter.reject(new Error('Chromium exited'));
      this.pending.clear();
    });
  }

  /** Starts a headless Chromium with `extraArgs` (the extension's flags, or none). */
  static async launch(extraArgs: string[]): Promise<PipeBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
    const args = new Set([
      '--headless',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      '--no-default-browser-check',
      // A page opened by Target.createTarget must run at full speed, like a focused tab.
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
      ...CHROMIUM_ARGS,
      ...extraArgs, // extensionArgs() repeats CHROMIUM_ARGS: the set keeps one of each
    ]);
    const child = spawn(CHROMIUM_PATH, [...args, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    const browser = new PipeBrowser(child, profile);
    try {
      await browser.send('Browser.getVersion');
    } catch (error) {
      await browser.close();
      throw error;
    }
    return browser;
  }

  /** A CDP command to the browser, or with `sessionId` to a target attached by attach(). */
  send<T = unknown>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`Chromium exited before ${method}`));
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${CALL_TIMEOUT_MS / 1000} s`));
      }, CALL_TIMEOUT_MS);
      const settle = (): void => clearTimeout(timer);
      this.pending.set(id, {
        resolve: (value) => (settle(), (resolve as (value: unknown) => void)(value)),
        reject: (error) => (settle(), reject(error)),
      });
    });
    (this.child.stdio[3] as Writable).write(`${JSON.stringify(sessionId === undefined ? { id, method, params } : { id, method, params, sessionId })}\0`);
    return reply;
  }

  async cpu(): Promise<ProcessCpu> {
    const { processInfo } = await this.send<{ processInfo: Array<{ id: number; type: string; cpuTime: number }> }>('SystemInfo.getProcessInfo');
    return new Map(processInfo.map((p) => [p.id, { type: p.type, seconds: p.cpuTime }]));
  }

  /** Opens a tab on `url`; returns its target id. */
  async open(url: string): Promise<string> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url });
    return targetId;
  }

  /** A flat session on a target (only the domains asked for are enabled: nothing else instruments it). */
  async attach(targetId: string): Promise<string> {
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    return sessionId;
  }

  async targets(): Promise<Array<{ targetId: string; type: string; url: string }>> {
    const { targetInfos } = await this.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets');
    return targetInfos;
  }

  async closeTarget(targetId: string): Promise<void> {
    await this.send('Target.closeTarget', { targetId });
  }

  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end: number;
    while ((end = this.buffered.indexOf('\0')) >= 0) {
      const reply = JSON.parse(this.buffered.slice(0, end)) as Reply;
      this.buffered = this.buffered.slice(end + 1);
      if (reply.id === undefined) continue; // an event: none is asked for
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(reply.error.message));
      else waiter?.resolve(reply.result);
    }
  }
}
