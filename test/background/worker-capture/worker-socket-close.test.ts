// A worker socket's close, as chrome.debugger reports it (Network.webSocketClosed), or its
// worker's end (Target.detachedFromTarget), settles the calls still waiting on it as
// `unanswered` at once, as the page hook's close note does for the page's own sockets; the
// calls it answered stay `ok`. Through the real path: manager -> captures -> decodeCapture -> CallStore.

import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { WorkerCaptureManager } from '../../../src/background/worker-capture/manager.ts';
import { CallStore } from '../../../src/background/calls/call-store.ts';
import { EncryptedTriage } from '../../../src/core/mtproto/decrypt/encrypted-triage.ts';
import { CaptureSession, decodeCapture } from '../../../src/core/capture/decode-capture.ts';
import { AuthKey, KeyRing } from '../../../src/core/keys/index.ts';
import type { HookCapture } from '../../../src/core/capture/capture.ts';
import type { DebuggeeLike, DebuggerApi, DebuggerTargetInfo } from '../../../src/platform/extension-api.ts';
import { refEncryptMessage } from '../../mtproto/mtproto2-reference.ts';
import { rpcResult, tl } from '../../mtproto/tl-helpers.ts';
import { obfuscatedConnection } from '../../mtproto/stream-helpers.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';

const KEY = new Uint8Array(randomBytes(256));
const SESSION = Buffer.alloc(8, 0x5a);
const enc = (direction: 'in' | 'out', msgId: bigint, body: Uint8Array) =>
  new Uint8Array(refEncryptMessage(KEY, body, { direction, msgId, sessionId: SESSION }));
const T0 = Date.parse('2026-12-06T05:00:00.000Z');

/** getState answered; sendMessage never answered. */
const conversation = () => ({
  out: [
    enc('out', 0x6500000000000004n, tl({ _: 'updates.getState' })),
    enc('out', 0x6500000000000008n, tl({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'hi', randomId: 7n })),
  ],
  in: [enc('in', 0x6500000000000101n, rpcResult(0x6500000000000004n, tl({ _: 'updates.state', pts: 1, qts: 0, date: 1, seq: 0, unreadCount: 0 })))],
});

class FakeDebugger implements DebuggerApi {
  targets: DebuggerTargetInfo[] = [];
  private event: (s: DebuggeeLike, m: string, p: unknown) => void = () => undefined;
  private detachHandler: (s: DebuggeeLike, r: string) => void = () => undefined;
  async attach() {}
  async detach() {}
  sendCommand(): Promise<unknown> {
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
  ended(s: DebuggeeLike, reason: string) {
    this.detachHandler(s, reason);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A worker's socket (a dedicated worker's, or with `shared` a SharedWorker's found by the poll) that carried both calls. */
async function workerSocket(shared = false) {
  let now = T0;
  const dbg = new FakeDebugger();
  const triage = new EncryptedTriage();
  triage.setKeys([KEY]);
  const delivered: HookCapture[] = [];
  let poll = () => undefined as void;
  const manager = new WorkerCaptureManager({
    debugger: dbg,
    originOf: async () => 'https://app.example',
    triageFor: () => triage,
    onCaptures: (_tabId, captures) => delivered.push(...captures),
    onState: () => undefined,
    remember: async () => undefined,
    setInterval: (fn) => ((poll = fn), 1),
    clearInterval: () => undefined,
    now: () => now,
  });
  if (shared) dbg.targets = [{ id: 'SW', type: 'worker', url: 'https://app.example/shared.js', attached: false }];
  await manager.set(5, true);
  let worker: DebuggeeLike = { tabId: 5, sessionId: 'W1' };
  if (shared) {
    await tick();
    poll();
    await tick();
    worker = { targetId: 'SW' };
  } else dbg.emit({ tabId: 5 }, 'Target.attachedToTarget', { sessionId: 'W1', targetInfo: { type: 'worker', url: 'https://app.example/w.js' } });
  dbg.emit(worker, 'Network.webSocketCreated', { requestId: 'R1', url: 'wss://venus.web.telegram.org/apiws' });
  for (const [dir, bytes] of obfuscatedConnection('abridged', 2, conversation()).chunks) {
    dbg.emit(worker, dir === 'out' ? 'Network.webSocketFrameSent' : 'Network.webSocketFrameReceived', {
      requestId: 'R1',
      response: { opcode: 2, payloadData: Buffer.from(bytes).toString('base64') },
    });
  }
  // As main.ts does with the worker's captures: decode with the origin's keys, then the call log.
  const ring = new KeyRing();
  ring.add(new AuthKey(KEY, 'hex', 2));
  const calls = new CallStore(new MemoryStorage(), undefined, undefined, () => now);
  const session = new CaptureSession();
  let seen = 0;
  const settle = async () => {
    for (const capture of delivered.slice(seen)) {
      const decoded = decodeCapture(capture, session, ring);
      await calls.see(5, capture, decoded, decoded.records);
    }
    seen = delivered.length;
    return (await calls.calls(5)).map((c) => [c.method, c.outcome]);
  };
  return { dbg, worker, delivered, settle, later: (ms: number) => (now += ms) };
}

describe("a worker socket's close", () => {
  it('settles its waiting calls as unanswered at once (Network.webSocketClosed)', async () => {
    const { dbg, worker, delivered, settle, later } = await workerSocket();
    expect(await settle()).toEqual([
      ['updates.getState', 'ok'],
      ['messages.sendMessage', 'pending'],
    ]);
    later(1_000);
    dbg.emit(worker, 'Network.webSocketClosed', { requestId: 'R1' });
    expect(delivered.at(-1)).toMatchObject({ kind: 'request', closed: true, conn: delivered[0].conn });
    expect(await settle()).toEqual([
      ['updates.getState', 'ok'],
      ['messages.sendMessage', 'unanswered'],
    ]);
  });

  it("settles them when its worker ends (no webSocketClosed follows the target's end)", async () => {
    const { dbg, settle, later } = await workerSocket();
    later(1_000);
    dbg.emit({ tabId: 5 }, 'Target.detachedFromTarget', { sessionId: 'W1' });
    expect(await settle()).toEqual([
      ['updates.getState', 'ok'],
      ['messages.sendMessage', 'unanswered'],
    ]);
  });

  it('settles those of a SharedWorker that ended; Cancel on the browser bar settles nothing', async () => {
    const ended = await workerSocket(true);
    ended.later(1_000);
    ended.dbg.ended({ targetId: 'SW' }, 'target_closed');
    expect(await ended.settle()).toEqual([
      ['updates.getState', 'ok'],
      ['messages.sendMessage', 'unanswered'],
    ]);
    const canceled = await workerSocket(true);
    canceled.dbg.ended({ targetId: 'SW' }, 'canceled_by_user');
    expect(await canceled.settle()).toEqual([
      ['updates.getState', 'ok'],
      ['messages.sendMessage', 'pending'],
    ]);
  });

  it('says nothing for a socket that carried no call', async () => {
    const { dbg, delivered } = await workerSocket();
    dbg.emit({ tabId: 5, sessionId: 'W1' }, 'Network.webSocketCreated', { requestId: 'R2', url: 'wss://example.org/chat' });
    const before = delivered.length;
    dbg.emit({ tabId: 5, sessionId: 'W1' }, 'Network.webSocketClosed', { requestId: 'R2' });
    expect(delivered.length).toBe(before);
  });
});
