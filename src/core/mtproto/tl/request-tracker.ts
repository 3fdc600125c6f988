// Remembers which method each outgoing msg_id carried, so that an incoming
// rpc_result (which names only req_msg_id) can say which call failed.
// Bounded (oldest entries go first) and serialisable for a service worker restart.

export interface TrackedRequest {
  method: string | null;
  /** '0x0d9d75a4'. */
  constructorId: string;
  /** The request's parameters, secrets masked, as JSON text (when the decoder was asked for them). */
  params?: string;
  /** Salted digest of the unmasked parameters (random_id left out): equal for an identical repeat. */
  fingerprint?: string;
}

/** Turns a request (its boxed object at bytes[start, end)) into masked parameters and a fingerprint. */
export type DescribeRequest = (bytes: Uint8Array, start: number, end: number) => { params: string; fingerprint: string } | null;

/** [msgId (decimal), method, constructorId, params?, fingerprint?]: params and fingerprint when the decoder kept them. */
export type SavedTrackedRequest = [string, string | null, string, (string | null)?, (string | null)?];

export interface SavedRequestTracker {
  v: 1;
  capacity: number;
  /** Oldest first. */
  entries: SavedTrackedRequest[];
}

export interface TrackerSaveLimits {
  /** Only the newest this many requests (default all). */
  maxEntries?: number;
  /** Parameters longer than this many characters are left out (the method and fingerprint stay). */
  maxParamsChars?: number;
}

export const DEFAULT_TRACKER_CAPACITY = 4096;

export class RequestTracker {
  readonly capacity: number;
  // Map keeps insertion order, which makes it a cheap FIFO for eviction.
  private readonly byMsgId = new Map<string, TrackedRequest>();

  constructor(capacity = DEFAULT_TRACKER_CAPACITY) {
    this.capacity = Number.isInteger(capacity) && capacity > 0 ? Math.min(capacity, 1 << 20) : DEFAULT_TRACKER_CAPACITY;
  }

  get size(): number {
    return this.byMsgId.size;
  }

  remember(msgId: string, request: TrackedRequest): void {
    // A resent msg_id moves to the newest position.
    this.byMsgId.delete(msgId);
    this.byMsgId.set(msgId, request);
    while (this.byMsgId.size > this.capacity) {
      const oldest = this.byMsgId.keys().next().value;
      if (oldest === undefined) break;
      this.byMsgId.delete(oldest);
    }
  }

  lookup(msgId: string | null): TrackedRequest | null {
    if (msgId === null) return null;
    return this.byMsgId.get(msgId) ?? null;
  }

  /** Plain data for restore(); parameters are the masked ones the decoder kept (no secret). */
  save(limits: TrackerSaveLimits = {}): SavedRequestTracker {
    const entries: SavedTrackedRequest[] = [];
    const skip = limits.maxEntries === undefined ? 0 : Math.max(0, this.byMsgId.size - Math.max(0, limits.maxEntries));
    const maxParams = limits.maxParamsChars ?? Infinity;
    let i = 0;
    for (const [id, r] of this.byMsgId) {
      if (i++ < skip) continue;
      const entry: SavedTrackedRequest = [id, r.method, r.constructorId];
      if (r.params !== undefined || r.fingerprint !== undefined)
        entry.push(r.params !== undefined && r.params.length <= maxParams ? r.params : null, r.fingerprint ?? null);
      entries.push(entry);
    }
    return { v: 1, capacity: this.capacity, entries };
  }

  /** Accepts anything; malformed input yields an empty tracker rather than an exception. */
  static restore(saved: unknown): RequestTracker {
    const s = saved as Partial<SavedRequestTracker> | null;
    const tracker = new RequestTracker(typeof s?.capacity === 'number' ? s.capacity : DEFAULT_TRACKER_CAPACITY);
    if (!s || s.v !== 1 || !Array.isArray(s.entries)) return tracker;
    for (const e of s.entries) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[2] !== 'string') continue;
      const request: TrackedRequest = { method: typeof e[1] === 'string' ? e[1] : null, constructorId: e[2] };
      if (typeof e[3] === 'string') request.params = e[3];
      if (typeof e[4] === 'string') request.fingerprint = e[4];
      tracker.remember(e[0], request);
    }
    return tracker;
  }
}
