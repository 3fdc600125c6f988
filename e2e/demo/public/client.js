// The demo web client. Each flow talks to the demo server over one channel and returns
// what the page itself received; `?auto=1` runs them all in a fixed order and publishes
// `window.demoResults`, so a test can check the page behaves the same with the extension.

import { log, mountFlows } from './demo-shell.js';
import { CTOR, TlWriter, TRANSPORT_TAG, ServerStreamReader, decodeUnencrypted, frame, unencryptedMessage } from './tl.js';
import { openObfuscation } from './obfuscation.js';

const WAIT_MS = 5000;
const BOT_TOKEN = '123456789:AAEfakeTokenForDemoOnly_abcdefghijkl';
const WS_BASE = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;

// ---- log ----

/** Looks only at envelope fields, so user text that quotes an error is not marked. */
function isErrorAnswer(v) {
  if (!v || typeof v !== 'object') return false;
  if (v._ === 'rpc_error' || v.ok === false || v['@type'] === 'error' || typeof v.errorMessage === 'string') return true;
  if (v._ === 'rpc_result') return isErrorAnswer(v.result);
  if (v._ === 'gzip_packed') return isErrorAnswer(v.unpacked);
  if (v._ === 'msg_container') return v.messages.some((m) => isErrorAnswer(m.body));
  return false;
}

/** Logs an answer, marking Telegram errors so they stand out in screenshots. */
function logAnswer(flow, label, value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const isError = typeof value === 'object' && isErrorAnswer(value);
  log(flow, `${label} ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`, isError ? 'error' : 'ok');
}

// ---- deterministic ids (results must not differ between runs) ----

let msgCounter = 0;
const CLIENT_TIME_BASE = 1_700_000_000n << 32n;
/** Client msg_ids are divisible by 4. */
const nextMsgId = () => CLIENT_TIME_BASE + BigInt(++msgCounter * 4);

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Queue of messages from a source, awaited one at a time. */
function messageQueue() {
  const items = [];
  const waiters = [];
  return {
    push(item) {
      const waiter = waiters.shift();
      if (waiter) waiter(item);
      else items.push(item);
    },
    next(what) {
      if (items.length) return Promise.resolve(items.shift());
      return withTimeout(new Promise((resolve) => waiters.push(resolve)), what);
    },
  };
}

// ---- fetch: TL-JSON ----

async function tlJsonFetch(path, request) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...request, msg_id: nextMsgId().toString() }),
  });
  return { status: res.status, body: await res.json() };
}

async function flowLogin() {
  const request = {
    _: 'auth.sendCode',
    phone_number: '+99966 1 2345',
    api_id: 2040,
    api_hash: 'b18441a1ff607e10a989891a5462e627',
    settings: { _: 'codeSettings' },
  };
  const first = await tlJsonFetch('/dc2/api', request);
  logAnswer('login', 'DC 2 auth.sendCode ->', first.body);
  const result = first.body.result;
  const migrate = result?._ === 'rpc_error' && result.error_code === 303 ? /_MIGRATE_(\d+)$/.exec(result.error_message) : null;
  if (!migrate) return { first };
  // A 303 *_MIGRATE_X means: repeat the same call on DC X.
  const dc = Number(migrate[1]);
  const second = await tlJsonFetch(`/dc${dc}/api`, request);
  logAnswer('login', `DC ${dc} auth.sendCode ->`, second.body);
  return { first, redirectedTo: dc, second };
}

async function flowHistory() {
  const history = await tlJsonFetch('/dc4/api', { _: 'messages.getHistory', peer: { _: 'inputPeerSelf' }, limit: 20 });
  logAnswer('history', 'messages.getHistory ->', history.body);
  // The `{method, params}` request form some clients use.
  const users = await tlJsonFetch('/dc4/api', { method: 'users.getUsers', params: { id: [{ _: 'inputUser', user_id: '1002' }] } });
  logAnswer('history', 'users.getUsers ->', users.body);
  return { history, users };
}

async function flowOddCodes() {
  const config = await tlJsonFetch('/dc4/api', { _: 'help.getConfig' });
  logAnswer('odd-codes', 'help.getConfig ->', config.body);
  const appConfig = await tlJsonFetch('/dc4/api', { _: 'help.getAppConfig', hash: 0 });
  logAnswer('odd-codes', 'help.getAppConfig ->', appConfig.body);
  return { config, appConfig };
}

async function flowGramJs() {
  const res = await fetch('/gramjs/invoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ method: 'contacts.ResolveUsername', params: { username: 'no such user!' } }),
  });
  const body = await res.json();
  logAnswer('gramjs', `contacts.ResolveUsername HTTP ${res.status} ->`, body);
  return { status: res.status, body };
}

// ---- fetch: Bot API ----

