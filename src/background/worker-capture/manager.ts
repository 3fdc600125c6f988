// "Capture inside workers": the WebSocket traffic of a tab's dedicated workers, SharedWorkers
// and service workers, read through chrome.debugger (content scripts do not run in workers),
// each socket's whole messages turned into the page hook's captures by SocketUnitReader
// (src/core/mtproto/transport/socket-units.ts) and handed to the background's one decoder.
//
// How each kind is reached (facts checked in Chromium 156, see docs/worker-capture.md):
//   - dedicated workers and service workers: the tab's Target.setAutoAttach {autoAttach,
//     waitForDebuggerOnStart, flatten}. A new worker is held before its first statement; its
//     commands are sent without awaiting one another (a waiting service worker never answers
//     a command before Runtime.runIfWaitingForDebugger: awaiting Network.enable deadlocks it)
//     and ordering makes Network.enable take effect before the worker runs, so its sockets are
//     seen from their first byte. Nothing is injected into workers.
//   - SharedWorkers: the tab's auto-attach never reports them; they are found by polling
//     chrome.debugger.getTargets() (same origin as the tab) and attached by targetId. There is
//     no pause: a socket opened before the attach is not readable (the panel offers the forced
//     reconnect, and Web K's ?noSharedWorker=1).
//     A SharedWorker serves every tab of its origin, and Chrome lets one extension hold one
//     session per target: it is attached once, whichever tab found it first, and every tab with
//     the switch on subscribes to it. Its sockets are read once (one reader per socket) and the
//     captures go to every subscribed tab, tagged so the tabs can tell the copies of one error
//     (src/background/worker-capture/shared-wire.ts decides which tab lists it). It is detached
//     when the last subscribed tab turns its switch off or closes.
// The tab's own session never enables Network: the page's sockets are the hook's, so no socket
// is counted twice. Every other target auto-attached (iframes) is only let run.

import { WORKER_KEYS_EXPRESSION, workerKeysOf, type WorkerKey } from './worker-memory-keys.ts';
import type { DebuggeeLike, DebuggerApi, DebuggerTargetInfo } from '../../platform/extension-api.ts';
import type { HookCapture } from '../../core/capture/capture.ts';
import type { EncryptedTriage } from '../../core/mtproto/decrypt/encrypted-triage.ts';
import { SocketUnitReader, type SocketReadability } from '../../core/mtproto/transport/socket-units.ts';
import type { WorkerCaptureMessage, WorkerKind } from '../../shared/messages.ts';

export const PROTOCOL_VERSION = '1.3';
/** How often SharedWorkers are looked for while a tab's switch is on. */
export const SHARED_WORKER_POLL_MS = 100;
const AUTO_ATTACH = { autoAttach: true, waitForDebuggerOnStart: true, flatten: true };
/** Sockets listed as unreadable, at most (the oldest go first). */
const MAX_UNREADABLE = 20;

export interface WorkerCaptureDeps {
  debugger: DebuggerApi;
  /** The tab's top-frame origin (SharedWorkers of that origin are the tab's). */
  originOf(tabId: number): Promise<string | null>;
  /** The triage armed with the keys given for the tab's origin, or null. */
  triageFor(tabId: number): EncryptedTriage | null;
  /**
   * Captures read on a worker's socket, in order. A SharedWorker's go to every subscribed tab,
   * with `shared`: one key per capture (equal in every tab) and the tabs it went to.
   */
  onCaptures(tabId: number, captures: HookCapture[], shared?: SharedDelivery): void;
  /** The tab's state changed: for its panels. */
  onState(tabId: number, state: WorkerCaptureMessage): void;
  /** Remembers the switch per tab while the tab lives (session storage). */
  remember(tabId: number, on: boolean): Promise<void>;
  now?: () => number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  pollMs?: number;
}

/** A SharedWorker's captures, delivered to several tabs. */
export interface SharedDelivery {
  keys: string[];
  tabs: number[];
}

interface Session {
  /** The debuggee commands for this session go to. */
  target: DebuggeeLike;
  kind: WorkerKind;
  url: string;
}

interface Socket {
  reader: SocketUnitReader;
  url: string | null;
  session: string;
  readability: SocketReadability;
}

/** Where sessions and sockets live: a tab (its own auto-attached workers) or a SharedWorker target. */
interface Scope {
  /** Child sessions by key: `s:<sessionId>` (auto-attached) or `t:<targetId>` (the SharedWorker itself). */
  sessions: Map<string, Session>;
  sockets: Map<string, Socket>;
  unreadable: WorkerCaptureMessage['unreadable'];
}

