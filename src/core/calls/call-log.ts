// One tab's call log: a ring of calls in the order seen (the oldest dropped and counted past
// its capacity), and what links each call to its outcome: its answer by msg_id (MTProto), its
// error record by req_msg_id or, for calls the page paired itself (JSON, worker calls), by
// method and fingerprint; the connection closing, or ANSWER_TIMEOUT_MS passing, leaves it
// unanswered. Pure and synchronous: the background owns one per tab and stores what changes.

import { ANSWER_TIMEOUT_MS, type CallRecord, type ErrorBefore, type NewCall } from './call.ts';
import { beforeOfWindow, callsInWindow } from './before.ts';
import type { Channel, ErrorClass } from '../record.ts';

export const DEFAULT_CALL_CAPACITY = 50_000;
/** Calls of one method and channel waiting for an error to pair by fingerprint are searched this far. */
const PAIR_SEARCH = 64;
/** A worker-boundary call and the request its worker sent for it: at most this far apart (the worker may first connect). */
export const WIRE_TWIN_MS = 30_000;
/** Clocks of the page and of the wire reader may disagree by this much. */
const WIRE_TWIN_SKEW_MS = 1_000;

/** An error record as the log links it to its call. */
export interface ErrorSeen {
  /** The record's id; absent while the record is not stored yet (see attachRecord). */
  id?: number;
  /** Epoch ms. */
  at: number;
  method: string | null;
  channel: Channel;
  dc: number | null;
  class: ErrorClass;
  waitSeconds?: number;
  reqMsgId?: string;
  /** The fingerprint of the request the page paired the error with. */
  fingerprint?: string | null;
  /**
   * The client's own call the page paired the error with (Web A's `fetchMessages`) when `method`
   * is the Telegram method its error text named (`messages.getHistory`): the call log knows the
   * call by this name.
   */
  clientCall?: string;
}

export interface LinkedError {
  /**
   * The call the error answered (made from the error when its request was not seen); null for
   * an error that answers no call (transport errors, protocol notices about unseen messages,
   * errors naming no method).
   */
  call: CallRecord | null;
  /** True when `call` is new (the request was not in the log). */
  created: boolean;
  before: ErrorBefore;
}

export interface SavedCallLog {
  nextId: number;
  dropped: number;
  calls: CallRecord[];
}

export class CallLog {
  readonly capacity: number;
  /** items[start..] are the calls kept, oldest first; the dead prefix is cut now and then. */
  private items: CallRecord[] = [];
  private start = 0;
  private nextId = 1;
  private droppedCount = 0;
  /** Pending calls by msg_id. */
  private readonly byMsgId = new Map<string, CallRecord>();
  /** Pending calls the hook noted (JSON, worker calls), by key. */
  private readonly byKey = new Map<string, CallRecord>();
  /** Pending calls without a msg_id, by channel and method, oldest first (settled ones skipped lazily). */
  private readonly unpaired = new Map<string, CallRecord[]>();
  /** Pending calls with their fingerprints (page-paired calls). */
  private readonly fingerprints = new WeakMap<CallRecord, string>();
  /** Calls in the order added, for the timeout sweep (settled ones skipped lazily). */
  private pendingQueue: CallRecord[] = [];
  private pendingHead = 0;

  constructor(capacity = DEFAULT_CALL_CAPACITY) {
    this.capacity = Number.isInteger(capacity) && capacity > 0 ? capacity : DEFAULT_CALL_CAPACITY;
  }

  get size(): number {
    return this.items.length - this.start;
  }

  /** Calls dropped from the ring, oldest first, since the log began. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The id the next call gets. */
  get nextCallId(): number {
    return this.nextId;
  }

  /** The calls kept, oldest first (a copy). */
  calls(): CallRecord[] {
    return this.items.slice(this.start);
  }

  add(fresh: NewCall & { fingerprint?: string | null }): CallRecord {
    const call: CallRecord = {
      id: this.nextId++,
      at: fresh.at,
      method: fresh.method,
      dc: fresh.dc,
      channel: fresh.channel,
      outcome: 'pending',
      durationMs: null,
      recordId: null,
    };
    if (fresh.msgId !== undefined) call.msgId = fresh.msgId;
    if (fresh.conn !== undefined) call.conn = fresh.conn;
    if (fresh.key !== undefined) call.key = fresh.key;
    this.push(call);
    this.trackPending(call);
    if (fresh.fingerprint) this.fingerprints.set(call, fresh.fingerprint);
    return call;
  }

  private push(call: CallRecord): void {
    this.items.push(call);
    if (this.items.length - this.start > this.capacity) {
      const old = this.items[this.start++];
      this.droppedCount++;
      if (old.msgId !== undefined && this.byMsgId.get(old.msgId) === old) this.byMsgId.delete(old.msgId);
      if (old.key !== undefined && this.byKey.get(old.key) === old) this.byKey.delete(old.key);
      if (this.start >= 4096) {
        this.items = this.items.slice(this.start);
        this.start = 0;
      }
    }
  }

