// A page using mtcute's TelegramWorkerPort (mtcute/mtcute). Follows
// packages/core/src/highlevel/worker/invoker.ts (ids from 0, {type: 'invoke', id, target,
// method, args, void, withAbort}; a result with `error` rejects with the deserialized error),
// port.ts (client.call(request) is invoke('client', 'call', [request, params]); 'error' messages
// go to onError) and packages/web/src/worker.ts connectToWorker (Worker: postMessage and a
// 'message' listener). `?auto=1` runs every flow and publishes what the page received.

import { log, mountFlows } from '../demo-shell.js';

const worker = new Worker(new URL('./worker.js', import.meta.url));
const pending = new Map();
const clientErrors = [];
let nextId = 0;

worker.addEventListener('message', ({ data }) => {
  if (data.type === 'error') clientErrors.push(data.error?.message);
  if (data.type !== 'result') return;
  const p = pending.get(data.id);
  pending.delete(data.id);
  if (!p) return;
  if (data.error) p.reject(data.error);
  else p.resolve(data.result);
});

function invoke(target, method, args) {
  const id = nextId++;
  worker.postMessage({ type: 'invoke', id, target, method, args, void: false, withAbort: false });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

const call = (request, params) => invoke('client', 'call', [request, params]);

async function outcome(flow, promise) {
  try {
    const result = await promise;
    log(flow, `result ${JSON.stringify(result ?? null)}`, 'ok');
    return { result: result ?? null };
  } catch (error) {
    log(flow, `error ${error.name}: ${error.message}`, 'error');
    return { error: { name: error.name, message: error.message, custom: error.custom ?? null } };
  }
}

const FLOWS = [
  {
    id: 'connect',
    label: 'client.connect',
    run: async () => ({ ...(await outcome('connect', invoke('client', 'connect', []))), clientErrors: clientErrors.splice(0) }),
  },
  { id: 'getConfig', label: 'help.getConfig', run: () => outcome('getConfig', call({ _: 'help.getConfig' })) },
  {
    id: 'sendMessage',
    label: 'messages.sendMessage (FLOOD_WAIT_%d, seconds 30)',
    run: () => outcome('sendMessage', call({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'hi' })),
  },
  { id: 'getUsers', label: 'users.getUsers (400)', run: () => outcome('getUsers', call({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] })) },
  { id: 'custom', label: 'custom method (MtArgumentError, not an API error)', run: () => outcome('custom', invoke('custom', 'resolveUsername', ['bad name'])) },
];

mountFlows(FLOWS);