async function botCall(method, params, viaQuery = false) {
  const base = `/bot${BOT_TOKEN}/${method}`;
  const res = viaQuery
    ? await fetch(`${base}?${new URLSearchParams(params)}`)
    : await fetch(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  const body = await res.json();
  logAnswer('bot-api', `${method}(${JSON.stringify(params)}) HTTP ${res.status} ->`, body);
  return { status: res.status, retryAfterHeader: res.headers.get('retry-after'), body };
}

async function flowBotApi() {
  return {
    getMe: await botCall('getMe', {}, true),
    sent: await botCall('sendMessage', { chat_id: 42, text: 'Deploy done. (Last night: error_code 429, retry after 35.)' }),
    flood: await botCall('sendMessage', { chat_id: 43, text: 'second message' }),
    notFound: await botCall('sendMessage', { chat_id: '-1009999999999', text: 'hello?' }, true),
  };
}

// ---- XMLHttpRequest: upload ----

function xhrCall(request, responseType) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/dc4/upload');
    xhr.responseType = responseType;
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.onload = () => {
      let body;
      if (responseType === 'json') body = xhr.response;
      else if (responseType === 'arraybuffer') body = JSON.parse(new TextDecoder().decode(xhr.response));
      else body = JSON.parse(xhr.responseText);
      resolve({ status: xhr.status, responseType, body });
    };
    xhr.onerror = () => reject(new Error(`XHR ${request._} failed`));
    xhr.send(JSON.stringify({ ...request, msg_id: nextMsgId().toString() }));
  });
}

async function flowUpload() {
  // A fresh file id per run keeps runs apart on the server; it is left out of the results.
  const fileId = String(crypto.getRandomValues(new Uint32Array(1))[0]);
  const part = (n, type) => xhrCall({ _: 'upload.saveFilePart', file_id: fileId, file_part: n, bytes: btoa(`part ${n}`) }, type);
  const sendMedia = (type) =>
    xhrCall(
      {
        _: 'messages.sendMedia',
        peer: { _: 'inputPeerSelf' },
        random_id: '777',
        media: { _: 'inputMediaUploadedDocument', file: { _: 'inputFile', id: fileId, parts: 4, name: 'report.pdf' } },
      },
      type,
    );
  const calls = [];
  const step = async (label, promise) => {
    const answer = await promise;
    logAnswer('upload', `${label} [${answer.responseType || 'text'}] ->`, answer.body);
    calls.push({ label, ...answer });
  };
  await step('saveFilePart 0', part(0, 'json'));
  await step('saveFilePart 1', part(1, 'json'));
  await step('saveFilePart 2', part(2, ''));
  // Part 3 was "lost": the server asks for it by name.
  await step('sendMedia', sendMedia('json'));
  await step('saveFilePart 3', part(3, ''));
  await step(
    'getFile',
    xhrCall({ _: 'upload.getFile', location: { _: 'inputDocumentFileLocation', id: '5001', file_reference: 'AA==' }, offset: 0, limit: 4096 }, 'arraybuffer'),
  );
  await step('sendMedia again', sendMedia('arraybuffer'));
  return { calls };
}

// ---- WebSocket: text frames ----

function openSocket(path, binaryType) {
  const socket = new WebSocket(`${WS_BASE}${path}`);
  if (binaryType) socket.binaryType = binaryType;
  const queue = messageQueue();
  socket.addEventListener('message', (e) => queue.push(e.data));
  const opened = withTimeout(
    new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`${path} failed to open`)), { once: true });
    }),
    `${path} to open`,
  );
  return { socket, queue, opened };
}

async function flowWsJson() {
  const { socket, queue, opened } = openSocket('/ws/json');
  await opened;
  const received = [];
  const take = async () => {
    const data = JSON.parse(await queue.next('a TL-JSON frame'));
    logAnswer('ws-json', '<-', data);
    received.push(data);
    return data;
  };
  await take(); // the status update sent on connect
  for (let i = 1; i <= 5; i++) {
    const msgId = nextMsgId().toString();
    socket.send(
      JSON.stringify({
        _: 'messages.sendMessage',
        msg_id: msgId,
        peer: { _: 'inputPeerUser', user_id: '1002' },
        message: `message ${i}`,
        random_id: String(9000 + i),
      }),
    );
    let answer;
    do {
      answer = await take();
    } while (answer._ !== 'rpc_result' || answer.req_msg_id !== msgId);
    if (answer.result._ === 'rpc_error') break;
  }
  socket.close(1000, 'done');
  return { received };
}

