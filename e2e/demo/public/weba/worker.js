// Stand-in for Web A's API worker (Ajaxy/telegram-tt, GramJS in a dedicated Worker). Follows:
// - src/api/gramjs/worker/worker.ts: onmessage reads data.payloads; answers are queued and
//   posted once per tick as {payloads}, pending updates first as {type: 'updates', updates};
//   a failed call is {type: 'methodResponse', messageId, error: {message: error.message}};
//   self.onerror / unhandledrejection send {type: 'unhandledError', error: {message}};
// - src/lib/gramjs/errors/RPCBaseErrors.ts, RPCErrorList.ts: the message texts
//   ('RPCError 400: NAME (caused by messages.X)', 'A wait of N seconds is required ...');
// - src/api/gramjs/methods/client.ts invokeRequest: without shouldThrow an error becomes the
//   update {'@type': 'error', error: {message: errorMessage, isSlowMode, hasErrorKey: true}}
//   (errorMessage is 'FLOOD' for the flood classes) and the call answers undefined;
//   FROZEN_METHOD_INVALID also sends {'@type': 'notSupportedInFrozenAccount', error: {message}};
//   methods/auth.ts onAuthError sends {'@type': 'updateAuthorizationError', errorKey, errorCode};
// - src/lib/gramjs/client/TelegramClient.ts invoke(): migrations, flood waits up to 60 s,
//   MsgWait and 500s are retried in the worker and never reach the page.
// Only errors that really reach the page are sent.

let pendingPayloads = [];
let pendingUpdates = [];
let scheduled = false;

function sendToOrigin(payload) {
  pendingPayloads.push(payload);
  schedule();
}

function onUpdate(update) {
  pendingUpdates.push(update);
  schedule();
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    if (pendingUpdates.length) pendingPayloads.unshift({ type: 'updates', updates: pendingUpdates });
    const data = { payloads: pendingPayloads };
    pendingUpdates = [];
    pendingPayloads = [];
    postMessage(data);
  }, 0);
}

/** GramJS's RPCError text. */
const rpcText = (code, name, className) => `RPCError ${code}: ${name} (caused by ${className})`;
const errorUpdate = (message, isSlowMode = false) => onUpdate({ '@type': 'error', error: { message, isSlowMode, hasErrorKey: true } });

const METHODS = {
  fetchChats: () => ({ chats: [{ id: '-100123', title: 'Errors FAQ', lastMessage: { text: 'CHAT_WRITE_FORBIDDEN and FLOOD_WAIT_5 explained' } }] }),
  // shouldThrow: the error text travels in methodResponse.
  importChatInvite: () => {
    throw new Error(rpcText(400, 'INVITE_HASH_EXPIRED', 'messages.ImportChatInvite'));
  },
  // A wait over floodSleepLimit (60 s) is thrown: FloodWaitError's text.
  fetchMessages: () => {
    throw new Error('A wait of 120 seconds is required (caused by messages.GetHistory)');
  },
  // No shouldThrow: SlowModeWaitError goes out as an update with its class name.
  sendMessage: () => {
    errorUpdate('FLOOD', true);
    return undefined;
  },
  // A frozen account: the error update and its companion notice.
  deleteMessages: () => {
    errorUpdate('FROZEN_METHOD_INVALID');
    onUpdate({ '@type': 'notSupportedInFrozenAccount', error: { message: 'FROZEN_METHOD_INVALID' } });
    return undefined;
  },
  provideAuthCode: () => {
    onUpdate({ '@type': 'updateAuthorizationError', errorKey: { key: 'ErrorCodeInvalid' }, errorCode: 'PHONE_CODE_INVALID' });
    return undefined;
  },
  // GramJS's own error after five failed tries: not an API error.
  fetchTopics: () => {
    throw new Error('Request was unsuccessful 5 time(s)');
  },
  crash: () => {
    setTimeout(() => {
      throw new Error("Cannot read properties of undefined (reading 'id')");
    }, 0);
    return true;
  },
};

self.onerror = (e) => {
  sendToOrigin({ type: 'unhandledError', error: { message: e.error?.message || 'Uncaught exception in worker' } });
  return true;
};

self.onmessage = ({ data }) => {
  data.payloads.forEach(async (payload) => {
    if (payload.type === 'initApi') {
      sendToOrigin({ type: 'methodResponse', messageId: payload.messageId, response: true });
      return;
    }
    if (payload.type !== 'callMethod') return;
    const { messageId, name, args } = payload;
    try {
      const method = METHODS[name];
      if (!method) throw new Error(`Unknown method ${name}`);
      const response = await method(...args);
      sendToOrigin({ type: 'methodResponse', messageId, response });
    } catch (error) {
      sendToOrigin({ type: 'methodResponse', messageId, error: { message: error.message } });
    }
  });
};
