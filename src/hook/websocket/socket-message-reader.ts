// How the hook reads a WebSocket's incoming messages. A listener of our own costs every
// message a call from the browser into script, about as much as everything else the hook
// does with it. So the page's own message functions carry the reading: its onmessage
// handler and the functions it adds with addEventListener('message') are stored natively
// as wrappers (same registrations, so the same order), which read the message and then
// call the page's function as the browser would. The onmessage getter gives the page its
// function back, and removeEventListener finds the wrapper. Our own listener is registered
// only while no page function is known to be registered: a listener added with an options
// object may be removed by `once` or an AbortSignal without our knowing, so it does not count.
//
// Switching between the two can happen in the middle of a dispatch (a page listener, or
// its microtasks, sets onmessage or adds or removes a listener): a listener removed then is
// skipped for that message and one added then is not called for it. So every switch first
// reads the message being dispatched on the socket, if any, and every read skips an event
// already read (several page functions may carry the same message). The last event read is
// remembered for that; it is let go a second after the reads stop. Events the page makes
// and dispatches itself are no part of the connection's bytes and are left alone.
//
// Not wrapped, so they keep our listener on: listeners given as handleEvent objects, and
// registrations made with another realm's (an un-hooked frame's) EventTarget methods.

import {
  callFunction,
  captureGetter,
  defineProperty,
  eventIsTrusted,
  getOwnPropertyDescriptor,
  listen,
  mapGet,
  mapSet,
  messageEventData,
  nativeSetTimeout,
  NativeString,
  NativeWeakMap,
  reflectApply,
  replaceValue,
  unlisten,
} from '../common/natives.ts';
import { nullProtoHandler } from '../common/proxy-handler.ts';

const FORGET_AFTER_MS = 1000;

const currentEvent = captureGetter<Event | undefined>(typeof window === 'object' ? window : undefined, 'event');
const eventCurrentTarget = captureGetter<EventTarget | null>(typeof Event === 'function' ? Event.prototype : undefined, 'currentTarget');
const eventType = captureGetter<string>(typeof Event === 'function' ? Event.prototype : undefined, 'type');

type Wrapper = (this: unknown, event: Event) => unknown;

/**
 * What addEventListener's third argument says about capture: a boolean (or anything not an
 * object, converted to one), or undefined when it is an options object, which is not read
 * here (its getters are the page's, for the browser to call once).
 */
function captureOf(options: unknown): boolean | undefined {
  if (options === undefined || options === null) return false;
  return typeof options === 'object' || typeof options === 'function' ? undefined : !!options;
}

const NON_CAPTURING = 1;
const CAPTURING = 2;
/** Added with an options object at some point (capture unknown): a later boolean add may be a duplicate the browser ignores. */
const MAYBE_BY_OPTIONS = 4;

export class SocketMessageReader {
  /** The page's onmessage function while the native slot holds our wrapper; otherwise null. */
  private handler: unknown = null;
  private wrapper: Wrapper | null = null;
  /** The wrapper registered natively for each function the page added as a message listener. */
  private readonly listenerWrappers = new NativeWeakMap<object, Wrapper>();
  /** Per page function, its registrations known to be live (NON_CAPTURING | CAPTURING bits). */
  private readonly knownLive = new NativeWeakMap<object, number>();
  private knownLiveCount = 0;
  private listening = false;
  private readonly listener = (event: Event): void => this.read(event);
  private lastEvent: Event | null = null;
  private forgetArmed = false;
  private readonly forget = (): void => {
    this.lastEvent = null;
    this.forgetArmed = false;
  };

  constructor(
    private readonly socket: WebSocket,
    private readonly onData: (data: unknown) => void,
  ) {}

  /** False for a socket first seen by its send (not constructed through the hook): its reads would not start at byte 0. */
  started = false;

  /** Registers our listener: until the page sets a handler, it reads the messages. */
  start(): void {
    this.started = true;
    this.setListening(true);
  }

