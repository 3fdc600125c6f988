// Pairing worker answers with the calls they answer, in the page and cheaply: the call
// messages of the web clients' worker protocols name the method, their answers only an id.
//   Web K  {type: 'invoke', id, payload: {type: 'manager', payload: {name, method, args}}}
//          apiManager.invokeApi*(method, params) calls a Telegram method directly (args[0]);
//          any other manager call is named `manager.method` (appMessagesManager.sendText).
//          invokeApiSingleProcess / invokeApiHashable take one object {method, params}.
//   Web A  {type: 'callMethod', messageId, name, args}: `name` is Web A's API function.
//   mtcute {type: 'invoke', id, target, method, args}: client.call(args[0]) names the Telegram
//          method in args[0]._; other calls are named `target.method`.

import { textSlice } from '../common/natives.ts';
import { isArray, NativeMap, readPageOwn, type OwnReader } from './structured-natives.ts';

const MAX_ID_CHARS = 64;
const MAX_NAME_CHARS = 128;

export interface CallMade {
  id: string;
  method: string;
  /**
   * The call's identifying input, kept by reference (never walked unless needed) for its
   * fingerprint: a Web K invokeApi*'s params, an mtcute call's request, else the args list.
   */
  input?: unknown;
  /** How to read `input` (readPageOwn for the page's own objects). */
  read?: OwnReader;
}

/** A call id as text (Web K uses numbers, Web A strings); undefined for anything else. */
export function callIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_CHARS ? value : undefined;
  if (typeof value === 'number' && value === value && value !== Infinity && value !== -Infinity) return '' + value;
  return undefined;
}

function nameOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_CHARS ? value : undefined;
}

function recordOf(value: unknown): object | undefined {
  return typeof value === 'object' && value !== null && !isArray(value) ? value : undefined;
}

/** The method a Web K `invoke` task calls, or undefined when it is not a manager call. */
export function webkInvokeCall(task: object, read: OwnReader = readPageOwn): CallMade | undefined {
  const id = callIdOf(read(task, 'id'));
  const outer = recordOf(read(task, 'payload'));
  if (id === undefined || outer === undefined || read(outer, 'type') !== 'manager') return undefined;
  const call = recordOf(read(outer, 'payload'));
  if (call === undefined) return undefined;
  const manager = nameOf(read(call, 'name'));
  const method = nameOf(read(call, 'method'));
  if (manager === undefined || method === undefined) return undefined;
  if (manager === 'apiManager' && textSlice(method, 0, 9) === 'invokeApi') {
    const args = read(call, 'args');
    const first = isArray(args) ? read(args, 0) : undefined;
    const options = recordOf(first);
    const apiMethod = options !== undefined ? nameOf(read(options, 'method')) : nameOf(first);
    if (apiMethod !== undefined)
      return { id, method: apiMethod, input: options !== undefined ? read(options, 'params') : isArray(args) ? read(args, 1) : undefined, read };
  }
  return { id, method: `${manager}.${method}`, input: read(call, 'args'), read };
}

/** The method an mtcute `invoke` message calls. */
export function mtcuteInvokeCall(message: object, read: OwnReader = readPageOwn): CallMade | undefined {
  const id = callIdOf(read(message, 'id'));
  const target = nameOf(read(message, 'target'));
  const method = nameOf(read(message, 'method'));
  if (id === undefined || target === undefined || method === undefined) return undefined;
  if (target === 'client' && method === 'call') {
    const args = read(message, 'args');
    const request = isArray(args) ? recordOf(read(args, 0)) : undefined;
    const name = request !== undefined ? nameOf(read(request, '_')) : undefined;
    if (name !== undefined) return { id, method: name, input: request, read };
  }
  return { id, method: `${target}.${method}`, input: read(message, 'args'), read };
}

/** The Web A API function a `callMethod` payload calls. */
export function webaCall(payload: object, read: OwnReader = readPageOwn): CallMade | undefined {
  const id = callIdOf(read(payload, 'messageId'));
  const name = nameOf(read(payload, 'name'));
  return id === undefined || name === undefined ? undefined : { id, method: name, input: read(payload, 'args'), read };
}

/** Calls sent on one channel in one direction and not answered yet; the oldest go first when full. */
export class RecentCalls {
  private readonly methods = new NativeMap<string, CallMade>();
  constructor(private readonly capacity = 256) {}

  remember(call: CallMade): void {
    this.methods.delete(call.id);
    this.methods.set(call.id, call);
    if (this.methods.size > this.capacity) this.methods.delete(this.methods.oldestKey()!);
  }

  /** The method of an answered call; the call is forgotten (one answer per call). */
  take(id: string): string | undefined {
    return this.takeCall(id)?.method;
  }

  /** An answered call (method and input); the call is forgotten. */
  takeCall(id: string): CallMade | undefined {
    const call = this.methods.get(id);
    if (call !== undefined) this.methods.delete(id);
    return call;
  }

  get size(): number {
    return this.methods.size;
  }
}
