// One message between the page and a worker, port or channel, in either direction:
// remembers the calls it makes, names the call an error answers, and reports only what
// the prefilters pick (error objects as bounded JSON, binary values that can hold an
// rpc_error, text that can hold an error). Errors are reported where the page receives
// them; what the page posts is read for pairing only: an error the page posts is one it
// received on some channel (Web A's tab relays forward worker answers), and reporting it
// again would list every relayed error twice. No DOM here, so it is unit-tested directly.

import type { Direction } from '../../core/record.ts';
import { mayContainRpcError } from '../common/binary-prefilter.ts';
import { bytesOf } from '../common/natives.ts';
import { mayContainApiErrorText } from '../common/text-prefilter.ts';
import type { CaptureSource, Reporter } from '../common/report.ts';
import { serializeBounded } from './safe-serialize.ts';
import { scanMessage } from './structured-prefilter.ts';
import { readClonedOwn, readPageOwn } from './structured-natives.ts';
import { RecentCalls, type CallMade } from './worker-calls.ts';
import { pageFingerprint } from '../common/request-fingerprint.ts';

/** What the hook keeps per worker, port or channel: ids and small bounded maps only. */
export interface MessageChannelState {
  conn: string;
  url: string;
  /** Calls the page sent, answered by incoming messages. */
  sent: RecentCalls | null;
  /** Calls the other side sent, answered by the page. */
  received: RecentCalls | null;
}

export function newChannelState(conn: string, url: string): MessageChannelState {
  return { conn, url, sent: null, received: null };
}

function sourceOf(state: MessageChannelState, direction: Direction, method: string | undefined): CaptureSource {
  const source: CaptureSource = { channel: 'worker', direction, url: state.url, conn: state.conn };
  if (method !== undefined) source.method = method;
  return source;
}

/** A call's source: its method, and its input's fingerprint, made only if the capture is sent. */
function callSource(state: MessageChannelState, direction: Direction, call: CallMade): CaptureSource {
  const source = sourceOf(state, direction, call.method);
  const { input, read } = call;
  if (read !== undefined) source.fingerprintOf = () => pageFingerprint.value(input, read);
  return source;
}

export function inspectWorkerMessage(report: Reporter, state: MessageChannelState, direction: Direction, data: unknown): void {
  const outgoing = direction === 'out';
  if (typeof data === 'string') {
    if (!outgoing && mayContainApiErrorText(data)) report.text(sourceOf(state, direction, undefined), data);
    return;
  }
  if (typeof data !== 'object' || data === null) return;
  // What the page received is a fresh clone (data properties only); what it posts is its own object.
  const read = outgoing ? readPageOwn : readClonedOwn;
  const scan = scanMessage(data, read);

  if (scan.calls.length > 0) {
    const mine = outgoing ? (state.sent ??= new RecentCalls()) : (state.received ??= new RecentCalls());
    for (let i = 0; i < scan.calls.length; i++) {
      mine.remember(scan.calls[i]);
      // The call log: each call the page makes, by its id on this channel.
      if (outgoing) report.callNote('worker', state.conn, 'q', scan.calls[i].id, scan.calls[i].method);
    }
    // After an error, the page's calls are sighted for the handling audit.
    if (outgoing && report.sightingsOpen()) for (let i = 0; i < scan.calls.length; i++) report.request(callSource(state, 'out', scan.calls[i]));
  }
  // Answers travel the other way from their calls.
  const answering = outgoing ? state.received : state.sent;
  if (answering !== null)
    for (let i = 0; i < scan.answered.length; i++) {
      const id = scan.answered[i];
      if (answering.take(id) !== undefined && !outgoing) report.callNote('worker', state.conn, 'k', id);
    }

  for (let i = 0; i < scan.hits.length; i++) {
    const hit = scan.hits[i];
    const paired = hit.callId !== undefined && answering !== null ? answering.takeCall(hit.callId) : undefined;
    if (!outgoing) {
      const source = paired !== undefined ? callSource(state, direction, paired) : sourceOf(state, direction, hit.method);
      report.structured(source, serializeBounded(hit.node, read));
      if (paired !== undefined) report.callNote('worker', state.conn, 'e', paired.id);
    }
  }
  if (outgoing) return;
  for (let i = 0; i < scan.binaries.length; i++) {
    const bytes = bytesOf(scan.binaries[i]);
    if (bytes !== null && mayContainRpcError(bytes)) report.binary(sourceOf(state, direction, undefined), bytes);
  }
}
