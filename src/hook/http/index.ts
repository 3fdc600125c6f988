// HTTP: what the page fetches. Watches `fetch`, `XMLHttpRequest` and `EventSource` (named
// events too); reads response bodies on a side branch with a byte cap and a time limit
// (read-capped), decides from headers which bodies are worth reading (body-kind), runs the
// text or binary prefilter on them (body-inspect) and names the method from the request
// body. Hands on: text captures (JSON, NDJSON, `data:` lines) and binary MTProto bodies
// (`/apiw1`), through common/report.

export { watchFetch } from './watch-fetch.ts';
export { watchXhr } from './watch-xhr.ts';
export { watchEventSource } from './watch-eventsource.ts';