interface TabCapture extends Scope {
  tabId: number;
  on: boolean;
  status: WorkerCaptureMessage['status'];
  problem: string | null;
  /** SharedWorker targets this tab subscribes to. */
  shared: Set<string>;
  serviceWorkerUrls: Set<string>;
  poll: unknown;
  polling: boolean;
  nextConn: number;
}

/** A SharedWorker attached once, read for every tab subscribed to it. */
interface SharedTarget extends Scope {
  targetId: string;
  url: string;
  /** Tabs with the switch on that found it (same origin), in subscription order. */
  tabs: Set<number>;
  /** Numbers the captures read here, so each tab's copy of one capture has the same key. */
  seq: number;
}

const kindOf = (type: string): WorkerKind | null =>
  type === 'worker' ? 'worker' : type === 'shared_worker' ? 'shared-worker' : type === 'service_worker' ? 'service-worker' : null;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class WorkerCaptureManager {
  private readonly tabs = new Map<number, TabCapture>();
  /** SharedWorkers attached, by targetId (each once, whatever the number of tabs). */
  private readonly sharedTargets = new Map<string, SharedTarget>();
  /** Targets polls must not attach: being attached now, or a service worker a tab reads itself. */
  private readonly skipTargets = new Set<string>();
  /** Connection ids of SharedWorker sockets: one sequence, as every tab sees them. */
  private nextSharedConn = 0;
  private readonly now: () => number;

  constructor(private readonly deps: WorkerCaptureDeps) {
    this.now = deps.now ?? (() => Date.now());
    deps.debugger.onEvent((source, method, params) => this.onEvent(source, method, params));
    deps.debugger.onDetach((source, reason) => this.onDetach(source, reason));
  }

  state(tabId: number): WorkerCaptureMessage {
    const tab = this.tabs.get(tabId);
    if (!tab) return { type: 'worker-capture', on: false, status: 'off', problem: null, workers: [], reading: 0, unreadable: [] };
    const scopes: Scope[] = [tab, ...[...tab.shared].flatMap((id) => this.sharedTargets.get(id) ?? [])];
    let reading = 0;
    for (const scope of scopes) for (const socket of scope.sockets.values()) if (socket.readability === 'reading') reading++;
    const workers: WorkerCaptureMessage['workers'] = [];
    for (const scope of scopes) {
      const tabs = scope === tab ? 0 : (scope as SharedTarget).tabs.size;
      for (const s of scope.sessions.values()) workers.push(tabs > 1 ? { kind: s.kind, url: s.url, tabs } : { kind: s.kind, url: s.url });
    }
    return {
      type: 'worker-capture',
      on: tab.on,
      status: tab.status,
      problem: tab.problem,
      workers,
      reading,
      unreadable: scopes.flatMap((scope) => scope.unreadable).slice(-MAX_UNREADABLE),
    };
  }

  isOn(tabId: number): boolean {
    return this.tabs.get(tabId)?.on === true;
  }

  /** Turns the tab's switch on or off. Off means every session of the tab detached. */
  async set(tabId: number, on: boolean): Promise<void> {
    if (on) await this.start(tabId);
    else await this.stop(tabId, 'off', null);
  }

  private tab(tabId: number): TabCapture {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = {
        tabId,
        on: false,
        status: 'off',
        problem: null,
        sessions: new Map(),
        shared: new Set(),
        sockets: new Map(),
        unreadable: [],
        serviceWorkerUrls: new Set(),
        poll: null,
        polling: false,
        nextConn: 0,
      };
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  private emit(tab: TabCapture): void {
    this.deps.onState(tab.tabId, this.state(tab.tabId));
  }

  /** Tells every tab that reads this scope. */
  private emitScope(scope: TabCapture | SharedTarget): void {
    if ('tabId' in scope) return this.emit(scope);
    for (const tabId of scope.tabs) {
      const tab = this.tabs.get(tabId);
      if (tab) this.emit(tab);
    }
  }

  private async start(tabId: number): Promise<void> {
    const tab = this.tab(tabId);
    if (tab.on && tab.status === 'on') return;
    tab.on = true;
    tab.status = 'starting';
    tab.problem = null;
    this.emit(tab);
    try {
      await this.deps.debugger.attach({ tabId }, PROTOCOL_VERSION);
    } catch (error) {
      const text = errorText(error);
      // Still attached from before this worker restarted: go on with that session.
      if (!/already attached/i.test(text)) {
        tab.on = false;
        tab.status = 'failed';
        tab.problem = `Capture inside workers could not start: ${text}`;
        await this.deps.remember(tabId, false);
        this.emit(tab);
        return;
      }
    }
    try {
      await this.deps.debugger.sendCommand({ tabId }, 'Target.setAutoAttach', AUTO_ATTACH);
    } catch (error) {
      await this.detachAll(tab);
      tab.on = false;
      tab.status = 'failed';
      tab.problem = `Capture inside workers could not start: ${errorText(error)}`;
      await this.deps.remember(tabId, false);
      this.emit(tab);
      return;
    }
    tab.status = 'on';
    await this.deps.remember(tabId, true);
    this.startPolling(tab);
    this.emit(tab);
  }

  private async stop(tabId: number, status: 'off' | 'canceled' | 'failed', problem: string | null): Promise<void> {
    const tab = this.tab(tabId);
    tab.on = false;
    tab.status = status;
    tab.problem = problem;
    this.stopPolling(tab);
    await this.detachAll(tab);
    tab.sessions.clear();
    tab.sockets.clear();
    tab.unreadable = [];
    await this.deps.remember(tabId, false);
    this.emit(tab);
  }

  private async detachAll(tab: TabCapture): Promise<void> {
    const jobs: Promise<unknown>[] = [];
    for (const targetId of tab.shared) jobs.push(this.unsubscribe(tab, targetId));
    jobs.push(this.deps.debugger.detach({ tabId: tab.tabId }).catch(() => undefined));
    await Promise.all(jobs);
  }

  /** The tab leaves a SharedWorker: detached when it was the last tab reading it; the others are told. */
  private async unsubscribe(tab: TabCapture, targetId: string): Promise<void> {
    tab.shared.delete(targetId);
    const shared = this.sharedTargets.get(targetId);
    if (!shared) return;
    shared.tabs.delete(tab.tabId);
    if (shared.tabs.size > 0) return this.emitScope(shared);
    this.sharedTargets.delete(targetId);
    await this.deps.debugger.detach({ targetId }).catch(() => undefined);
  }

  /** The tab closed: nothing to detach of its own (the browser did), its state goes. */
  forgetTab(tabId: number): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    this.stopPolling(tab);
    for (const id of [...tab.shared]) void this.unsubscribe(tab, id);
    this.tabs.delete(tabId);
  }

  /** A page started loading in the tab: unreadable sockets of the old page are gone. */
  pageStarted(tabId: number): void {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.unreadable.length === 0) return;
    tab.unreadable = [];
    this.emit(tab);
  }

  /**
   * The forced reconnect: closes the open WebSockets of each worker that holds a socket
   * capture cannot read, so the client opens new ones, read from their first byte. Returns how
   * many sockets were closed.
   */
  async reconnect(tabId: number): Promise<number> {
    const tab = this.tabs.get(tabId);
    if (!tab?.on) return 0;
    const scopes: (TabCapture | SharedTarget)[] = [tab, ...[...tab.shared].flatMap((id) => this.sharedTargets.get(id) ?? [])];
    let closed = 0;
    for (const scope of scopes) {
      const keys = new Set([...scope.sockets.values()].filter((s) => s.readability === 'unreadable').map((s) => s.session));
      for (const key of keys) {
        const session = scope.sessions.get(key);
        if (!session) continue;
        closed += await this.closeSockets(session.target).catch(() => 0);
      }
      scope.unreadable = [];
      for (const [id, socket] of scope.sockets) if (socket.readability === 'unreadable') scope.sockets.delete(id);
      if (scope !== tab) this.emitScope(scope);
    }
    this.emit(tab);
    return closed;
  }

  /**
   * Keys the tab's workers hold in memory only (Web K's temporary keys), read from each attached
   * dedicated or shared worker; the caller keeps only those whose id the traffic shows.
   */
  async readWorkerKeys(tabId: number): Promise<WorkerKey[]> {
    const tab = this.tabs.get(tabId);
    if (!tab?.on) return [];
    const found: WorkerKey[] = [];
    for (const session of tab.sessions.values()) {
      if (session.kind === 'service-worker') continue;
      const result = await this.deps.debugger
        .sendCommand(session.target, 'Runtime.evaluate', {
          expression: WORKER_KEYS_EXPRESSION,
          awaitPromise: true,
          returnByValue: true,
          silent: true,
          timeout: 2000,
        })
        .catch(() => null);
      found.push(...workerKeysOf(result));
    }
    return found.slice(0, 64);
  }

  private async closeSockets(target: DebuggeeLike): Promise<number> {
    const api = this.deps.debugger;
    const proto = (await api.sendCommand(target, 'Runtime.evaluate', { expression: 'WebSocket.prototype' })) as { result?: { objectId?: string } };
    const prototypeObjectId = proto.result?.objectId;
    if (!prototypeObjectId) return 0;
    const found = (await api.sendCommand(target, 'Runtime.queryObjects', { prototypeObjectId })) as { objects?: { objectId?: string } };
    const objectId = found.objects?.objectId;
    if (!objectId) return 0;
    const done = (await api.sendCommand(target, 'Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: 'function () { let n = 0; for (const ws of this) if (ws.readyState < 2) { ws.close(); n++; } return n; }',
      returnByValue: true,
    })) as { result?: { value?: number } };
    return Number(done.result?.value ?? 0);
  }

  // ---- SharedWorkers: found by polling, attached by targetId ----

  private startPolling(tab: TabCapture): void {
    if (tab.poll !== null) return;
    const every = this.deps.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
    tab.poll = every(() => void this.pollShared(tab), this.deps.pollMs ?? SHARED_WORKER_POLL_MS);
    void this.pollShared(tab);
  }

  private stopPolling(tab: TabCapture): void {
    if (tab.poll === null) return;
    (this.deps.clearInterval ?? ((h: unknown) => clearInterval(h as ReturnType<typeof setInterval>)))(tab.poll);
    tab.poll = null;
  }

  async pollShared(tab: TabCapture): Promise<void> {
    if (tab.polling || !tab.on) return;
    tab.polling = true;
    try {
      const origin = await this.deps.originOf(tab.tabId);
      if (!origin) return;
      const targets = await this.deps.debugger.getTargets();
      for (const target of targets) if (this.isTabsSharedWorker(tab, target, origin)) await this.attachShared(tab, target);
    } catch {
      // The next poll tries again.
    } finally {
      tab.polling = false;
    }
  }

  private isTabsSharedWorker(tab: TabCapture, target: DebuggerTargetInfo, origin: string): boolean {
    if (target.type !== 'worker' && target.type !== 'shared_worker') return false;
    if (tab.shared.has(target.id) || this.skipTargets.has(target.id) || tab.serviceWorkerUrls.has(target.url)) return false;
    try {
      return new URL(target.url).origin === origin;
    } catch {
      return false;
    }
  }

  private async attachShared(tab: TabCapture, target: DebuggerTargetInfo): Promise<void> {
    const known = this.sharedTargets.get(target.id);
    if (known) {
      // Attached already for another tab: this tab reads it too (one session per target).
      known.tabs.add(tab.tabId);
      tab.shared.add(target.id);
      this.emitScope(known);
      return;
    }
    this.skipTargets.add(target.id);
    const debuggee = { targetId: target.id };
    try {
      await this.deps.debugger.attach(debuggee, PROTOCOL_VERSION);
    } catch (error) {
      // Still attached from before this service worker restarted: go on with that session.
      if (!/already attached/i.test(errorText(error))) {
        this.skipTargets.delete(target.id);
        return;
      }
    }
    this.skipTargets.delete(target.id);
    if (!tab.on) {
      await this.deps.debugger.detach(debuggee).catch(() => undefined);
      return;
    }
    const shared: SharedTarget = {
      targetId: target.id,
      url: target.url,
      tabs: new Set([tab.tabId]),
      seq: 0,
      sessions: new Map(),
      sockets: new Map(),
      unreadable: [],
    };
    shared.sessions.set(`t:${target.id}`, { target: debuggee, kind: 'shared-worker', url: target.url });
    this.sharedTargets.set(target.id, shared);
    tab.shared.add(target.id);
    // Pipelined: nothing waits for Network.enable before the next command goes.
    const api = this.deps.debugger;
    void api.sendCommand(debuggee, 'Network.enable').catch(() => undefined);
    void api.sendCommand(debuggee, 'Target.setAutoAttach', AUTO_ATTACH).catch(() => undefined);
    this.emitScope(shared);
  }

  // ---- Events ----

  /** The scope an event belongs to: the tab's (tab sessions) or a SharedWorker's (its target and the sessions under it). */
  private scopeOf(source: DebuggeeLike): TabCapture | SharedTarget | null {
    if (source.tabId !== undefined) {
      const tab = this.tabs.get(source.tabId);
      return tab?.on ? tab : null;
    }
    if (source.targetId === undefined) return null;
    const shared = this.sharedTargets.get(source.targetId);
    return shared && shared.tabs.size > 0 ? shared : null;
  }

  private onEvent(source: DebuggeeLike, method: string, params: unknown): void {
    const scope = this.scopeOf(source);
    if (!scope) return;
    const p = (params ?? {}) as Record<string, unknown>;
    switch (method) {
      case 'Target.attachedToTarget':
        return this.attached(scope, source, p);
      case 'Target.detachedFromTarget':
        return this.detached(scope, String(p.sessionId));
      case 'Network.webSocketCreated':
        return this.created(scope, source, p);
      case 'Network.webSocketFrameSent':
        return this.frame(scope, source, 'out', p);
      case 'Network.webSocketFrameReceived':
        return this.frame(scope, source, 'in', p);
      case 'Network.webSocketClosed':
        return this.closed(scope, source, p);
    }
  }

  private attached(scope: TabCapture | SharedTarget, source: DebuggeeLike, p: Record<string, unknown>): void {
    const sessionId = String(p.sessionId);
    const info = (p.targetInfo ?? {}) as { type?: string; url?: string };
    const child: DebuggeeLike = source.targetId !== undefined ? { targetId: source.targetId, sessionId } : { tabId: source.tabId, sessionId };
    const kind = kindOf(String(info.type));
    const api = this.deps.debugger;
    const send = (command: string, params?: Record<string, unknown>) => void api.sendCommand(child, command, params).catch(() => undefined);
    // All sent at once, never awaited in turn (see the head of this file).
    if (kind !== null) {
      scope.sessions.set(`s:${sessionId}`, { target: child, kind, url: String(info.url ?? '') });
      if (kind === 'service-worker' && 'tabId' in scope) {
        scope.serviceWorkerUrls.add(String(info.url ?? ''));
        this.dropSharedNamed(scope, String(info.url ?? ''));
      }
      send('Network.enable');
      send('Target.setAutoAttach', AUTO_ATTACH);
    }
    if (p.waitingForDebugger === true) send('Runtime.runIfWaitingForDebugger');
    if (kind !== null) this.emitScope(scope);
  }

  /** A service worker that a poll took for a SharedWorker (both are `worker` in getTargets): counted once, by the tab. */
  private dropSharedNamed(tab: TabCapture, url: string): void {
    for (const [targetId, shared] of this.sharedTargets) {
      if (shared.url !== url) continue;
      this.sharedTargets.delete(targetId);
      // Kept out of polls: the tabs read it through their own auto-attach.
      this.skipTargets.add(targetId);
      for (const tabId of shared.tabs) {
        const other = this.tabs.get(tabId);
        other?.shared.delete(targetId);
        if (other && other !== tab) this.emit(other);
      }
      void this.deps.debugger.detach({ targetId }).catch(() => undefined);
    }
  }

  private detached(scope: TabCapture | SharedTarget, sessionId: string): void {
    const key = `s:${sessionId}`;
    if (!scope.sessions.delete(key)) return;
    for (const [id, socket] of scope.sockets) {
      if (socket.session !== key) continue;
      // The worker ended, and its sockets with it (no webSocketClosed follows): its waiting calls are unanswered.
      this.deliver(scope, socket.reader.closed(this.now()));
      if (socket.readability !== 'unreadable') scope.sockets.delete(id);
    }
    this.emitScope(scope);
  }

  private sessionKey(source: DebuggeeLike): string | null {
    if (source.sessionId !== undefined) return `s:${source.sessionId}`;
    if (source.targetId !== undefined) return `t:${source.targetId}`;
    return null; // the tab's own session: the page's sockets are the hook's
  }

  private created(scope: TabCapture | SharedTarget, source: DebuggeeLike, p: Record<string, unknown>): void {
    const session = this.sessionKey(source);
    if (session === null) return;
    const url = String(p.url ?? '');
    this.newSocket(scope, session, String(p.requestId), url, true);
  }

  private newSocket(scope: TabCapture | SharedTarget, session: string, requestId: string, url: string | null, fromStart: boolean): Socket {
    const conn = 'tabId' in scope ? `w${++scope.nextConn}` : `s${++this.nextSharedConn}`;
    const reader = new SocketUnitReader({ url: url ?? 'wss://(opened before capture started)/', conn, fromStart, triage: () => this.triageOf(scope) });
    const socket: Socket = { reader, url, session, readability: 'waiting' };
    scope.sockets.set(`${session}|${requestId}`, socket);
    return socket;
  }

  /** The keys are per origin, and a SharedWorker's tabs share its origin: any subscribed tab's triage reads it. */
  private triageOf(scope: TabCapture | SharedTarget): EncryptedTriage | null {
    if ('tabId' in scope) return this.deps.triageFor(scope.tabId);
    for (const tabId of scope.tabs) {
      const triage = this.deps.triageFor(tabId);
      if (triage) return triage;
    }
    return null;
  }

  private frame(scope: TabCapture | SharedTarget, source: DebuggeeLike, direction: 'in' | 'out', p: Record<string, unknown>): void {
    const session = this.sessionKey(source);
    if (session === null) return;
    const requestId = String(p.requestId);
    const response = (p.response ?? {}) as { opcode?: number; payloadData?: string };
    if (typeof response.payloadData !== 'string') return;
    const socket = scope.sockets.get(`${session}|${requestId}`) ?? this.newSocket(scope, session, requestId, null, false);
    const captures = socket.reader.message(direction, Number(response.opcode), response.payloadData, this.now());
    const readability = socket.reader.status().readability;
    if (readability !== socket.readability) {
      socket.readability = readability;
      if (readability === 'unreadable') this.listUnreadable(scope, socket);
      if (readability === 'unreadable' || readability === 'reading') this.emitScope(scope);
    }
    this.deliver(scope, captures);
  }

  /** A tab's captures to it; a SharedWorker's to each of its tabs, keyed so its records are stored once. */
  private deliver(scope: TabCapture | SharedTarget, captures: HookCapture[]): void {
    if (captures.length === 0) return;
    if ('tabId' in scope) return this.deps.onCaptures(scope.tabId, captures);
    const tabs = [...scope.tabs];
    const keys = captures.map(() => `${scope.targetId}:${++scope.seq}`);
    for (const tabId of tabs) this.deps.onCaptures(tabId, captures, { keys, tabs });
  }

  private listUnreadable(scope: Scope, socket: Socket): void {
    const session = scope.sessions.get(socket.session);
    scope.unreadable.push({
      url: socket.url,
      worker: session?.url ?? '',
      kind: session?.kind ?? 'worker',
      reason: socket.reader.status().reason ?? 'its first bytes were missed',
    });
    if (scope.unreadable.length > MAX_UNREADABLE) scope.unreadable.shift();
  }

  private closed(scope: TabCapture | SharedTarget, source: DebuggeeLike, p: Record<string, unknown>): void {
    const session = this.sessionKey(source);
    if (session === null) return;
    const id = `${session}|${String(p.requestId)}`;
    const socket = scope.sockets.get(id);
    if (!socket) return;
    scope.sockets.delete(id);
    // Its calls still waiting are unanswered now, as on the page's own sockets (the hook's close note).
    this.deliver(scope, socket.reader.closed(this.now()));
    if (socket.readability === 'reading') this.emitScope(scope);
  }

  private onDetach(source: DebuggeeLike, reason: string): void {
    if (source.targetId !== undefined && source.tabId === undefined) {
      const shared = this.sharedTargets.get(source.targetId);
      if (!shared) return;
      // The SharedWorker ended (not Cancel, which only stops the watching): its sockets with it.
      if (reason !== 'canceled_by_user') for (const socket of shared.sockets.values()) this.deliver(shared, socket.reader.closed(this.now()));
      this.sharedTargets.delete(source.targetId);
      for (const tabId of shared.tabs) {
        const tab = this.tabs.get(tabId);
        if (!tab) continue;
        tab.shared.delete(source.targetId);
        if (reason === 'canceled_by_user' && tab.on) void this.stop(tabId, 'canceled', CANCELED);
        else this.emit(tab);
      }
      return;
    }
    if (source.tabId === undefined) return;
    const tab = this.tabs.get(source.tabId);
    if (!tab?.on) return;
    if (reason === 'canceled_by_user') void this.stop(tab.tabId, 'canceled', CANCELED);
    else void this.stop(tab.tabId, 'failed', `Capture inside workers stopped: the browser ended the debugging session (${reason}).`);
  }
}

export const CANCELED =
  'Capture inside workers was turned off: Cancel was pressed on the browser\'s "started debugging this browser" bar. Turn the switch on again to resume.';
