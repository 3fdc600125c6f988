// Common to every channel: built-ins captured before page code runs (natives), Proxy
// handlers with a null prototype (proxy-handler), the text and binary prefilters, short
// connection ids, naming a request's method (request-method), and the reporter that
// caps, encodes and hands captures to the isolated content script as a DOM event (report),
// and the auth keys given for this origin, which arm the triage of encrypted frames
// (page-session-keys).

export { createPageReporter, type Reporter } from './report.ts';
export { listenForPageKeys } from './page-session-keys.ts';
