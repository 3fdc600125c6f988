// Workers: the messages between the page and its Worker, SharedWorker port, MessagePorts,
// BroadcastChannels and service worker, where Web K, Web A and mtcute's worker port carry
// their calls and errors. Wraps `postMessage` and the message listeners
// (message-listeners), judges each structured-clone message by property access alone
// (structured-prefilter, structured-kind, structured-natives), remembers the calls it sees
// so an answer can name its method (worker-calls), and serializes only the picked messages
// with bounded work (safe-serialize). Hands on: structured captures with the paired method,
// through common/report.

export { watchWorkers } from './watch-workers.ts';
