// A Web K-style page (morethanwords/tweb). Follows src/lib/apiManagerProxy.ts
// (registerWorker: a SharedWorker, or a dedicated Worker with ?noSharedWorker=1, both
// {type: 'module'}; tasks travel on worker.port || worker), src/lib/getProxiedManagers.ts
// (managers.X.y() and managers.acknowledged.X.y() send invoke('manager', {name, method, args,
// accountNumber}, withAck)) and src/lib/superMessagePort.ts (message-port.js).
// `?auto=1` runs every flow and publishes what the page received as `window.demoResults`.
// `?wire=1` (served by the fake Telegram, e2e/demo/webk-wire/): the worker talks MTProto over a
// real socket; the page first stores the session as Web K does, localStorage `account1` with
// dcN_auth_key / dcN_server_salt (tweb src/lib/accounts/types.d.ts), from the fake's
// /fake-telegram/session.json, and answers the worker's 'localStorageProxy' tasks (tweb
// apiManagerProxy: a worker has no localStorage).

import { log, mountFlows } from '../demo-shell.js';
import { TaskPort } from './message-port.js';

const query = new URLSearchParams(location.search);
const wire = query.get('wire') === '1';
// `&pfs=1`: as Web K with PFS (tweb src/lib/mtproto/tempAuthKeys.ts), the worker talks under keys
// it holds in memory only; the page's account1 keeps no auth key.
const pfs = wire && query.get('pfs') === '1';
// Stored afresh at every load, so each run starts on DC 1 as the scenario expects.
if (wire) {
  const session = await (await fetch('/fake-telegram/session.json')).json();
  const account = { dcId: session.dcId, userId: 1000001, date: Math.floor(Date.now() / 1000) };
  for (const [dc, key] of Object.entries(session.keys)) {
    if (!pfs) account[`dc${dc}_auth_key`] = key;
    account[`dc${dc}_server_salt`] = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
  }
  account.auth_key_fingerprint = session.keys[session.dcId].slice(0, 8);
  localStorage.setItem('account1', JSON.stringify(account));
}

const url = new URL(`./mtproto.worker.js${wire ? `?wire=1${pfs ? '&pfs=1' : ''}` : ''}`, import.meta.url);
const noShared = query.has('noSharedWorker') || typeof SharedWorker !== 'function';
const worker = noShared ? new Worker(url, { type: 'module' }) : new SharedWorker(url, { type: 'module' });
const port = new TaskPort(worker.port || worker);
const mirrored = [];
port.on('mirror', (payload) => void mirrored.push(payload.name));
port.on('localStorageProxy', ({ type, args }) => {
  if (type === 'get') return args.map((key) => JSON.parse(localStorage.getItem(key) ?? 'null'))[0];
  if (type === 'set') for (const [key, value] of Object.entries(args[0])) localStorage.setItem(key, JSON.stringify(value));
  return undefined;
});

const managers = (withAck) =>
  new Proxy(
    {},
    {
      get: (_t, name) =>
        new Proxy(
          {},
          {
            get:
              (_u, method) =>
              (...args) =>
                port.invoke('manager', { name, method, args, accountNumber: 0 }, withAck),
          },
        ),
    },
  );
const rootManagers = managers(false);
const acknowledged = managers(true);

/** What the page received: the result, or the error it was rejected with (an ApiError as cloned). */
async function outcome(flow, promise) {
  try {
    let result = await promise;
    if (result && typeof result === 'object' && 'cached' in result) result = { cached: result.cached, result: await result.result };
    const plain = JSON.parse(JSON.stringify(result ?? null, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)));
    log(flow, `result ${JSON.stringify(plain).slice(0, 120)}`, 'ok');
    return { result: plain };
  } catch (error) {
    const plain = error instanceof Error ? { name: error.name, message: error.message } : error;
    log(flow, `error ${JSON.stringify(plain).slice(0, 120)}`, 'error');
    return { error: plain };
  }
}

const api = rootManagers.apiManager;
const FLOWS = [
  { id: 'getConfig', label: 'help.getConfig', run: () => outcome('getConfig', api.invokeApi('help.getConfig', {})) },
  {
    id: 'sendMessage',
    label: 'messages.sendMessage (420 FLOOD_WAIT_120)',
    run: () => outcome('sendMessage', api.invokeApi('messages.sendMessage', { message: 'hello' })),
  },
  {
    id: 'sendText',
    label: 'appMessagesManager.sendText (403, invokeApiArgs)',
    run: () => outcome('sendText', rootManagers.appMessagesManager.sendText({ peerId: 777000, text: 'hi' })),
  },
  {
    id: 'starGifts',
    label: 'invokeApiSingleProcess({method}) with ack (400)',
    run: () => outcome('starGifts', acknowledged.apiManager.invokeApiSingleProcess({ method: 'payments.getStarGifts', params: { hash: 0 } })),
  },
  {
    id: 'channelFull',
    label: 'acknowledged call that throws at once (ack with error)',
    run: () => outcome('channelFull', acknowledged.appChatsManager.getChannelFull(1)),
  },
  {
    id: 'batch',
    label: 'two calls in one batch (401 beside a result)',
    run: () => Promise.all([outcome('batch', rootManagers.appUsersManager.getSelf()), outcome('batch', api.invokeApi('account.getAuthorizations', {}))]),
  },
  { id: 'handled406', label: 'auth.bindTempAuthKey (406, handled)', run: () => outcome('handled406', api.invokeApiSingle('auth.bindTempAuthKey', {})) },
  {
    id: 'download',
    label: 'local DOWNLOAD_CANCELED, NO_ENTRY_FOUND (not API errors)',
    run: () =>
      Promise.all([outcome('download', rootManagers.appDownloadsManager.download({})), outcome('download', rootManagers.appDownloadsManager.getCached({}))]),
  },
  { id: 'typeError', label: 'a JS error in the worker (not an API error)', run: () => outcome('typeError', rootManagers.appStickersManager.getStickerSet({})) },
  { id: 'getFile', label: 'upload.getFile (transferred, not batched)', run: () => outcome('getFile', api.invokeApi('upload.getFile', { limit: 64 })) },
  {
    id: 'history',
    label: 'chat history (ordinary data)',
    run: async () => ({ ...(await outcome('history', rootManagers.appMessagesManager.getHistory({ peerId: 1 }))), mirrored: mirrored.splice(0) }),
  },
];

mountFlows(FLOWS);
