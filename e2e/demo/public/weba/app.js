// A Web A-style page: the API runs in a dedicated Worker reached with {payloads: [...]};
// calls are callMethod {messageId, name, args} and come back as methodResponse (error as
// {message} only) plus updates. Web A lets other tabs call the API through one tab over a
// BroadcastChannel; here the "other tab" is a second channel instance in the same page.
// `?auto=1` runs every flow and publishes what the page received as `window.demoResults`.

import { log, mountFlows } from '../demo-shell.js';

const WAIT_MS = 5000;
const CHANNEL_NAME = 'tt-demo-multitab';

function waiter(pending, messageId) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ failed: 'timeout' }), WAIT_MS);
    pending.set(messageId, (value) => (clearTimeout(timer), resolve(value)));
  });
}

/** The API side: one Worker, responses routed by messageId, updates collected in order. */
class ApiWorker {
  constructor() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url));
    this.pending = new Map();
    this.updates = [];
    this.relayed = new Map();
    this.nextId = 0;
    this.worker.onmessage = (event) => {
      for (const payload of event.data.payloads) this.onPayload(payload);
    };
  }

  onPayload(payload) {
    if (payload.type === 'updates') {
      this.updates.push(...payload.updates);
      return;
    }
    if (payload.type !== 'methodResponse') return;
    const relay = this.relayed.get(payload.messageId);
    if (relay) {
      // Answer the tab that asked, over the channel it asked on.
      this.relayed.delete(payload.messageId);
      relay.postMessage({ payloads: [payload] });
      return;
    }
    const resolve = this.pending.get(payload.messageId);
    this.pending.delete(payload.messageId);
    resolve?.('error' in payload ? { error: payload.error } : { response: payload.response });
  }

  send(payload) {
    this.worker.postMessage({ payloads: [payload] });
  }

  init() {
    const messageId = `init-${++this.nextId}`;
    const answer = waiter(this.pending, messageId);
    this.send({ type: 'initApi', messageId, args: [{ platform: 'demo' }] });
    return answer;
  }

  callApi(name, ...args) {
    const messageId = `m${++this.nextId}`;
    const answer = waiter(this.pending, messageId);
    this.send({ type: 'callMethod', messageId, name, args });
    return answer;
  }

  /** The master tab's side of the relay: calls from other tabs go to the worker as they are. */
  serveRelay(channel) {
    channel.onmessage = (event) => {
      for (const payload of event.data.payloads ?? []) {
        if (payload.type !== 'callMethod') continue;
        this.relayed.set(payload.messageId, channel);
        this.send(payload);
      }
    };
  }
}

/** Another tab's view of the API: it only has the BroadcastChannel. */
class RelayedApi {
  constructor(channel) {
    this.channel = channel;
    this.pending = new Map();
    this.nextId = 0;
    channel.addEventListener('message', (event) => {
      for (const payload of event.data.payloads ?? []) {
        const resolve = this.pending.get(payload.messageId);
        this.pending.delete(payload.messageId);
        resolve?.('error' in payload ? { error: payload.error } : { response: payload.response });
      }
    });
  }

  callApi(name, ...args) {
    const messageId = `tab2-${++this.nextId}`;
    const answer = waiter(this.pending, messageId);
    this.channel.postMessage({ payloads: [{ type: 'callMethod', messageId, name, args }] });
    return answer;
  }
}

const api = new ApiWorker();
const master = new BroadcastChannel(CHANNEL_NAME);
const otherTab = new RelayedApi(new BroadcastChannel(CHANNEL_NAME));
api.serveRelay(master);

async function called(flow, promise) {
  const answer = await promise;
  log(flow, JSON.stringify(answer), answer.error ? 'error' : 'ok');
  return answer;
}

const FLOWS = [
  { id: 'init', label: 'initApi', run: () => called('init', api.init()) },
  { id: 'fetchChats', label: 'fetchChats (ordinary)', run: async () => ({ ...(await called('fetchChats', api.callApi('fetchChats', { limit: 2 }))), updates: api.updates.splice(0) }) },
  { id: 'sendMessage', label: 'sendMessage (CHAT_WRITE_FORBIDDEN)', run: () => called('sendMessage', api.callApi('sendMessage', { chat: { id: '-100123' }, text: 'hello' })) },
  { id: 'forwardMessages', label: 'forwardMessages (SLOWMODE_WAIT_10)', run: () => called('forwardMessages', api.callApi('forwardMessages', { fromChatId: '42', toChatId: '-100123', messageIds: [7] })) },
  { id: 'fetchMessages', label: 'fetchMessages (FLOOD_WAIT_5 update)', run: async () => ({ ...(await called('fetchMessages', api.callApi('fetchMessages', { chatId: '42' }))), updates: api.updates.splice(0) }) },
  { id: 'relay', label: 'Other tab: editMessage via BroadcastChannel', run: () => called('relay', otherTab.callApi('editMessage', { chatId: '42', messageId: 7, text: 'hello' })) },
];

mountFlows(FLOWS);
