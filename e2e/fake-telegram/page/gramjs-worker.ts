// GramJS inside a worker, as Web A (dedicated Worker) and Web K (SharedWorker) keep their
// MTProto: the page posts {type: 'start', config} and the worker plays the standard scenario
// (gramjs-play.ts). Works as a dedicated worker (self.onmessage) and as a SharedWorker
// (onconnect). GramJS decides browser or Node when its modules are evaluated, so the globals
// are set here first and GramJS is loaded after, by a dynamic import.

import './worker-globals.ts';
import type { Config, Port } from './gramjs-play.ts';

function listen(port: Port & { onmessage: ((event: MessageEvent) => void) | null }): void {
  port.onmessage = (event) => {
    const data = event.data as { type?: string; config?: Config };
    if (data?.type === 'start' && data.config) void import('./gramjs-play.ts').then((m) => m.play(port, data.config!));
  };
}

const scope = globalThis as unknown as { onconnect?: unknown; postMessage: Port['postMessage']; onmessage: ((event: MessageEvent) => void) | null };
if ('SharedWorkerGlobalScope' in globalThis) {
  scope.onconnect = (event: MessageEvent) => listen(event.ports[0] as unknown as Port & { onmessage: ((event: MessageEvent) => void) | null });
} else {
  listen(scope);
}
