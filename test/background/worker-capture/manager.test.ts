// The chrome.debugger side of "Capture inside workers", against a fake debugger: the exact
// commands (pipelined for a waiting worker, nothing on the tab's own session but auto-attach),
// SharedWorkers found by polling and attached by targetId, Cancel on the browser's bar, off =
// everything detached, and a socket whose start was missed listed as unreadable.

import { describe, expect, it } from 'vitest';
import type { DebuggeeLike, DebuggerApi, DebuggerTargetInfo } from '../../../src/platform/extension-api.ts';
import { WorkerCaptureManager, CANCELED, type SharedDelivery } from '../../../src/background/worker-capture/manager.ts';
import type { HookCapture } from '../../../src/core/capture/capture.ts';
import type { WorkerCaptureMessage } from '../../../src/shared/messages.ts';
import { obfuscatedConnection } from '../../mtproto/stream-helpers.ts';

class FakeDebugger implements DebuggerApi {
  log: string[] = [];
  targets: DebuggerTargetInfo[] = [];
  attached = new Set<string>();
  pending: (() => void)[] = [];
  holdCommands = false;
  private event: (s: DebuggeeLike, m: string, p: unknown) => void = () => undefined;
  private detachHandler: (s: DebuggeeLike, r: string) => void = () => undefined;
  private key = (t: DebuggeeLike) => (t.tabId !== undefined ? `tab:${t.tabId}` : `target:${t.targetId}`);
  async attach(t: DebuggeeLike) {
    this.log.push(`attach ${this.key(t)}`);
    this.attached.add(this.key(t));
  }
  async detach(t: DebuggeeLike) {
    this.log.push(`detach ${this.key(t)}`);
    this.attached.delete(this.key(t));
  }
  sendCommand(t: DebuggeeLike, method: string, params?: Record<string, unknown>): Promise<unknown> {
    this.log.push(`${t.sessionId ?? this.key(t)} ${method}${params ? ' ' + JSON.stringify(params) : ''}`);
    // A waiting service worker answers nothing before it runs: a command awaited in turn never settles.
    if (this.holdCommands) return new Promise((resolve) => this.pending.push(() => resolve({})));
    return Promise.resolve({});
  }
  async getTargets() {
    return this.targets;
  }
  onEvent(h: (s: DebuggeeLike, m: string, p: unknown) => void) {
    this.event = h;
  }
  onDetach(h: (s: DebuggeeLike, r: string) => void) {
    this.detachHandler = h;
  }
  emit(s: DebuggeeLike, m: string, p: unknown) {
    this.event(s, m, p);
  }
  cancel() {
    for (const k of [...this.attached]) {
      this.attached.delete(k);
      this.detachHandler(k.startsWith('tab:') ? { tabId: Number(k.slice(4)) } : { targetId: k.slice(7) }, 'canceled_by_user');
    }
  }
}