  /** Reads one message event, once. Never throws. */
  read(event: Event): void {
    // Only the browser's own events carry the connection's bytes; they never nest, so one
    // remembered event is enough to read each once.
    if (event === this.lastEvent || !eventIsTrusted!(event)) return;
    this.lastEvent = event;
    if (!this.forgetArmed && nativeSetTimeout) {
      this.forgetArmed = true;
      nativeSetTimeout(this.forget, FORGET_AFTER_MS);
    }
    try {
      this.onData(messageEventData!(event));
    } catch {
      // never disturb the page's own listeners
    }
  }

  /** What the native setter is given for `value`: our wrapper for a function, else the value itself. */
  slotValue(value: unknown): unknown {
    if (typeof value !== 'function') return value;
    const reader = this;
    return (this.wrapper ??= function (this: unknown, event: Event): unknown {
      reader.read(event);
      // The page's function as the browser would call it: same `this`, event and return
      // value; what it throws goes to the browser untouched.
      return callFunction(reader.handler, this, event);
    });
  }

  /** What the getter returns for the slot's native value. */
  pageValue(slot: unknown): unknown {
    return slot !== null && slot === this.wrapper ? this.handler : slot;
  }

  /** After the native setter stored slotValue(value). */
  handlerSet(value: unknown): void {
    this.handler = typeof value === 'function' ? value : null;
    this.switchReading();
  }

  /** What addEventListener('message') registers natively for `listener`: a function's wrapper; anything else itself. */
  listenerValue(listener: unknown): unknown {
    if (typeof listener !== 'function') return listener;
    let wrapper = mapGet(this.listenerWrappers, listener);
    if (wrapper === undefined) {
      const reader = this;
      wrapper = function (this: unknown, event: Event): unknown {
        reader.read(event);
        return callFunction(listener, this, event);
      };
      mapSet(this.listenerWrappers, listener, wrapper);
    }
    return wrapper;
  }

  /** What removeEventListener('message') must remove natively for `listener`. */
  registeredValue(listener: unknown): unknown {
    return (typeof listener === 'function' && mapGet(this.listenerWrappers, listener)) || listener;
  }

  /** After the native addEventListener('message', listenerValue(listener), options). */
  listenerAdded(listener: unknown, options: unknown): void {
    if (typeof listener !== 'function') return;
    const capture = captureOf(options);
    const bits = mapGet(this.knownLive, listener) ?? 0;
    if (capture === undefined) mapSet(this.knownLive, listener, bits | MAYBE_BY_OPTIONS);
    else {
      const bit = capture ? CAPTURING : NON_CAPTURING;
      // After an add with options, this one may be the duplicate of a registration that
      // `once` or a signal removes unseen: it cannot count.
      if ((bits & (bit | MAYBE_BY_OPTIONS)) === 0) {
        mapSet(this.knownLive, listener, bits | bit);
        this.knownLiveCount++;
      }
    }
    this.switchReading();
  }

  /** After the native removeEventListener('message', registeredValue(listener), options). */
  listenerRemoved(listener: unknown, options: unknown): void {
    if (typeof listener !== 'function') return;
    const bits = mapGet(this.knownLive, listener) ?? 0;
    if (bits !== 0) {
      const capture = captureOf(options);
      // Options not read: either registration may be the one removed, so neither counts.
      const removed = bits & (capture === undefined ? NON_CAPTURING | CAPTURING : capture ? CAPTURING : NON_CAPTURING);
      mapSet(this.knownLive, listener, bits & ~removed); // MAYBE_BY_OPTIONS stays: it is never known gone
      this.knownLiveCount -= (removed & NON_CAPTURING ? 1 : 0) + (removed & CAPTURING ? 1 : 0);
    }
    this.switchReading();
  }

  /** Our listener is needed while no page function is known to carry the reading. */
  private switchReading(): void {
    try {
      this.readDispatching();
      this.setListening(this.handler === null && this.knownLiveCount === 0);
    } catch {
      // observation only
    }
  }

  /** The message being dispatched on this socket right now, if any, before a switch skips it. */
  private readDispatching(): void {
    if (!currentEvent || !eventCurrentTarget || !eventType) return;
    const event = currentEvent(window);
    if (event && event !== this.lastEvent && eventCurrentTarget(event) === this.socket && eventType(event) === 'message') this.read(event);
  }

  private setListening(on: boolean): void {
    if (this.listening === on) return;
    (on ? listen : unlisten)(this.socket, 'message', this.listener);
    this.listening = on;
  }
}

