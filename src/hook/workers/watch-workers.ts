// Messages between the page and its workers: Worker, SharedWorker (its port), any
// MessagePort (MessageChannel, or one the page received), BroadcastChannel and the
// service worker. Web K and Web A run MTProto in a worker, so this is where their API
// errors cross into the page.
//
// Outgoing: the postMessage methods are wrapped in Proxies; the native call runs first
// with the page's own arguments (transfer lists and options untouched), so return values,
// exceptions (DataCloneError) and transfers are the browser's, and a failed post is not
// observed. Incoming: see message-listeners.ts. Constructors are wrapped only to learn a
// worker's script URL and a SharedWorker's port; instances, prototypes, statics and
// instanceof stay native. State is per target in WeakMaps: connection id, URL and two
// small bounded maps of calls waiting for their answers.

import { nextConnectionId } from '../common/connection-ids.ts';
import { watchMessageListeners } from './message-listeners.ts';
import { captureGetter, mapGet, mapSet, NativeWeakMap, reflectApply, reflectConstruct, replaceValue } from '../common/natives.ts';
import { nullProtoHandler } from '../common/proxy-handler.ts';
import type { Reporter } from '../common/report.ts';
import { inspectWorkerMessage, newChannelState, type MessageChannelState } from './worker-message-inspector.ts';
import { scriptUrlOf } from './script-url.ts';

type Ctor = new (...args: never[]) => object;

function constructorOf(name: string): Ctor | undefined {
  const value = (window as unknown as Record<string, unknown>)[name];
  return typeof value === 'function' ? (value as Ctor) : undefined;
}

