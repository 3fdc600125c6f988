// Structured prefilter: decides in the page, by property access alone (no JSON.stringify
// of every message), whether a worker message can hold a Telegram API error, and where.
// The web clients' own protocols are recognised first, so their traffic costs a few
// property reads and their large successful results are never walked:
//   Web K tasks   {type: 'result' | 'ack', payload: {taskId, error}}, {type: 'batch', payload:
//                 [task]}, invoke / ping / pong / close / lock
//   Web A         {payloads: [...]} with callMethod, methodResponse {messageId, error},
//                 updates [{'@type': 'error' | 'notSupportedInFrozenAccount' |
//                 'updateAuthorizationError'}], unhandledError
//   mtcute        {type: 'invoke', id, target, method, args}, {type: 'result', id, error},
//                 {type: 'error', error}
// Anything else gets a bounded breadth-first walk for the keys every other error shape
// has (`_: 'rpc_error'`, `error_code`, `errorMessage`, `'@type': 'error'`, `ok: false`).
// Binary values met on the way are returned for the binary prefilter.

import { kindOf } from './structured-kind.ts';
import { isArray, objectKeys, readPageOwn, type OwnReader } from './structured-natives.ts';
import { callIdOf, mtcuteInvokeCall, webaCall, webkInvokeCall, type CallMade } from './worker-calls.ts';

export interface ScanLimits {
  /** Objects and arrays visited by the walk (protocol envelopes included). */
  maxNodes: number;
  maxDepth: number;
  /** Entries of one Web A `updates` list checked (one property read each). */
  maxUpdates: number;
  maxHits: number;
  maxBinaries: number;
}

export const SCAN_LIMITS: Readonly<ScanLimits> = Object.freeze({ maxNodes: 200, maxDepth: 6, maxUpdates: 2000, maxHits: 16, maxBinaries: 4 });

export interface ErrorHit {
  /** The object holding the error: a Web K result task, a Web A payload or update, an error object. */
  node: object;
  /** Web K taskId / Web A messageId of the call it answers. */
  callId?: string;
  /** A `method` string on the node or an enclosing object. */
  method?: string;
}

export interface MessageScan {
  hits: ErrorHit[];
  /** Calls this message makes (to pair with later answers). */
  calls: CallMade[];
  /** Ids of calls this message answers successfully (their pairing can be forgotten). */
  answered: string[];
  /** ArrayBuffers and views, for the binary prefilter. */
  binaries: object[];
}

interface Pending {
  value: object;
  depth: number;
  method: string | undefined;
}

function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !isArray(value);
}

