// Stand-in for an app's worker running mtcute's TelegramWorker (mtcute/mtcute). Follows:
// - packages/web/src/worker.ts (and packages/core/src/highlevel/worker/platform/register.web.ts):
//   a dedicated worker answers with self.postMessage, listening to 'message';
// - packages/core/src/highlevel/worker/worker.ts @85f6610e onInvoke: {type: 'invoke', id,
//   target, method, args, void} runs target[method](...args) and answers {type: 'result', id,
//   result} or {type: 'result', id, error: serializeError(err)}; the client's log lines,
//   connection states and errors are broadcast as {type: 'log' | 'conn_state' | 'error'};
// - errors.ts @c18d2fe3 serializeError: {name, message, stack, custom}, custom = {...rpcError}
//   for RpcError (code, text and the number's field), the class name for the library's errors;
// - @mtcute/tl RpcError.fromTl: text is the catalog form (FLOOD_WAIT_%d) with `seconds`
//   beside it, message the catalog description; network makeNiceStack puts the method on the
//   stack's second line. Flood waits under floodSleepThreshold and 303s are handled inside.

const rpcError = (code, text, description, method, extra = {}) => ({
  name: 'RpcError',
  message: description,
  stack: `RpcError (${code} ${text}): ${description}\n    at ${method}\n    at SessionConnection._onRpcResult (mtcute.js:1:1)`,
  custom: { code, text, ...extra },
});

const CALLS = {
  'help.getConfig': () => ({ result: { _: 'config', thisDc: 2 } }),
  'messages.sendMessage': () => ({ error: rpcError(420, 'FLOOD_WAIT_%d', 'A wait of 30 seconds is required', 'messages.sendMessage', { seconds: 30 }) }),
  'users.getUsers': () => ({ error: rpcError(400, 'PEER_ID_INVALID', 'The provided peer id is invalid.', 'users.getUsers') }),
};

const respond = (message) => self.postMessage(message);

self.addEventListener('message', ({ data }) => {
  if (data?.type !== 'invoke') return;
  const { id, target, method, args } = data;
  let outcome;
  if (target === 'client' && method === 'call')
    outcome = (CALLS[args[0]?._] ?? (() => ({ error: rpcError(400, 'METHOD_INVALID', 'Unknown RPC error: [400:METHOD_INVALID]', args[0]?._) })))();
  else if (target === 'client' && method === 'connect') {
    respond({ type: 'conn_state', state: 'connected' });
    // An error the client met on its own (client.onError), broadcast as a cloned Error.
    respond({ type: 'error', error: new Error('Unknown RPC error: [400:BOOSTS_REQUIRED]') });
    outcome = { result: undefined };
  } else if (target === 'custom' && method === 'resolveUsername') {
    outcome = { error: { name: 'MtArgumentError', message: 'Invalid username', stack: 'MtArgumentError: Invalid username' } };
  } else outcome = { error: { name: 'Error', message: `Method ${method} not found on ${target}`, stack: 'Error' } };
  if (data.void) return;
  respond('error' in outcome ? { type: 'result', id, error: outcome.error } : { type: 'result', id, result: outcome.result });
});
