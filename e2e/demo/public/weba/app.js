// A Web A-style page (Ajaxy/telegram-tt). Follows src/api/gramjs/worker/connector.ts: the
// master tab runs new Worker(url, {name}) and posts one {payloads} per tick
// (postMessagesOnTickEnd), each payload {messageId, type: 'callMethod', name, args};
// methodResponse settles the call (error: the worker's {message}); unhandledError is re-thrown
// unless ignored (here: logged, so the demo page stays free of uncaught errors). Other tabs
// call the master over the BroadcastChannel (src/util/browser/multitab.ts): {type: 'callApi',
// token, messageId, name, args} answered by {type: 'messageResponse', token, messageId,
// response}; no error field exists there, so no API error crosses it.
// `?auto=1` runs every flow and publishes what the page received as `window.demoResults`.

import { log, mountFlows } from '../demo-shell.js';

const CHANNEL_NAME = 'tt-demo-multitab';
let idCounter = 0;
const generateUniqueId = () => `${Date.now().toString(36)}-${++idCounter}`;

class Connector {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { name: 'account=0' });
    this.requests = new Map();
    this.updates = [];
    this.unhandled = [];
    this.queue = [];
    this.worker.addEventListener('message', ({ data }) => data?.payloads.forEach((payload) => this.onPayload(payload)));
  }

  onPayload(payload) {
    if (payload.type === 'updates') this.updates.push(...payload.updates.map((u) => u['@type']));
    else if (payload.type === 'unhandledError') this.unhandled.push(payload.error?.message);
    else if (payload.type === 'methodResponse') {
      const request = this.requests.get(payload.messageId);
      this.requests.delete(payload.messageId);
      if (!request) return;
      if (payload.error) request.reject(payload.error);
      else request.resolve(payload.response);
    }
  }

  post(payload) {
    this.queue.push(payload);
    if (this.queue.length > 1) return;
    queueMicrotask(() => {
      const payloads = this.queue;
      this.queue = [];
      this.worker.postMessage({ payloads });
    });
  }

  request(message) {
    const messageId = generateUniqueId();
    return new Promise((resolve, reject) => {
      this.requests.set(messageId, { resolve, reject });
      this.post({ messageId, ...message });
    });
  }

  callApi(name, ...args) {
    return this.request({ type: 'callMethod', name, args });
  }
}

const connector = new Connector();
const master = new BroadcastChannel(CHANNEL_NAME);
const otherTab = new BroadcastChannel(CHANNEL_NAME);
const token = 'tab-token-1';

// The master tab serves other tabs' calls; a call that fails there sends nothing back.
master.onmessage = ({ data }) => {
  if (data?.type !== 'callApi') return;
  void (async () => {
    const response = await connector.callApi(data.name, ...data.args);
    master.postMessage({ type: 'messageResponse', token: data.token, messageId: data.messageId, response });
  })().catch(() => undefined);
};

function callFromOtherTab(name, ...args) {
  const messageId = generateUniqueId();
  return new Promise((resolve) => {
    const onMessage = ({ data }) => {
      if (data?.type !== 'messageResponse' || data.messageId !== messageId) return;
      otherTab.removeEventListener('message', onMessage);
      resolve(data.response);
    };
    otherTab.addEventListener('message', onMessage);
    otherTab.postMessage({ type: 'callApi', token, messageId, name, args, withCallback: false });
  });
}

async function called(flow, promise) {
  try {
    const response = await promise;
    log(flow, `response ${JSON.stringify(response ?? null)}`, 'ok');
    return { response: response ?? null, updates: connector.updates.splice(0) };
  } catch (error) {
    log(flow, `error ${JSON.stringify(error)}`, 'error');
    return { error, updates: connector.updates.splice(0) };
  }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const FLOWS = [
  { id: 'init', label: 'initApi', run: () => called('init', connector.request({ type: 'initApi', args: [{ platform: 'demo' }, {}] })) },
  { id: 'fetchChats', label: 'fetchChats (ordinary)', run: () => called('fetchChats', connector.callApi('fetchChats', { limit: 2 })) },
  {
    id: 'importChatInvite',
    label: 'importChatInvite (RPCError 400 text)',
    run: () => called('importChatInvite', connector.callApi('importChatInvite', { hash: 'abc' })),
  },
  {
    id: 'fetchMessages',
    label: 'fetchMessages (FLOOD_WAIT 120 s sentence)',
    run: () => called('fetchMessages', connector.callApi('fetchMessages', { chatId: '42' })),
  },
  {
    id: 'sendMessage',
    label: 'sendMessage (slow mode: FLOOD update)',
    run: () => called('sendMessage', connector.callApi('sendMessage', { chatId: '-100123', text: 'hi' })),
  },
  {
    id: 'deleteMessages',
    label: 'deleteMessages (frozen account)',
    run: () => called('deleteMessages', connector.callApi('deleteMessages', { chatId: '42', ids: [7] })),
  },
  {
    id: 'provideAuthCode',
    label: 'provideAuthCode (updateAuthorizationError)',
    run: () => called('provideAuthCode', connector.callApi('provideAuthCode', '12345')),
  },
  { id: 'fetchTopics', label: 'fetchTopics (GramJS local error)', run: () => called('fetchTopics', connector.callApi('fetchTopics', { chatId: '42' })) },
  {
    id: 'crash',
    label: 'worker exception (unhandledError)',
    run: async () => ({ ...(await called('crash', connector.callApi('crash'))), unhandled: (await pause(100), connector.unhandled.splice(0)) }),
  },
  { id: 'otherTab', label: 'other tab: fetchChats over BroadcastChannel', run: async () => ({ response: await callFromOtherTab('fetchChats', { limit: 1 }) }) },
];

mountFlows(FLOWS);