function hasError(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Web A updates that carry an error (or, for notSupportedInFrozenAccount, tell of one). */
function isErrorUpdate(kind: unknown): boolean {
  return kind === 'error' || kind === 'notSupportedInFrozenAccount' || kind === 'updateAuthorizationError';
}

function markerHit(record: object, key: string, read: OwnReader): boolean {
  switch (key) {
    case 'error_code':
    case 'errorMessage':
      return true;
    case '_':
      return read(record, key) === 'rpc_error';
    case '@type':
      return read(record, key) === 'error';
    case 'ok':
      return read(record, key) === false;
    default:
      return false;
  }
}

/** `read`: readClonedOwn for messages the page received, readPageOwn (the default) for its own objects. */
export function scanMessage(message: unknown, read: OwnReader = readPageOwn, limits: ScanLimits = SCAN_LIMITS): MessageScan {
  const scan: MessageScan = { hits: [], calls: [], answered: [], binaries: [] };
  if (typeof message !== 'object' || message === null) return scan;
  const queue: Pending[] = [{ value: message, depth: 0, method: undefined }];
  let nodesLeft = limits.maxNodes;
  let next = 0;

  const hit = (node: object, callId: string | undefined, method: string | undefined): void => {
    if (scan.hits.length >= limits.maxHits) return;
    const found: ErrorHit = { node };
    if (callId !== undefined) found.callId = callId;
    if (method !== undefined) found.method = method;
    scan.hits[scan.hits.length] = found;
  };
  const enqueue = (value: unknown, depth: number, method: string | undefined): void => {
    // Never more waiting than the budget can visit: the queue stays within maxNodes entries.
    if (typeof value !== 'object' || value === null || depth > limits.maxDepth || queue.length - next >= nodesLeft) return;
    queue[queue.length] = { value, depth, method };
  };
  const call = (made: CallMade | undefined): void => {
    if (made !== undefined) scan.calls[scan.calls.length] = made;
  };
  const answer = (id: string | undefined): void => {
    if (id !== undefined) scan.answered[scan.answered.length] = id;
  };

  /** A Web K task or Web A payload by its `type`; false when the type is no protocol's. */
  const protocolMessage = (record: object, type: string, depth: number, method: string | undefined): boolean => {
    switch (type) {
      case 'result':
      case 'ack': {
        const payload = read(record, 'payload');
        if (!isRecord(payload)) {
          // mtcute answers {type: 'result', id, result | error}.
          if (type !== 'result') return false;
          const id = callIdOf(read(record, 'id'));
          if (id === undefined) return false;
          if (hasError(read(record, 'error'))) hit(record, id, method);
          else answer(id);
          return true;
        }
        const callId = callIdOf(read(payload, 'taskId'));
        if (hasError(read(payload, 'error'))) hit(record, callId, method);
        // A cached: false ack is followed by the result: keep the pairing until then.
        else if (type === 'result' || read(payload, 'cached') === true) answer(callId);
        return true;
      }
      case 'batch': {
        const tasks = read(record, 'payload');
        if (!isArray(tasks)) return false;
        for (let i = 0; i < tasks.length && i < nodesLeft; i++) enqueue(read(tasks, i), depth + 1, method);
        return true;
      }
      case 'invoke':
        call(webkInvokeCall(record, read) ?? mtcuteInvokeCall(record, read));
        return true;
      case 'callMethod':
        call(webaCall(record, read));
        return true;
      case 'methodResponse': {
        const callId = callIdOf(read(record, 'messageId'));
        if (hasError(read(record, 'error'))) hit(record, callId, method);
        else answer(callId);
        return true;
      }
      case 'updates': {
        const updates = read(record, 'updates');
        if (!isArray(updates)) return false;
        for (let i = 0; i < updates.length && i < limits.maxUpdates; i++) {
          const update = read(updates, i);
          if (isRecord(update) && isErrorUpdate(read(update, '@type'))) hit(update, undefined, method);
        }
        return true;
      }
      case 'unhandledError':
      case 'error':
        // Web A's unhandled worker errors; mtcute's client errors (client.onError).
        if (!hasError(read(record, 'error'))) return false;
        hit(record, undefined, method);
        return true;
      // Web K: ping, pong, close and lock carry nothing (ack is read above with result).
      case 'ping':
      case 'pong':
      case 'close':
      case 'lock':
        return true;
      default:
        return false;
    }
  };

  const visitRecord = (record: object, depth: number, inherited: string | undefined): void => {
    const ownMethod = read(record, 'method');
    const method = typeof ownMethod === 'string' && ownMethod.length <= 256 ? ownMethod : inherited;
    const type = read(record, 'type');
    if (typeof type === 'string' && protocolMessage(record, type, depth, method)) return;
    const payloads = read(record, 'payloads');
    if (isArray(payloads)) {
      for (let i = 0; i < payloads.length && i < nodesLeft; i++) enqueue(read(payloads, i), depth + 1, method);
      return;
    }
    const keys = objectKeys(record);
    for (let i = 0; i < keys.length; i++) {
      if (markerHit(record, keys[i], read)) return hit(record, undefined, method);
    }
    for (let i = 0; i < keys.length && i < nodesLeft; i++) enqueue(read(record, keys[i]), depth + 1, method);
  };

  while (next < queue.length && nodesLeft > 0) {
    const { value, depth, method } = queue[next++];
    nodesLeft--;
    switch (kindOf(value)) {
      case 'record':
        visitRecord(value, depth, method);
        break;
      case 'array': {
        const array = value as unknown[];
        for (let i = 0; i < array.length && i < nodesLeft; i++) enqueue(read(array, i), depth + 1, method);
        break;
      }
      case 'binary':
        if (scan.binaries.length < limits.maxBinaries) scan.binaries[scan.binaries.length] = value;
        break;
      default:
        // Blobs, errors, Maps, Dates...: no known error shape lives in them.
        break;
    }
  }
  return scan;
}