async function flowTdlib() {
  const { socket, queue, opened } = openSocket('/ws/tdlib');
  await opened;
  const received = [];
  const take = async () => {
    const data = JSON.parse(await queue.next('a TDLib frame'));
    logAnswer('tdlib', '<-', data);
    received.push(data);
    return data;
  };
  await take(); // authorization state
  const send = (query) => socket.send(JSON.stringify(query));
  send({ '@type': 'getMe', '@extra': 5 });
  await take();
  send({ '@type': 'getChat', chat_id: 777, '@extra': 7 });
  await take();
  send({
    '@type': 'sendMessage',
    chat_id: 42,
    input_message_content: { '@type': 'inputMessageText', text: { '@type': 'formattedText', text: 'hi' } },
    '@extra': 8,
  });
  await take(); // the 429
  await take(); // an incoming message quoting an error
  socket.close(1000, 'done');
  return { received };
}

// ---- EventSource ----

function flowEvents() {
  return withTimeout(
    new Promise((resolve, reject) => {
      const source = new EventSource('/events');
      const events = [];
      const onEvent = (e) => {
        const data = JSON.parse(e.data);
        events.push({ type: e.type, lastEventId: e.lastEventId, data });
        logAnswer('events', `${e.type} #${e.lastEventId} ->`, data);
        if (data._ === 'rpc_error') {
          source.close();
          resolve({ events });
        }
      };
      source.addEventListener('message', onEvent);
      source.addEventListener('update', onEvent);
      source.onerror = () => {
        source.close();
        reject(new Error('event stream failed'));
      };
    }),
    'the event stream',
  );
}

// ---- WebSocket: binary MTProto ----

/** Opens an /apiws socket speaking one transport; `call` sends requests and awaits decoded messages. */
/** A transport payload as the client reads it: a transport error, encrypted data, or a message. */
async function decodePayload(payload) {
  if (payload.length === 4) return { transport_error: new DataView(payload.buffer, payload.byteOffset).getInt32(0, true) };
  if (payload.slice(0, 8).some((b) => b !== 0)) return { encrypted: true, length: payload.length };
  return decodeUnencrypted(payload);
}

async function openMtproto(flow, transport, binaryType, obfuscation = null) {
  const { socket, opened } = openSocket('/apiws', binaryType);
  await opened;
  const reader = new ServerStreamReader(transport);
  const decoded = messageQueue();
  // Blobs are read asynchronously; the chain keeps the byte stream in order.
  let chain = Promise.resolve();
  socket.addEventListener('message', (e) => {
    chain = chain.then(async () => {
      let bytes = new Uint8Array(e.data instanceof Blob ? await e.data.arrayBuffer() : e.data);
      if (obfuscation) bytes = await obfuscation.decrypt(bytes);
      for (const payload of reader.push(bytes)) decoded.push(await decodePayload(payload));
    });
  });
  // Sends go out in stream order even though encryption is asynchronous.
  let sending = Promise.resolve();
  const send = (bytes) => {
    sending = sending.then(async () => socket.send(obfuscation ? await obfuscation.encrypt(bytes) : bytes));
  };
  if (obfuscation) socket.send(obfuscation.init);
  else socket.send(TRANSPORT_TAG[transport]);
  const received = [];
  const request = (body) => {
    const msgId = nextMsgId();
    return { msgId: msgId.toString(), bytes: frame(transport, unencryptedMessage(msgId, body)) };
  };
  const sendRequests = (label, bodies) => {
    const requests = bodies.map(request);
    // Several frames in one WebSocket message, when asked.
    const joined = new Uint8Array(requests.reduce((n, r) => n + r.bytes.length, 0));
    let at = 0;
    for (const r of requests) {
      joined.set(r.bytes, at);
      at += r.bytes.length;
    }
    send(joined);
    log(flow, `-> ${label}`);
    return requests.map((r) => r.msgId);
  };
  const receive = async () => {
    const message = await decoded.next(`${flow} answer`);
    logAnswer(flow, '<-', message.body ?? message);
    received.push(message);
    return message;
  };
  return { socket, sendRequests, receive, received };
}

const body = {
  getNearestDc: () => new TlWriter().ctor(CTOR.helpGetNearestDc).toBytes(),
  ping: () => new TlWriter().ctor(CTOR.ping).long(0x1122334455667788n).toBytes(),
  sendMessage: () => new TlWriter().ctor(CTOR.messagesSendMessage).int(0).ctor(CTOR.inputPeerSelf).string('hello from the demo').long(0x0badc0ffeen).toBytes(),
  getHistory: () => new TlWriter().ctor(CTOR.messagesGetHistory).ctor(CTOR.inputPeerSelf).int(0).int(0).int(0).int(20).int(0).int(0).long(0n).toBytes(),
  sendCode: () =>
    new TlWriter()
      .ctor(CTOR.authSendCode)
      .string('+99966 1 2345')
      .int(2040)
      .string('b18441a1ff607e10a989891a5462e627')
      .ctor(CTOR.codeSettings)
      .int(0)
      .toBytes(),
  getFile: () =>
    new TlWriter()
      .ctor(CTOR.uploadGetFile)
      .int(0)
      .ctor(CTOR.inputDocumentFileLocation)
      .long(5001n)
      .long(6001n)
      .rawBytes(new Uint8Array([1, 2, 3]))
      .string('')
      .long(0n)
      .int(4096)
      .toBytes(),
};