  private trackPending(call: CallRecord): void {
    if (call.outcome !== 'pending') return;
    if (call.msgId !== undefined) this.byMsgId.set(call.msgId, call);
    else {
      // A noted call is answered by its key, or linked to its error by method like any page-paired call.
      if (call.key !== undefined) this.byKey.set(call.key, call);
      const key = pairKey(call.channel, call.method);
      let list = this.unpaired.get(key);
      if (!list) this.unpaired.set(key, (list = []));
      list.push(call);
      if (list.length > 4 * PAIR_SEARCH) list.splice(0, list.length - 4 * PAIR_SEARCH);
    }
    this.pendingQueue.push(call);
  }

  /**
   * A successful answer to the call sent as `msgId` (rpc_result without an error). An answer is
   * the truth: it settles a call given up as unanswered too (its connection's close was heard
   * before its last answers were read). Returns the call settled, or null.
   */
  answered(msgId: string, at: number): CallRecord | null {
    const call = this.byMsgId.get(msgId);
    if (!call || (call.outcome !== 'pending' && call.outcome !== 'unanswered')) return null;
    this.byMsgId.delete(msgId);
    call.outcome = 'ok';
    call.durationMs = Math.max(0, at - call.at);
    return call;
  }

  /**
   * The hook saw the answer to the call it noted as `key`. An answer it did not report holds no
   * error: the call is `ok`. An answer it reported went to the decoder first: an error in it has
   * already settled the call, so a call still waiting held none (the prefilter let through an
   * answer that only looked like an error): `ok` as well. Returns the call settled, or null.
   */
  answeredByKey(key: string, at: number): CallRecord | null {
    const call = this.byKey.get(key);
    if (call === undefined) return null;
    this.byKey.delete(key);
    if (call.outcome !== 'pending' && call.outcome !== 'unanswered') return null;
    call.outcome = 'ok';
    call.durationMs = Math.max(0, at - call.at);
    return call;
  }

  /**
   * The hook saw the call it noted as `key` end without an answer (a fetch that failed, an XHR
   * aborted or failed on the network): `unanswered` now rather than after ANSWER_TIMEOUT_MS.
   * Returns the call, or null when it was not waiting.
   */
  unansweredByKey(key: string): CallRecord | null {
    const call = this.byKey.get(key);
    if (call === undefined) return null;
    this.byKey.delete(key);
    return call.outcome === 'pending' ? this.unanswer(call) : null;
  }

  /**
   * A request read on a worker's wire (Capture inside workers) that a worker-boundary call still
   * waiting already stands for: the page asked its worker, the worker sent it. The boundary call
   * is logged until the wire shows requests (main.ts), so the first calls were seen twice. Rather
   * than a second call, the boundary's takes the wire's msg_id (the wire's answer settles it), its
   * channel, DC and connection. It is the oldest pending boundary call of the same method made up to
   * WIRE_TWIN_MS before the request. Returns it, or null (then the request is a call of its own).
   */
  adoptWireTwin(fresh: NewCall): CallRecord | null {
    if (fresh.msgId === undefined || fresh.method === null) return null;
    const list = this.unpaired.get(pairKey('worker', fresh.method));
    if (!list) return null;
    for (let i = 0; i < list.length && i < PAIR_SEARCH; i++) {
      const call = list[i];
      if (call.outcome !== 'pending' || call.msgId !== undefined) continue;
      if (call.at > fresh.at + WIRE_TWIN_SKEW_MS || fresh.at - call.at > WIRE_TWIN_MS) continue;
      list.splice(i, 1);
      call.msgId = fresh.msgId;
      // Where it went: the wire's channel, DC and connection (the Calls view and the export say so).
      call.channel = fresh.channel;
      if (call.dc === null) call.dc = fresh.dc;
      if (fresh.conn !== undefined) call.conn = fresh.conn;
      this.byMsgId.set(fresh.msgId, call);
      return call;
    }
    return null;
  }

  /** Calls the hook could not note (past its bound): counted as dropped. */
  countDropped(n: number): void {
    if (Number.isSafeInteger(n) && n > 0) this.droppedCount += n;
  }

  /**
   * Links an error record to its call, computing the error's `before` from the calls seen up to
   * it. A call is found by req_msg_id, else (page-paired calls) the oldest pending call of the
   * same method and channel, preferring the one with the error's fingerprint; without one the
   * call is made from the error.
   */
  linkError(error: ErrorSeen): LinkedError {
    const linked = this.errorArrived(error);
    if (error.id !== undefined && linked.call !== null) this.attachRecord(linked.call, error.id);
    return linked;
  }

