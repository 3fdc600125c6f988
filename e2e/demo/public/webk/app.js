// A Web K-style page: every call goes to the MTProto SharedWorker as a task over its port
// (dedicated Worker where SharedWorker is missing). Direct API calls are
// apiManager.invokeApi(method, params); most go through managers (appMessagesManager.sendText).
// `?auto=1` runs every flow in a fixed order and publishes what the page received as
// `window.demoResults`, so a test can check the page behaves the same with the extension.

import { log, mountFlows } from '../demo-shell.js';

const WAIT_MS = 5000;

/** Web K's task client: ids per page, one pending promise per task. */
class WorkerTasks {
  constructor() {
    const url = new URL('./mtproto.shared-worker.js', import.meta.url);
    if (typeof SharedWorker === 'function') {
      this.kind = 'shared';
      this.port = new SharedWorker(url, { name: 'webk-demo-mtproto' }).port;
    } else {
      this.kind = 'dedicated';
      this.port = new Worker(url, { name: 'webk-demo-mtproto' });
    }
    this.nextId = 0;
    this.pending = new Map();
    this.pongs = [];
    this.port.addEventListener('message', (event) => this.onTask(event.data));
    // A MessagePort delivers nothing to addEventListener listeners until started.
    this.port.start?.();
  }

  onTask(task) {
    if (task.type === 'batch') {
      for (const inner of task.payload) this.onTask(inner);
    } else if (task.type === 'pong') {
      this.pongs.shift()?.('pong');
    } else if (task.type === 'result') {
      const pending = this.pending.get(task.payload.taskId);
      this.pending.delete(task.payload.taskId);
      if ('error' in task.payload) pending?.reject(task.payload.error);
      else pending?.resolve(task.payload.result);
    }
  }

  task(id) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject({ type: 'TIMEOUT', code: -1 }), WAIT_MS);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  invokeTask(name, method, args) {
    return { type: 'invoke', id: ++this.nextId, payload: { type: 'manager', payload: { name, method, args, accountNumber: 0 } } };
  }

  manager(name, method, ...args) {
    const task = this.invokeTask(name, method, args);
    this.port.postMessage(task);
    return this.task(task.id);
  }

  invokeApi(method, params = {}) {
    return this.manager('apiManager', 'invokeApi', method, params);
  }

  /** Several calls as one batch task; the worker answers with one batch. */
  batch(calls) {
    const tasks = calls.map(([name, method, ...args]) => this.invokeTask(name, method, args));
    this.port.postMessage({ type: 'batch', payload: tasks });
    return Promise.all(tasks.map((t) => this.task(t.id).then((result) => ({ result }), (error) => ({ error }))));
  }

  ping() {
    return new Promise((resolve) => {
      this.pongs.push(resolve);
      this.port.postMessage({ type: 'ping' });
    });
  }
}

let tasks = null;

/** What the page received for one call: its result, or the ApiError it was rejected with. */
async function outcome(flow, promise) {
  try {
    const result = await promise;
    log(flow, `result ${JSON.stringify(result, (_k, v) => (v instanceof Uint8Array ? `[${v.length} bytes]` : v))}`, 'ok');
    return { result: result instanceof Object && result.bytes instanceof Uint8Array ? { ...result, bytes: Array.from(result.bytes) } : result };
  } catch (error) {
    log(flow, `error ${JSON.stringify(error)}`, 'error');
    return { error };
  }
}

const FLOWS = [
  { id: 'ping', label: 'Ping', run: async () => ({ answer: await tasks.ping(), worker: tasks.kind }) },
  { id: 'getConfig', label: 'help.getConfig', run: () => outcome('getConfig', tasks.invokeApi('help.getConfig')) },
  { id: 'sendMessage', label: 'messages.sendMessage (420)', run: () => outcome('sendMessage', tasks.invokeApi('messages.sendMessage', { peer: { _: 'inputPeerSelf' }, message: 'hello', random_id: '1' })) },
  { id: 'sendText', label: 'appMessagesManager.sendText (400)', run: () => outcome('sendText', tasks.manager('appMessagesManager', 'sendText', { peerId: 777000, text: 'hi' })) },
  { id: 'signIn', label: 'auth.signIn (303)', run: () => outcome('signIn', tasks.manager('apiManager', 'invokeApiSingle', 'auth.signIn', { phone_number: '+10000000000', phone_code: '12345' })) },
  { id: 'getFile', label: 'upload.getFile (bytes)', run: () => outcome('getFile', tasks.invokeApi('upload.getFile', { offset: 0, limit: 64 })) },
  {
    id: 'batch',
    label: 'Batch: getSelf + account.getAuthorizations (401)',
    run: async () => {
      const answers = await tasks.batch([
        ['appUsersManager', 'getSelf'],
        ['apiManager', 'invokeApi', 'account.getAuthorizations', {}],
      ]);
      log('batch', JSON.stringify(answers), answers.some((a) => a.error) ? 'error' : 'ok');
      return answers;
    },
  },
  { id: 'history', label: 'Chat history (ordinary)', run: () => outcome('history', tasks.manager('appMessagesManager', 'getHistory', { peerId: 1000001, limit: 3 })) },
];

tasks = new WorkerTasks();
mountFlows(FLOWS);
