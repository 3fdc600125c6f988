// A page calling a Web A-style API worker (Ajaxy/telegram-tt src/api/gramjs/worker/connector.ts),
// for the call log's e2e (e2e/specs/calls/calls-weba-worker.spec.ts). Each call is
// {messageId, type: 'callMethod', name, args} with a generateUniqueId()-style string id; the
// worker answers {type: 'methodResponse', messageId, response} or, for a failed call,
// {type: 'methodResponse', messageId, error: {message}} (worker.ts). Two shapes, both in
// telegram-tt's history: ?shape=plain posts each message alone (connector.ts makeRequest:
// worker.postMessage(payload)); ?shape=payloads posts one {payloads: [...]} per tick
// (postMessagesOnTickEnd), and the worker answers the same way.
// window.__run(plan) runs the plan one call after another ({name, times} or {pauseMs}) and
// resolves to what the page sent and got: [{name, at, outcome}] (`at`: when it was posted).

const logEl = document.getElementById('log');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const batched = new URLSearchParams(location.search).get('shape') === 'payloads';

const worker = new Worker(new URL(`./weba-worker.js?shape=${batched ? 'payloads' : 'plain'}`, import.meta.url), { name: 'account=0' });
const requests = new Map();
let counter = 0;
const generateUniqueId = () => `${Date.now().toString(36)}-${++counter}`;

function onResponse(data) {
  if (data?.type !== 'methodResponse') return;
  const request = requests.get(data.messageId);
  requests.delete(data.messageId);
  if (!request) return;
  if (data.error) request.reject(data.error);
  else request.resolve(data.response);
}
worker.addEventListener('message', ({ data }) => (batched ? data?.payloads?.forEach(onResponse) : onResponse(data)));

function callApi(name, ...args) {
  const messageId = generateUniqueId();
  return new Promise((resolve, reject) => {
    requests.set(messageId, { resolve, reject });
    const payload = { messageId, type: 'callMethod', name, args };
    worker.postMessage(batched ? { payloads: [payload] } : payload);
  });
}

window.__run = async (plan) => {
  const sent = [];
  for (const step of plan) {
    if (step.pauseMs) await sleep(step.pauseMs);
    for (let i = 0; i < (step.times ?? 0); i++) {
      const at = Date.now();
      const outcome = await callApi(step.name, { chatId: '42', limit: 20 }).then(
        () => 'ok',
        (error) => `error ${error.message}`,
      );
      sent.push({ name: step.name, at, outcome });
      logEl.textContent += `${step.name}: ${outcome}\n`;
    }
  }
  return sent;
};
