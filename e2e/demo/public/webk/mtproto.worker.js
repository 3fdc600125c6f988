// Stand-in for Web K's MTProto worker (morethanwords/tweb): it answers the page's manager
// calls from fixed tables, with the shapes the real one sends. Follows:
// - src/lib/mainWorker/index.worker.ts, src/helpers/listenMessagePort.ts: a SharedWorker
//   attaches each connecting port; a dedicated worker attaches itself;
// - src/lib/appManagers/appManagersManager.ts: a 'manager' listener calls
//   managers[name][method](...args) and passes its errors on unchanged;
// - src/lib/mtproto/networker.ts @4940a831 processError: a server error becomes an ApiError
//   {type, stack, message, originalError: rpc_error, code}; src/helpers/makeError.ts: errors made
//   in the worker have a type only;
// - src/lib/appManagers/apiManager.ts @4940a831: 303 migrations, flood waits up to 60 s,
//   MSG_WAIT_*, 500s and bad_server_salt are handled in the worker and never reach the page;
//   406 is marked handled; repayRequestHandler.ts @5ad0183a adds invokeApiArgs to a 403
//   ALLOW_PAYMENT_REQUIRED_X.
// Only errors that really reach the page are sent.
//
// With ?wire=1 (the page served by the fake Telegram: e2e/demo/webk-wire/) the API calls go over
// a real encrypted MTProto socket from this worker (mtproto-wire.js, bundled from
// e2e/demo/webk-wire/): the server's errors are handled there as tweb's apiManager handles them,
// and only what tweb passes on reaches the page, in the same shapes as the tables below give.
// Keys and salts come from the page's localStorage `account1` through the 'localStorageProxy'
// task (tweb: a worker has no localStorage; apiManagerProxy answers the worker's storage calls).

import { TaskPort } from './message-port.js';

const WIRE = new URL(import.meta.url).searchParams.get('wire') === '1';
// &pfs=1: the keys the worker talks under live in its memory only, where tweb keeps its
// temporary keys: self.appManagersManager (MOUNT_CLASS_TO, src/config/debug.ts), whose
// managersByAccount (a Promise, then {1..4: managers}) gives apiManager.tempAuthKeys[dc].authKey
// = {key: Uint8Array(256), id, expiresAt} (src/lib/mtproto/tempAuthKeys.ts, authKey.ts). The fake
// Telegram has no key exchange, so these "temporary" keys are its pre-shared ones, fetched here
// instead of made by DH on the wire; the page's localStorage holds none of them.
const PFS = WIRE && new URL(import.meta.url).searchParams.get('pfs') === '1';

function apiError(code, message, extra = {}) {
  const m = /^([A-Z_0-9]+\b)(: (.+))?/.exec(message);
  return {
    type: m ? m[1] : 'UNKNOWN',
    stack: 'Error\n    at makeError (makeError.ts:2:17)\n    at NetworkerBase.processError (networker.ts:1971:19)',
    message: (m && m[3]) || `CODE#${code} ${message}`,
    originalError: { _: 'rpc_error', error_code: code, error_message: message },
    code: code <= 0 ? 500 : code,
    ...extra,
  };
}

const makeError = (type) => ({ type, stack: 'Error\n    at makeError (makeError.ts:2:17)' });
const reject = (error) => Promise.reject(error);

const API = {
  'help.getConfig': () => Promise.resolve({ _: 'config', this_dc: 2, test_mode: false }),
  // A wait longer than floodMaxTimeout (60 s) is thrown to the caller.
  'messages.sendMessage': () => reject(apiError(420, 'FLOOD_WAIT_120')),
  'payments.getStarGifts': () => reject(apiError(400, 'STARGIFT_INVALID')),
  'account.getAuthorizations': () => reject(apiError(401, 'SESSION_REVOKED')),
  'auth.bindTempAuthKey': () => reject(apiError(406, 'AUTH_KEY_DUPLICATED', { handled: true })),
  'upload.getFile': () => {
    const bytes = new Uint8Array(64).map((_, i) => i);
    return Promise.resolve({ value: { _: 'upload.file', mtime: 1700000000, bytes }, transferables: [bytes.buffer] });
  },
};

const MANAGERS = {
  apiManager: {
    invokeApi: (method) => (API[method] ?? (() => reject(apiError(400, 'METHOD_INVALID'))))(),
    invokeApiSingle: (method) => MANAGERS.apiManager.invokeApi(method),
    // One object argument: {method, params, options}.
    invokeApiSingleProcess: ({ method }) => MANAGERS.apiManager.invokeApi(method),
  },
  appMessagesManager: {
    // The repay handler attaches the call to the 403 so the page can pay and repeat it.
    sendText: ({ text }) =>
      reject(apiError(403, 'ALLOW_PAYMENT_REQUIRED_250', { invokeApiArgs: ['messages.sendMessage', { message: text, random_id: '1' }, {}] })),
    getHistory: () =>
      Promise.resolve({
        count: 2,
        messages: [
          { _: 'message', id: 2, message: 'I keep getting FLOOD_WAIT_17 on messages.sendMessage' },
          { _: 'message', id: 1, message: '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_5"}' },
        ],
      }),
  },
  appChatsManager: {
    // A cached server error thrown synchronously: with withAck the page gets it in the ack.
    getChannelFull: () => {
      throw apiError(420, 'SLOWMODE_WAIT_30');
    },
  },
  appDownloadsManager: {
    // Local errors: no server error behind them.
    download: () => reject(makeError('DOWNLOAD_CANCELED')),
    getCached: () => reject(makeError('NO_ENTRY_FOUND')),
  },
  appUsersManager: {
    getSelf: () => ({ _: 'user', id: 1000001, first_name: 'Demo', self: true }),
  },
};

