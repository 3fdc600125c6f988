// GramJS in a worker: its modules use Node's global `Buffer`, and it takes the browser path
// (WebSocket transport, wss on https pages) only when `window` exists (telegram/platform.js:
// isBrowser = typeof window !== 'undefined'; telegramBaseClient reads window.location.protocol,
// PromisedWebSockets listens for window's 'offline'). A worker's global scope has location and
// addEventListener, so `window` is the global itself. Imported first by gramjs-worker.ts.
import './buffer-global.ts';

(globalThis as unknown as { window?: unknown }).window ??= globalThis;
