// How the hook reads a WebSocket's incoming messages. A listener of our own costs every
// message a call from the browser into script, about as much as everything else the hook
// does with it. So while the page's onmessage holds a function, the native slot holds a
// wrapper instead (same slot, so the same place among the listeners), which reads the
// message and then calls the page's function as the browser would; our listener is
// registered only while no such handler is set. The getter gives the page its own
// function back.
//
// Switching between the two can happen in the middle of a dispatch (a page listener, or
// its microtasks, sets onmessage): a listener removed then is skipped for that message and
// one added then is not called for it. So every switch first reads the message being
// dispatched on the socket, if any, and every read skips an event already read. The last
// event read is remembered for that; it is let go a second after the reads stop.

import { callFunction, captureGetter, defineProperty, getOwnPropertyDescriptor, listen, messageEventData, nativeSetTimeout, reflectApply, unlisten } from './natives.ts';
import { nullProtoHandler } from './proxy-handler.ts';

const FORGET_AFTER_MS = 1000;

const currentEvent = captureGetter<Event | undefined>(typeof window === 'object' ? window : undefined, 'event');
const eventCurrentTarget = captureGetter<EventTarget | null>(typeof Event === 'function' ? Event.prototype : undefined, 'currentTarget');
const eventType = captureGetter<string>(typeof Event === 'function' ? Event.prototype : undefined, 'type');

type Wrapper = (this: unknown, event: Event) => unknown;

export class SocketMessageReader {
  /** The page's onmessage function while the native slot holds our wrapper; otherwise null. */
  private handler: unknown = null;
  private wrapper: Wrapper | null = null;
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

  /** Registers our listener: until the page sets a handler, it reads the messages. */
  start(): void {
    this.setListening(true);
  }

  /** Reads one message event, once. Never throws. */
  read(event: Event): void {
    if (event === this.lastEvent) return;
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
    try {
      this.readDispatching();
      this.setListening(this.handler === null);
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
