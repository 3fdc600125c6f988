// Common to every channel: built-ins captured before page code runs (natives), Proxy
// handlers with a null prototype (proxy-handler), the text and binary prefilters, short
// connection ids, naming a request's method (request-method), and the reporter that
// caps, encodes and hands captures to the isolated content script as a DOM event (report).

export { createPageReporter, type Reporter } from './report.ts';
