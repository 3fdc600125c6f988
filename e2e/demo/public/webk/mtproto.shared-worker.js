// Stand-in for Telegram Web K's MTProto SharedWorker: answers the page's tasks with Web K's
// protocol ({type: 'invoke' | 'result' | 'ack' | 'ping' | 'pong' | 'batch', id, payload}).
// Real Web K runs MTProto here and hands the page decoded objects or ApiError objects
// ({type, code, originalError?}); this one answers from fixed tables, so every run of the
// demo receives exactly the same messages. It keeps no state between tasks.
// Runs as a SharedWorker (one port per page) or, where SharedWorker is missing, as a
// dedicated Worker, as Web K does.

/** Web K's ApiError for a server rpc_error. */
function apiError(message, code) {
  return { type: message, code, originalError: { _: 'rpc_error', error_code: code, error_message: message }, handled: false };
}

const API_METHODS = {
  'help.getConfig': () => ({ result: { _: 'config', this_dc: 2, test_mode: false, dc_options: [{ _: 'dcOption', id: 2, ip_address: '127.0.0.1', port: 443 }] } }),
  'messages.sendMessage': () => ({ error: apiError('FLOOD_WAIT_17', 420) }),
  'auth.signIn': () => ({ error: apiError('USER_MIGRATE_2', 303) }),
  'account.getAuthorizations': () => ({ error: apiError('SESSION_REVOKED', 401) }),
  'upload.getFile': () => {
    const bytes = new Uint8Array(64).map((_, i) => i);
    return { result: { _: 'upload.file', type: { _: 'storage.fileJpeg' }, mtime: 1700000000, bytes }, transfer: [bytes.buffer] };
  },
};

const MANAGER_METHODS = {
  // A manager call that fails inside the worker: the page only sees the manager's error.
  'appMessagesManager.sendText': () => ({ error: { type: 'PEER_ID_INVALID', code: 400 } }),
  'appUsersManager.getSelf': () => ({ result: { _: 'user', id: 1000001, first_name: 'Demo', self: true } }),
  // Ordinary data that merely talks about errors: no error here.
  'appMessagesManager.getHistory': () => ({
    result: {
      count: 3,
      messages: [
        { _: 'message', id: 3, message: 'I keep getting FLOOD_WAIT_17 on messages.sendMessage' },
        { _: 'message', id: 2, message: '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_5"}' },
        { _: 'message', id: 1, message: 'rpc_error / error_code / errorMessage / ok:false, all just words' },
      ],
    },
  }),
};

function answer(task) {
  const call = task.payload?.type === 'manager' ? task.payload.payload : null;
  if (!call) return { error: { type: 'UNSUPPORTED_TASK', code: 400 } };
  const direct = call.name === 'apiManager' && String(call.method).startsWith('invokeApi');
  const handler = direct ? API_METHODS[call.args[0]] : MANAGER_METHODS[`${call.name}.${call.method}`];
  return handler ? handler() : { error: apiError('METHOD_INVALID', 400) };
}

function resultTask(task, outcome) {
  const payload = outcome.error ? { taskId: task.id, error: outcome.error } : { taskId: task.id, result: outcome.result };
  return { type: 'result', payload };
}

function serve(port) {
  const onTask = (task) => {
    switch (task?.type) {
      case 'ping':
        port.postMessage({ type: 'pong' });
        break;
      case 'invoke': {
        const outcome = answer(task);
        port.postMessage(resultTask(task, outcome), outcome.transfer ?? []);
        break;
      }
      case 'batch': {
        // Answers to a batch of invokes come back as one batch, as Web K's worker groups them.
        const outcomes = task.payload.map((t) => [t, answer(t)]);
        port.postMessage({ type: 'batch', payload: outcomes.map(([t, o]) => resultTask(t, o)) }, outcomes.flatMap(([, o]) => o.transfer ?? []));
        break;
      }
      default:
        break;
    }
  };
  port.onmessage = (event) => onTask(event.data);
}

if ('onconnect' in self) {
  self.onconnect = (event) => serve(event.ports[0]);
} else {
  serve(self);
}