/**
 * Replaces WebSocket.prototype.onmessage's getter and setter with Proxies of the native
 * ones (so they print and behave as native; a wrong receiver throws the native error).
 * Sockets without a reader go straight to the native accessor.
 */
export function readThroughOnmessage(proto: object, readerOf: (socket: unknown) => SocketMessageReader | undefined): void {
  const descriptor = getOwnPropertyDescriptor(proto, 'onmessage');
  const nativeGet = descriptor?.get;
  const nativeSet = descriptor?.set;
  if (!descriptor || !nativeGet || !nativeSet || !descriptor.configurable) return;
  const getProxy = new Proxy(
    nativeGet,
    nullProtoHandler<typeof nativeGet>({
      apply(target, thisArg, args) {
        const slot: unknown = reflectApply(target, thisArg, args);
        if (typeof slot !== 'function') return slot;
        return readerOf(thisArg)?.pageValue(slot) ?? slot;
      },
    }),
  );
  const setProxy = new Proxy(
    nativeSet,
    nullProtoHandler<typeof nativeSet>({
      apply(target, thisArg, args) {
        const reader = args.length > 0 ? readerOf(thisArg) : undefined;
        if (reader === undefined) return reflectApply(target, thisArg, args);
        const result = reflectApply(target, thisArg, [reader.slotValue(args[0])]);
        reader.handlerSet(args[0]);
        return result;
      },
    }),
  );
  defineProperty(proto, 'onmessage', { get: getProxy, set: setProxy, enumerable: descriptor.enumerable, configurable: true });
}

/**
 * Replaces EventTarget.prototype.addEventListener and removeEventListener (whatever is
 * there) with Proxies: a function added or removed as a 'message' listener of a socket
 * with a reader is swapped for its wrapper, in place, and the native call does the rest
 * (same exceptions, options read once, by the browser). Any other call goes straight on.
 */
export function readThroughListeners(readerOf: (socket: unknown) => SocketMessageReader | undefined): void {
  if (typeof EventTarget !== 'function') return;
  const proto = EventTarget.prototype;
  wrapListenerMethod(
    proto,
    'addEventListener',
    readerOf,
    (reader, listener) => reader.listenerValue(listener),
    (reader, listener, options) => reader.listenerAdded(listener, options),
  );
  wrapListenerMethod(
    proto,
    'removeEventListener',
    readerOf,
    (reader, listener) => reader.registeredValue(listener),
    (reader, listener, options) => reader.listenerRemoved(listener, options),
  );
}

function wrapListenerMethod(
  proto: object,
  key: 'addEventListener' | 'removeEventListener',
  readerOf: (socket: unknown) => SocketMessageReader | undefined,
  nativeValue: (reader: SocketMessageReader, listener: unknown) => unknown,
  after: (reader: SocketMessageReader, listener: unknown, options: unknown) => void,
): void {
  const descriptor = getOwnPropertyDescriptor(proto, key);
  const method = descriptor?.value as ((...args: unknown[]) => unknown) | undefined;
  if (!descriptor || typeof method !== 'function' || !descriptor.configurable) return;
  const proxy = new Proxy(
    method,
    nullProtoHandler<typeof method>({
      apply(target, thisArg, args) {
        // One comparison for every other listener in the page.
        if (args.length < 2) return reflectApply(target, thisArg, args);
        if (args[0] !== 'message') {
          // A type given as an object (new String('message')) names the same listeners: the
          // browser converts it first, once, which is done here instead.
          if (typeof args[0] !== 'object' || args[0] === null || readerOf(thisArg) === undefined) return reflectApply(target, thisArg, args);
          args[0] = NativeString(args[0]);
          if (args[0] !== 'message') return reflectApply(target, thisArg, args);
        }
        const reader = readerOf(thisArg);
        if (reader === undefined) return reflectApply(target, thisArg, args);
        const listener: unknown = args[1];
        args[1] = nativeValue(reader, listener);
        const result = reflectApply(target, thisArg, args);
        after(reader, listener, args[2]);
        return result;
      },
    }),
  );
  replaceValue(proto, key, proxy);
}