export function watchWorkers(report: Reporter): void {
  const NativeWorker = constructorOf('Worker');
  const NativeSharedWorker = constructorOf('SharedWorker');
  const NativeBroadcastChannel = constructorOf('BroadcastChannel');
  const NativeMessagePort = constructorOf('MessagePort');
  const NativeServiceWorker = constructorOf('ServiceWorker');
  const NativeServiceWorkerContainer = constructorOf('ServiceWorkerContainer');

  const sharedWorkerPort = captureGetter<object>(NativeSharedWorker?.prototype, 'port');
  const channelName = captureGetter<string>(NativeBroadcastChannel?.prototype, 'name');
  const serviceWorkerScript = captureGetter<string>(NativeServiceWorker?.prototype, 'scriptURL');
  // Native onmessage getters throw for any other kind of object: brand checks without page code.
  const portBrand = captureGetter<unknown>(NativeMessagePort?.prototype, 'onmessage');
  const containerBrand = captureGetter<unknown>(NativeServiceWorkerContainer?.prototype, 'onmessage');

  const channels = new NativeWeakMap<object, MessageChannelState>();
  /** One state for the page's service worker side: calls go to ServiceWorker objects, answers come on the container. */
  let serviceWorkerState: MessageChannelState | null = null;

  function track(target: object, kind: string, url: string): MessageChannelState {
    const state = newChannelState(nextConnectionId(kind), url);
    mapSet(channels, target, state);
    return state;
  }

  function serviceWorkerSide(url: string): MessageChannelState {
    serviceWorkerState ??= newChannelState(nextConnectionId('serviceworker'), url);
    if (serviceWorkerState.url === '' && url !== '') serviceWorkerState.url = url;
    return serviceWorkerState;
  }

  function hasBrand(brand: ((target: object) => unknown) | undefined, target: object): boolean {
    if (!brand) return false;
    try {
      brand(target);
      return true;
    } catch {
      return false;
    }
  }

  /** The state of a target the page listens on or posts to; created for ports and service workers met late. */
  function channelOf(target: object): MessageChannelState | null {
    const known = mapGet(channels, target);
    if (known) return known;
    if (hasBrand(portBrand, target)) return track(target, 'port', '');
    if (hasBrand(containerBrand, target)) return serviceWorkerSide('');
    return null;
  }

  watchMessageListeners<MessageChannelState>(channelOf, (state, data) => inspectWorkerMessage(report, state, 'in', data), [
    NativeWorker?.prototype,
    NativeMessagePort?.prototype,
    NativeBroadcastChannel?.prototype,
    NativeServiceWorkerContainer?.prototype,
  ]);

  function observeOutgoing(state: MessageChannelState | null, message: unknown): void {
    if (state !== null) inspectWorkerMessage(report, state, 'out', message);
  }

  /** Wraps proto[name] in a Proxy: the native runs first (same result, same exception at the same time), then `observe`. */
  function observeAfter(proto: object | undefined, name: string, observe: (target: object, args: unknown[]) => void): void {
    const native = proto ? (proto as Record<string, unknown>)[name] : undefined;
    if (!proto || typeof native !== 'function') return;
    const proxy = new Proxy(
      native as (...args: unknown[]) => unknown,
      nullProtoHandler<(...args: unknown[]) => unknown>({
        apply(target, thisArg, args) {
          const result = reflectApply(target, thisArg, args);
          try {
            observe(thisArg as object, args);
          } catch {
            // observation only
          }
          return result;
        },
      }),
    );
    replaceValue(proto, name, proxy);
  }

  /** Transfers done and a failed post not observed: the native call comes first. */
  function wrapPostMessage(proto: object | undefined, stateOf: (target: object) => MessageChannelState | null): void {
    observeAfter(proto, 'postMessage', (target, args) => {
      if (args.length > 0) observeOutgoing(stateOf(target), args[0]);
    });
  }

  wrapPostMessage(NativeWorker?.prototype, (worker) => mapGet(channels, worker) ?? track(worker, 'worker', ''));
  wrapPostMessage(NativeMessagePort?.prototype, channelOf);
  wrapPostMessage(NativeBroadcastChannel?.prototype, (channel) => mapGet(channels, channel) ?? track(channel, 'broadcast', ''));
  wrapPostMessage(NativeServiceWorker?.prototype, (worker) => serviceWorkerSide(serviceWorkerScript ? serviceWorkerScript(worker) : ''));

  /**
   * Worker.terminate and MessagePort.close end the calls still waiting on that channel: the call
   * log hears of it at once (a closed note, after the call notes), as for a closed socket.
   */
  function wrapClose(proto: object | undefined, name: 'terminate' | 'close'): void {
    observeAfter(proto, name, (target) => {
      const state = mapGet(channels, target);
      if (state && (state.sent !== null || state.received !== null)) {
        report.request({ channel: 'worker', direction: 'in', url: state.url, conn: state.conn, closed: true });
      }
    });
  }

  wrapClose(NativeWorker?.prototype, 'terminate');
  wrapClose(NativeMessagePort?.prototype, 'close');

  function wrapConstructor(name: string, Native: Ctor | undefined, onConstruct: (instance: object, args: unknown[]) => void): void {
    if (!Native) return;
    const ConstructorProxy = new Proxy(
      Native,
      nullProtoHandler<Ctor>({
        construct(target, args, newTarget) {
          const instance = reflectConstruct(target, args, newTarget) as object;
          try {
            onConstruct(instance, args);
          } catch {
            // the page's object works either way
          }
          return instance;
        },
      }),
    );
    // `instance.constructor === Worker` must keep holding for the page's Worker.
    replaceValue(Native.prototype, 'constructor', ConstructorProxy);
    replaceValue(window, name, ConstructorProxy);
  }

  wrapConstructor('Worker', NativeWorker, (worker, args) => track(worker, 'worker', scriptUrlOf(args[0])));
  wrapConstructor('SharedWorker', NativeSharedWorker, (worker, args) => {
    if (sharedWorkerPort) track(sharedWorkerPort(worker), 'sharedworker', scriptUrlOf(args[0]));
  });
  wrapConstructor('BroadcastChannel', NativeBroadcastChannel, (channel) => {
    track(channel, 'broadcast', `broadcastchannel:${channelName ? channelName(channel) : ''}`);
  });
}