async function flowMtprotoIntermediate() {
  const mt = await openMtproto('mtproto-ee', 'intermediate', 'arraybuffer');
  mt.sendRequests('help.getNearestDc + ping (one message)', [body.getNearestDc(), body.ping()]);
  await mt.receive();
  await mt.receive();
  mt.sendRequests('messages.sendMessage', [body.sendMessage()]);
  await mt.receive();
  mt.sendRequests('messages.getHistory', [body.getHistory()]);
  await mt.receive();
  mt.socket.close(1000, 'done');
  return { transport: 'intermediate', binaryType: 'arraybuffer', received: mt.received };
}

async function flowMtprotoAbridged() {
  const mt = await openMtproto('mtproto-ef', 'abridged', 'blob');
  mt.sendRequests('auth.sendCode', [body.sendCode()]);
  await mt.receive();
  mt.sendRequests('upload.getFile', [body.getFile()]);
  await mt.receive();
  mt.sendRequests('ping', [body.ping()]);
  await mt.receive();
  mt.socket.close(1000, 'done');
  return { transport: 'abridged', binaryType: 'blob', received: mt.received };
}

const obfuscatedBody = {
  getDialogs: () => new TlWriter().ctor(CTOR.messagesGetDialogs).int(0).int(0).int(0).ctor(CTOR.inputPeerSelf).int(20).long(0n).toBytes(),
  getContacts: () => new TlWriter().ctor(CTOR.contactsGetContacts).long(0n).toBytes(),
  getConfig: () => new TlWriter().ctor(CTOR.helpGetConfig).toBytes(),
};

async function flowObfuscatedIntermediate() {
  const obfuscation = await openObfuscation('intermediate', 2, 1);
  const mt = await openMtproto('obfuscated-ee', 'intermediate', 'arraybuffer', obfuscation);
  mt.sendRequests('help.getNearestDc', [body.getNearestDc()]);
  await mt.receive();
  mt.sendRequests('messages.sendMessage', [body.sendMessage()]);
  await mt.receive(); // encrypted traffic
  await mt.receive();
  mt.sendRequests('messages.getDialogs', [obfuscatedBody.getDialogs()]);
  await mt.receive();
  mt.socket.close(1000, 'done');
  return { transport: 'obfuscated intermediate', dc: 2, received: mt.received };
}

async function flowObfuscatedAbridged() {
  const obfuscation = await openObfuscation('abridged', -4, 2);
  const mt = await openMtproto('obfuscated-ef', 'abridged', 'blob', obfuscation);
  mt.sendRequests('contacts.getContacts', [obfuscatedBody.getContacts()]);
  await mt.receive();
  mt.sendRequests('help.getConfig', [obfuscatedBody.getConfig()]);
  await mt.receive();
  mt.socket.close(1000, 'done');
  return { transport: 'obfuscated abridged', dc: -4, received: mt.received };
}

// ---- running ----

export const FLOWS = [
  { id: 'login', label: 'Log in (fetch, 303)', run: flowLogin },
  { id: 'history', label: 'Chat history (fetch)', run: flowHistory },
  { id: 'oddCodes', label: 'Odd codes (fetch)', run: flowOddCodes },
  { id: 'gramjs', label: 'Resolve username (GramJS)', run: flowGramJs },
  { id: 'botApi', label: 'Bot API', run: flowBotApi },
  { id: 'upload', label: 'Upload (XHR)', run: flowUpload },
  { id: 'wsJson', label: 'Send messages (WebSocket)', run: flowWsJson },
  { id: 'tdlib', label: 'TDLib (WebSocket)', run: flowTdlib },
  { id: 'events', label: 'Updates (EventSource)', run: flowEvents },
  { id: 'mtprotoIntermediate', label: 'MTProto intermediate', run: flowMtprotoIntermediate },
  { id: 'mtprotoAbridged', label: 'MTProto abridged', run: flowMtprotoAbridged },
  { id: 'obfuscatedIntermediate', label: 'Obfuscated MTProto (DC 2)', run: flowObfuscatedIntermediate },
  { id: 'obfuscatedAbridged', label: 'Obfuscated MTProto (media DC 4)', run: flowObfuscatedAbridged },
];

mountFlows(FLOWS, {
  beforeAll: () => {
    msgCounter = 0;
  },
});
