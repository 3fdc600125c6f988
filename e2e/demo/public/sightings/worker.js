// A Web K-style worker (tweb's task shapes, as in ../webk/mtproto.worker.js): an invoke task
// {type: 'invoke', id, payload: {type: 'manager', payload: {name, method, args}}} is answered
// {type: 'result', payload: {taskId, result | error}}. messages.forwardMessages runs into a
// 3 s flood wait that tweb passes to the page (an ApiError with the rpc_error inside).

let floodUntil = 0;

function apiError(code, message) {
  return { type: message, code, message: `CODE#${code} ${message}`, originalError: { _: 'rpc_error', error_code: code, error_message: message } };
}

self.onmessage = (event) => {
  const task = event.data;
  if (task?.type !== 'invoke') return;
  const [method] = task.payload.payload.args;
  const answer = (payload) => self.postMessage({ type: 'result', payload: { taskId: task.id, ...payload } });
  // A call that succeeds, for the call log's `ok` at the worker boundary.
  if (method === 'help.getConfig') return answer({ result: { _: 'config', this_dc: 2 } });
  if (method !== 'messages.forwardMessages') return answer({ error: apiError(400, 'METHOD_INVALID') });
  const now = Date.now();
  if (now >= floodUntil) floodUntil = now + 3000;
  answer({ error: apiError(420, `FLOOD_WAIT_${Math.max(1, Math.ceil((floodUntil - now) / 1000))}`) });
};
