// Incoming messages of workers, ports and channels, seen by one passive listener per
// target that is added only when the page itself starts listening there: when it calls
// addEventListener('message') or sets onmessage. So the hook never starts a MessagePort
// or a service worker's client message queue (the onmessage setter does that natively,
// addEventListener never does), never keeps alive a channel the page does not listen to,
// and never changes when or in which order messages are delivered. Ours is added just
// before the page's first listener, as a capturing one, so it reads each message before
// any page listener can transfer or change it.

import {
  defineProperty,
  eventIsTrusted,
  getOwnPropertyDescriptor,
  mapGet,
  mapSet,
  messageEventData,
  NativeWeakMap,
  reflectApply,
  replaceValue,
} from '../common/natives.ts';
import { nullProtoHandler } from '../common/proxy-handler.ts';

/** Resolves the state of a target the page listens on; null when it is no channel we watch. */
export type ChannelOf<State> = (target: object) => State | null;

export interface MessageListening<_State> {
  /** Starts listening on `target` (once); call before the page's own listener is added. */
  listenTo(target: object): void;
}

export function watchMessageListeners<State>(
  channelOf: ChannelOf<State>,
  onMessage: (state: State, data: unknown) => void,
  onmessageOwners: readonly (object | undefined)[],
): MessageListening<State> {
  const nativeAddEventListener = EventTarget.prototype.addEventListener;
  const messageData = messageEventData;
  const isTrusted = eventIsTrusted;
  if (!messageData || !isTrusted) throw new Error('MessageEvent getters missing');
  /** true: our listener is on it; false: not a channel (checked once). */
  const checked = new NativeWeakMap<object, boolean>();

  function listenTo(target: object): void {
    if (mapGet(checked, target) !== undefined) return;
    const state = channelOf(target);
    mapSet(checked, target, state !== null);
    if (state === null) return;
    const listener = (event: Event): void => {
      try {
        // Synthetic events carry the page's own objects, not messages: leave them alone.
        if (isTrusted!(event)) onMessage(state, messageData!(event));
      } catch {
        // never disturb the page's listeners
      }
    };
    reflectApply(nativeAddEventListener, target, ['message', listener, true]);
  }

  function observeListening(target: unknown): void {
    try {
      if (typeof target === 'object' && target !== null) listenTo(target);
    } catch {
      // the page's call goes ahead either way
    }
  }

  const addEventListenerProxy = new Proxy(
    nativeAddEventListener,
    nullProtoHandler<typeof nativeAddEventListener>({
      apply(target, thisArg, args) {
        // One comparison for every other listener in the page.
        if (args[0] === 'message') observeListening(thisArg);
        return reflectApply(target, thisArg, args);
      },
    }),
  );
  replaceValue(EventTarget.prototype, 'addEventListener', addEventListenerProxy);

  for (let i = 0; i < onmessageOwners.length; i++) {
    const owner = onmessageOwners[i];
    if (owner) wrapSetter(owner, 'onmessage', (thisArg) => observeListening(thisArg));
  }
  return { listenTo };
}

/** Wraps an accessor's setter, keeping its getter and attributes; `before` runs ahead of the native setter. */
function wrapSetter(owner: object, key: string, before: (thisArg: unknown) => void): void {
  const descriptor = getOwnPropertyDescriptor(owner, key);
  const nativeSet = descriptor?.set;
  if (!descriptor || !nativeSet || !descriptor.configurable) return;
  const setProxy = new Proxy(
    nativeSet,
    nullProtoHandler<typeof nativeSet>({
      apply(target, thisArg, args) {
        before(thisArg);
        return reflectApply(target, thisArg, args);
      },
    }),
  );
  defineProperty(owner, key, { get: descriptor.get, set: setProxy, enumerable: descriptor.enumerable, configurable: true });
}
