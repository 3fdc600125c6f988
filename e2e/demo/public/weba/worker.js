// Stand-in for Telegram Web A's API worker (telegram-tt runs GramJS in a dedicated Worker).
// Both directions carry {payloads: [...]}: the page sends callMethod {messageId, name, args};
// the worker answers methodResponse {messageId, response} or {messageId, error: {message}}
// (Web A passes errors on as a message only) and pushes updates, errors among them as
// {'@type': 'error', error: {message, isSlowMode, hasErrorKey}}. Fixed answers, no state.

const METHODS = {
  fetchChats: () => ({
    response: {
      chats: [
        { id: '-100123', title: 'Errors FAQ', lastMessage: { text: 'CHAT_WRITE_FORBIDDEN and FLOOD_WAIT_5 explained' } },
        { id: '42', title: 'error_code', lastMessage: { text: '{"@type":"error","error":{"message":"SLOWMODE_WAIT_10"}}' } },
      ],
    },
    updates: [{ '@type': 'updateChat', id: '42', chat: { title: 'rpc_error / errorMessage / ok:false' } }],
  }),
  sendMessage: () => ({ error: { message: 'CHAT_WRITE_FORBIDDEN' } }),
  forwardMessages: () => ({ error: { message: 'SLOWMODE_WAIT_10' } }),
  // Succeeds, but a request made on the way hit a flood wait: Web A reports that as an update.
  fetchMessages: () => ({
    response: { messages: [{ id: 7, text: 'hello' }] },
    updates: [{ '@type': 'error', error: { message: 'FLOOD_WAIT_5', isSlowMode: false, hasErrorKey: true } }],
  }),
  editMessage: () => ({ error: { message: 'MESSAGE_NOT_MODIFIED' } }),
};

function answer(payload) {
  if (payload.type === 'initApi') return [{ type: 'methodResponse', messageId: payload.messageId, response: true }];
  if (payload.type !== 'callMethod') return [];
  const outcome = METHODS[payload.name]?.() ?? { error: { message: 'METHOD_INVALID' } };
  const response = outcome.error
    ? { type: 'methodResponse', messageId: payload.messageId, error: outcome.error }
    : { type: 'methodResponse', messageId: payload.messageId, response: outcome.response };
  return outcome.updates ? [response, { type: 'updates', updates: outcome.updates }] : [response];
}

self.onmessage = (event) => {
  const payloads = event.data?.payloads ?? [];
  const out = payloads.flatMap(answer);
  if (out.length > 0) self.postMessage({ payloads: out });
};