// ---- ?wire=1: the calls on a real socket ----

let lastTasks = null;
let wireManager = null;

/** The API manager over MTProto, made once per worker with the keys the page keeps. */
function wireApi() {
  wireManager ??= (async () => {
    const tasks = lastTasks;
    const [{ createApiManager }, account] = await Promise.all([
      import('./mtproto-wire.js'),
      tasks.invoke('localStorageProxy', { type: 'get', args: ['account1'] }),
    ]);
    const stored = { ...(account ?? {}) };
    if (PFS) await holdTemporaryKeys(stored);
    return createApiManager({
      account: stored,
      makeApiError: apiError,
      // tweb updates the account (dcId after a migration, dcN_server_salt) through the page.
      save: (patch) => {
        Object.assign(stored, patch);
        // Temporary keys never leave the worker's memory.
        const saved = PFS ? Object.fromEntries(Object.entries(stored).filter(([name]) => !/_auth_key$/.test(name))) : stored;
        lastTasks?.invoke('localStorageProxy', { type: 'set', args: [{ account1: saved }] }).catch(() => undefined);
      },
    });
  })();
  return wireManager;
}

/** The keys for every DC, in memory only, mounted where tweb keeps its temporary keys. */
async function holdTemporaryKeys(account) {
  const session = await (await fetch('/fake-telegram/session.json')).json();
  const tempAuthKeys = {};
  for (const [dc, hex] of Object.entries(session.keys)) {
    account[`dc${dc}_auth_key`] = hex;
    const key = new Uint8Array(hex.match(/../g).map((b) => parseInt(b, 16)));
    tempAuthKeys[dc] = { authKey: { key, expiresAt: Math.floor(Date.now() / 1000) + 86400 } };
  }
  self.appManagersManager = { managersByAccount: Promise.resolve({ 1: { apiManager: { tempAuthKeys } } }) };
}

const invokeWire = (method, params) => wireApi().then((manager) => manager.invokeApi(method, params));

const WIRE_API = {
  'help.getConfig': () => invokeWire('help.getConfig', {}),
  'messages.sendMessage': (params) => invokeWire('messages.sendMessage', { message: '', random_id: '1', ...params }),
  'payments.getStarGifts': (params) => invokeWire('payments.getStarGifts', { hash: 0, ...params }),
  'account.getAuthorizations': () => invokeWire('account.getAuthorizations', {}),
  'auth.bindTempAuthKey': () => invokeWire('auth.bindTempAuthKey', {}),
  // Big results travel alone with their buffer transferred, as in the tables.
  'upload.getFile': (params) =>
    invokeWire('upload.getFile', { offset: 0, limit: 1024, ...params }).then((file) => ({ value: file, transferables: [file.bytes.buffer] })),
};

if (WIRE) {
  MANAGERS.apiManager.invokeApi = (method, params) => (WIRE_API[method] ?? (() => reject(apiError(400, 'METHOD_INVALID'))))(params ?? {});
  MANAGERS.apiManager.invokeApiSingleProcess = ({ method, params }) => MANAGERS.apiManager.invokeApi(method, params);
  // repayRequestHandler.ts: the 403 gets the call attached so the page can pay and repeat it.
  MANAGERS.appMessagesManager.sendText = ({ text }) => {
    const params = { message: text, random_id: '1' };
    return MANAGERS.apiManager.invokeApi('messages.sendMessage', params).catch((error) => {
      if (error?.code === 403 && /^ALLOW_PAYMENT_REQUIRED_/.test(error.type)) error.invokeApiArgs = ['messages.sendMessage', params, {}];
      throw error;
    });
  };
}

function attach(port) {
  const tasks = new TaskPort(port);
  lastTasks = tasks;
  tasks.on('manager', ({ name, method, args }) => {
    const fn = MANAGERS[name]?.[method];
    if (!fn) throw new TypeError(`${name}.${method} is not a function`);
    const result = fn(...args);
    // Worker-to-page calls ride on the same envelope.
    if (name === 'appUsersManager') tasks.invokeVoid('mirror', { name: 'self', value: result });
    return result;
  });
}

if ('onconnect' in self) self.onconnect = (event) => attach(event.ports[0]);
else attach(self);