  /** `linkError` for a record not stored yet: its call has no recordId until attachRecord. */
  errorArrived(error: ErrorSeen): LinkedError {
    let call = this.findCallOf(error);
    let created = false;
    if (call === null && (error.method === null || error.class === 'TRANSPORT' || error.class === 'PROTOCOL')) {
      return { call: null, created, before: beforeOfWindow(callsInWindow(this.items, error.at, undefined, this.start), error.method, null) };
    }
    if (call === null) {
      call = {
        id: this.nextId++,
        at: error.at,
        method: error.method,
        dc: error.dc,
        channel: error.channel,
        outcome: 'error',
        durationMs: null,
        recordId: null,
        fromError: true,
      };
      if (error.reqMsgId !== undefined) call.msgId = error.reqMsgId;
      this.push(call);
      created = true;
    } else {
      call.durationMs = Math.max(0, error.at - call.at);
      if (call.dc === null) call.dc = error.dc;
    }
    call.outcome = 'error';
    call.recordId = error.id ?? null;
    call.errorClass = error.class;
    if (error.waitSeconds !== undefined) call.waitSeconds = error.waitSeconds;
    const inWindow = callsInWindow(this.items, error.at, undefined, this.start);
    // The same method as the failing call as the log names it (a client call's name, if so).
    return { call, created, before: beforeOfWindow(inWindow, call.method, call.id) };
  }

  private findCallOf(error: ErrorSeen): CallRecord | null {
    if (error.reqMsgId !== undefined) {
      const call = this.byMsgId.get(error.reqMsgId);
      if (call) {
        this.byMsgId.delete(error.reqMsgId);
        return call;
      }
      return null;
    }
    // A call the page paired the error with is logged by the client's name for it.
    if (error.clientCall !== undefined) {
      const call = this.pendingCallNamed(error, error.clientCall);
      if (call !== null) return call;
    }
    return this.pendingCallNamed(error, error.method);
  }

  /** The oldest pending call of `method` on the error's channel, the one with its fingerprint first. */
  private pendingCallNamed(error: ErrorSeen, method: string | null): CallRecord | null {
    const list = this.unpaired.get(pairKey(error.channel, method));
    if (!list) return null;
    while (list.length > 0 && list[0].outcome !== 'pending') list.shift();
    let pick = -1;
    for (let i = 0; i < list.length && i < PAIR_SEARCH; i++) {
      const c = list[i];
      if (c.outcome !== 'pending' || c.at > error.at) continue;
      if (pick < 0) pick = i;
      if (error.fingerprint && this.fingerprints.get(c) === error.fingerprint) {
        pick = i;
        break;
      }
    }
    if (pick < 0) return null;
    return list.splice(pick, 1)[0];
  }

  /** The stored record of an error linked by errorArrived. */
  attachRecord(call: CallRecord, recordId: number): void {
    call.recordId = recordId;
  }

  /** Whether any call may still be pending (the timeout sweep has work). */
  get mayHavePending(): boolean {
    return this.pendingHead < this.pendingQueue.length;
  }

  /** The connection closed: its pending calls are unanswered. */
  connectionClosed(conn: string): CallRecord[] {
    const out: CallRecord[] = [];
    for (let i = this.pendingHead; i < this.pendingQueue.length; i++) {
      const c = this.pendingQueue[i];
      if (c.outcome === 'pending' && c.conn === conn) out.push(this.unanswer(c));
    }
    return out;
  }

  /** Calls pending for ANSWER_TIMEOUT_MS by `now` become unanswered. Returns them. */
  expire(now: number): CallRecord[] {
    const out: CallRecord[] = [];
    const q = this.pendingQueue;
    while (this.pendingHead < q.length) {
      const c = q[this.pendingHead];
      if (c.outcome === 'pending') {
        if (now - c.at < ANSWER_TIMEOUT_MS) break;
        out.push(this.unanswer(c));
      }
      this.pendingHead++;
    }
    if (this.pendingHead >= 4096) {
      this.pendingQueue = q.slice(this.pendingHead);
      this.pendingHead = 0;
    }
    return out;
  }

  /** Kept by msg_id: a late answer still settles it (see answered). */
  private unanswer(call: CallRecord): CallRecord {
    call.outcome = 'unanswered';
    call.durationMs = null;
    return call;
  }

  save(): SavedCallLog {
    return { nextId: this.nextId, dropped: this.droppedCount, calls: this.calls() };
  }

  /** Rebuilds a log from what `save` (or the store) kept; malformed calls are skipped. */
  static restore(saved: Partial<SavedCallLog> | null | undefined, capacity = DEFAULT_CALL_CAPACITY): CallLog {
    const log = new CallLog(capacity);
    const calls = Array.isArray(saved?.calls) ? saved.calls.filter(isCallRecord).sort((a, b) => a.id - b.id) : [];
    for (const c of calls) {
      log.push(c);
      log.trackPending(c);
    }
    const lastId = calls.at(-1)?.id ?? 0;
    log.nextId = Math.max(lastId + 1, typeof saved?.nextId === 'number' ? saved.nextId : 1);
    log.droppedCount += typeof saved?.dropped === 'number' && saved.dropped >= 0 ? saved.dropped : 0;
    return log;
  }
}

const pairKey = (channel: Channel, method: string | null) => `${channel}\u0000${method ?? ''}`;

function isCallRecord(value: unknown): value is CallRecord {
  const c = value as Partial<CallRecord> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isSafeInteger(c.id) &&
    typeof c.at === 'number' &&
    typeof c.channel === 'string' &&
    typeof c.outcome === 'string'
  );
}
