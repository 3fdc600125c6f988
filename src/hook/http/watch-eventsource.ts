// EventSource: the constructor is a Proxy; each instance gets one 'message' listener
// at construction. Named events only reach listeners registered for their type, so
// once the page creates an EventSource, EventTarget.prototype.addEventListener is
// wrapped: after the page's own registration succeeds, one listener of ours is added
// for that type on that instance (once per type). The page's listener is registered
// first and untouched, so its identity, options and order among its peers hold.

import { captureGetter, listen, mapGet, mapSet, messageEventData, NativeWeakMap, reflectApply, reflectConstruct, replaceValue } from '../common/natives.ts';
import { mayContainApiErrorText } from '../common/text-prefilter.ts';
import { nullProtoHandler } from '../common/proxy-handler.ts';
import type { Reporter } from '../common/report.ts';

/** Types our construction-time listener already covers, or that carry no data. */
const BUILT_IN_TYPES = ['message', 'open', 'error'];

interface SourceState {
  url: string;
  watchedTypes: string[];
}

export function watchEventSource(report: Reporter): void {
  const NativeEventSource = window.EventSource;
  if (typeof NativeEventSource !== 'function' || typeof EventTarget !== 'function') return;
  const sourceUrl = captureGetter<string>(NativeEventSource.prototype, 'url');
  const messageData = messageEventData;
  if (!sourceUrl || !messageData) return;

  const sources = new NativeWeakMap<EventSource, SourceState>();
  let addEventListenerWrapped = false;

  function observe(state: SourceState, event: Event): void {
    try {
      const data = messageData!(event);
      if (typeof data === 'string' && mayContainApiErrorText(data)) {
        report.text({ channel: 'eventsource', direction: 'in', url: state.url }, data);
      }
    } catch {
      // never disturb the page's listeners
    }
  }

  function watchNamedType(source: EventSource, type: unknown): void {
    const state = mapGet(sources, source);
    if (!state || typeof type !== 'string') return;
    if (BUILT_IN_TYPES.indexOf(type) !== -1 || state.watchedTypes.indexOf(type) !== -1) return;
    state.watchedTypes[state.watchedTypes.length] = type;
    listen(source, type, (event) => observe(state, event));
  }

  function wrapAddEventListener(): void {
    if (addEventListenerWrapped) return;
    addEventListenerWrapped = true;
    const nativeAddEventListener = EventTarget.prototype.addEventListener;
    const addEventListenerProxy = new Proxy(
      nativeAddEventListener,
      nullProtoHandler<typeof nativeAddEventListener>({
        apply(target, thisArg, args) {
          const result = reflectApply(target, thisArg, args);
          try {
            // Only a WeakMap lookup for every other target in the page.
            if (mapGet(sources, thisArg as EventSource)) watchNamedType(thisArg as EventSource, args[0]);
          } catch {
            // ignore
          }
          return result;
        },
      }),
    );
    replaceValue(EventTarget.prototype, 'addEventListener', addEventListenerProxy);
  }

  const EventSourceProxy = new Proxy(
    NativeEventSource,
    nullProtoHandler<typeof NativeEventSource>({
      construct(target, args, newTarget) {
        const source = reflectConstruct(target, args, newTarget) as EventSource;
        try {
          const state: SourceState = { url: sourceUrl!(source), watchedTypes: [] };
          mapSet(sources, source, state);
          listen(source, 'message', (event) => observe(state, event));
          // Deferred to the first EventSource so pages that never use one keep the native method.
          wrapAddEventListener();
        } catch {
          // the page's EventSource works either way
        }
        return source;
      },
    }),
  );

  replaceValue(NativeEventSource.prototype, 'constructor', EventSourceProxy);
  replaceValue(window, 'EventSource', EventSourceProxy);
}