function setup() {
  const dbg = new FakeDebugger();
  const captures: HookCapture[] = [];
  const delivered: { tabId: number; captures: HookCapture[]; shared?: SharedDelivery }[] = [];
  const states: WorkerCaptureMessage[] = [];
  const remembered = new Map<number, boolean>();
  let poll: (() => void) | null = null;
  const manager = new WorkerCaptureManager({
    debugger: dbg,
    originOf: async () => 'https://app.example',
    triageFor: () => null,
    onCaptures: (tabId, c, shared) => {
      captures.push(...c);
      delivered.push({ tabId, captures: c, shared });
    },
    onState: (_t, s) => states.push(s),
    remember: async (t, on) => void remembered.set(t, on),
    // One poll per tab: the last set wins here, and any tab's poll finds the origin's workers.
    setInterval: (fn) => ((poll = fn), 1),
    clearInterval: () => undefined,
  });
  return { dbg, captures, delivered, states, remembered, manager, poll: () => poll?.() };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const frames = (dbg: FakeDebugger, source: DebuggeeLike, requestId: string, chunks: [string, Uint8Array][]) => {
  for (const [dir, bytes] of chunks) {
    dbg.emit(source, dir === 'out' ? 'Network.webSocketFrameSent' : 'Network.webSocketFrameReceived', {
      requestId,
      timestamp: 1,
      response: { opcode: 2, mask: dir === 'out', payloadData: Buffer.from(bytes).toString('base64') },
    });
  }
};

describe('WorkerCaptureManager', () => {
  it('on: the tab gets auto-attach only; a waiting worker gets its commands pipelined, then runs', async () => {
    const { dbg, manager, remembered, states } = setup();
    await manager.set(5, true);
    expect(dbg.log).toEqual(['attach tab:5', 'tab:5 Target.setAutoAttach {"autoAttach":true,"waitForDebuggerOnStart":true,"flatten":true}']);
    expect(remembered.get(5)).toBe(true);
    expect(states.at(-1)).toMatchObject({ on: true, status: 'on' });
    dbg.log = [];
    dbg.holdCommands = true; // as a waiting service worker: nothing answers until it runs
    dbg.emit({ tabId: 5 }, 'Target.attachedToTarget', {
      sessionId: 'S1',
      targetInfo: { type: 'service_worker', url: 'https://app.example/sw.js' },
      waitingForDebugger: true,
    });
    expect(dbg.log).toEqual([
      'S1 Network.enable',
      'S1 Target.setAutoAttach {"autoAttach":true,"waitForDebuggerOnStart":true,"flatten":true}',
      'S1 Runtime.runIfWaitingForDebugger',
    ]);
    // An iframe auto-attached is only let run.
    dbg.log = [];
    dbg.emit({ tabId: 5 }, 'Target.attachedToTarget', { sessionId: 'F1', targetInfo: { type: 'iframe', url: 'https://x/' }, waitingForDebugger: true });
    expect(dbg.log).toEqual(['F1 Runtime.runIfWaitingForDebugger']);
    expect(manager.state(5).workers).toEqual([{ kind: 'service-worker', url: 'https://app.example/sw.js' }]);
  });

  it("a worker socket seen from its creation is read; frames on the tab's own session are not (the hook has them)", async () => {
    const { dbg, manager, captures } = setup();
    await manager.set(5, true);
    dbg.emit({ tabId: 5 }, 'Target.attachedToTarget', {
      sessionId: 'W1',
      targetInfo: { type: 'worker', url: 'https://app.example/w.js' },
      waitingForDebugger: true,
    });
    const { chunks } = obfuscatedConnection('abridged', 2);
    dbg.emit({ tabId: 5, sessionId: 'W1' }, 'Network.webSocketCreated', { requestId: 'R1', url: 'wss://venus.web.telegram.org/apiws' });
    frames(dbg, { tabId: 5, sessionId: 'W1' }, 'R1', chunks);
    expect(captures.length).toBeGreaterThan(2);
    expect(captures.every((c) => c.url === 'wss://venus.web.telegram.org/apiws' && c.channel === 'websocket')).toBe(true);
    expect(manager.state(5)).toMatchObject({ reading: 1, unreadable: [] });
    const before = captures.length;
    frames(dbg, { tabId: 5 }, 'R9', chunks);
    expect(captures.length).toBe(before);
  });

  it('a socket whose start was missed is listed as unreadable; the forced reconnect closes it', async () => {
    const { dbg, manager, captures } = setup();
    await manager.set(5, true);
    dbg.emit({ tabId: 5 }, 'Target.attachedToTarget', {
      sessionId: 'W1',
      targetInfo: { type: 'worker', url: 'https://app.example/w.js' },
      waitingForDebugger: false,
    });
    frames(dbg, { tabId: 5, sessionId: 'W1' }, 'R1', obfuscatedConnection('abridged', 2).chunks.slice(2));
    expect(captures).toEqual([]);
    expect(manager.state(5).unreadable).toEqual([
      { url: null, worker: 'https://app.example/w.js', kind: 'worker', reason: expect.stringMatching(/first bytes were missed/) },
    ]);
    dbg.log = [];
    await manager.reconnect(5);
    expect(dbg.log.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['W1 Runtime.evaluate']);
    expect(manager.state(5).unreadable).toEqual([]);
  });

  it("SharedWorkers of the tab's origin are attached by targetId from the poll, once", async () => {
    const { dbg, manager, poll } = setup();
    dbg.targets = [
      { id: 'SW', type: 'worker', url: 'https://app.example/shared.js', attached: false },
      { id: 'OTHER', type: 'worker', url: 'https://elsewhere.example/shared.js', attached: false },
      { id: 'EXT', type: 'worker', url: 'chrome-extension://abc/bg.js', attached: true },
      { id: 'PAGE', type: 'page', url: 'https://app.example/', attached: true, tabId: 5 },
    ];
    await manager.set(5, true);
    await tick();
    poll();
    await tick();
    expect(dbg.log.filter((l) => l.includes('target:'))).toEqual([
      'attach target:SW',
      'target:SW Network.enable',
      'target:SW Target.setAutoAttach {"autoAttach":true,"waitForDebuggerOnStart":true,"flatten":true}',
    ]);
    expect(manager.state(5).workers).toEqual([{ kind: 'shared-worker', url: 'https://app.example/shared.js' }]);
  });

  it("Cancel on the browser's bar turns the switch off and says so; off detaches everything", async () => {
    const { dbg, manager, remembered, poll } = setup();
    dbg.targets = [{ id: 'SW', type: 'worker', url: 'https://app.example/shared.js', attached: false }];
    await manager.set(5, true);
    await tick();
    poll();
    await tick();
    dbg.cancel();
    await tick();
    expect(manager.state(5)).toMatchObject({ on: false, status: 'canceled', problem: CANCELED });
    expect(remembered.get(5)).toBe(false);

    await manager.set(5, true);
    await tick();
    poll();
    await tick();
    expect(dbg.attached).toEqual(new Set(['tab:5', 'target:SW']));
    await manager.set(5, false);
    expect(dbg.attached).toEqual(new Set());
    expect(manager.state(5)).toMatchObject({ on: false, status: 'off' });
  });

  it('a tab the debugger cannot attach to: the switch stays off and the panel is told why', async () => {
    const { dbg, manager } = setup();
    dbg.attach = async () => {
      throw new Error('Cannot access a chrome:// URL');
    };
    await manager.set(5, true);
    expect(manager.state(5)).toMatchObject({ on: false, status: 'failed', problem: 'Capture inside workers could not start: Cannot access a chrome:// URL' });
  });

  it('two tabs of one origin share a SharedWorker: attached once, both read it, detached when the last tab leaves', async () => {
    const { dbg, manager, delivered } = setup();
    dbg.targets = [{ id: 'SW', type: 'worker', url: 'https://app.example/shared.js', attached: false }];
    await manager.set(5, true);
    await tick();
    await manager.set(6, true);
    await tick();
    // Each tab's first poll ran when its switch went on: tab 6's found the worker tab 5 attached.
    expect(dbg.log.filter((l) => l === 'attach target:SW')).toHaveLength(1);
    expect(manager.state(5).workers).toEqual([{ kind: 'shared-worker', url: 'https://app.example/shared.js', tabs: 2 }]);
    expect(manager.state(6).workers).toEqual([{ kind: 'shared-worker', url: 'https://app.example/shared.js', tabs: 2 }]);

    // Its socket is read once; each capture goes to both tabs under one key.
    const { chunks } = obfuscatedConnection('abridged', 2);
    dbg.emit({ targetId: 'SW' }, 'Network.webSocketCreated', { requestId: 'R1', url: 'wss://venus.web.telegram.org/apiws' });
    frames(dbg, { targetId: 'SW' }, 'R1', chunks);
    const toFive = delivered.filter((d) => d.tabId === 5);
    const toSix = delivered.filter((d) => d.tabId === 6);
    expect(toFive.length).toBeGreaterThan(0);
    expect(toSix.map((d) => d.shared)).toEqual(toFive.map((d) => d.shared));
    expect(toSix.map((d) => d.captures)).toEqual(toFive.map((d) => d.captures));
    expect(toFive[0].shared!.tabs).toEqual([5, 6]);
    expect(new Set(toFive.flatMap((d) => d.shared!.keys)).size).toBe(toFive.reduce((n, d) => n + d.captures.length, 0));
    expect(manager.state(6).reading).toBe(1);

    // Tab 5 leaves: the worker stays attached for tab 6, which alone reads it now.
    await manager.set(5, false);
    expect(dbg.attached.has('target:SW')).toBe(true);
    expect(manager.state(6).workers).toEqual([{ kind: 'shared-worker', url: 'https://app.example/shared.js' }]);
    delivered.length = 0;
    dbg.emit({ targetId: 'SW' }, 'Network.webSocketCreated', { requestId: 'R2', url: 'wss://venus.web.telegram.org/apiws' });
    frames(dbg, { targetId: 'SW' }, 'R2', chunks);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((d) => d.tabId === 6 && d.shared?.tabs.length === 1)).toBe(true);
    // Tab 6 leaves too: detached.
    await manager.set(6, false);
    expect(dbg.attached.has('target:SW')).toBe(false);
    expect(dbg.attached).toEqual(new Set());
  });

  it('Cancel on the bar with two tabs reading one SharedWorker turns both switches off', async () => {
    const { dbg, manager } = setup();
    dbg.targets = [{ id: 'SW', type: 'worker', url: 'https://app.example/shared.js', attached: false }];
    await manager.set(5, true);
    await manager.set(6, true);
    await tick();
    dbg.cancel();
    await tick();
    expect(manager.state(5)).toMatchObject({ on: false, status: 'canceled' });
    expect(manager.state(6)).toMatchObject({ on: false, status: 'canceled' });
  });
});
