// A client for the handling audit's JSON and worker channels (e2e/specs/handling/request-sightings.spec.ts):
// - TL-JSON over fetch (/dc2/api): messages.editMessage answered 400 MESSAGE_NOT_MODIFIED and
//   repeated unchanged (a new msg_id, as a client sends): a violation; messages.sendReaction
//   answered FLOOD_WAIT_2 and repeated only after the wait: ok.
// - A Web K-style worker (worker.js; tweb's task shapes): apiManager.invokeApi
//   ('messages.forwardMessages') answered FLOOD_WAIT_3 and called again at once: a violation;
//   help.getConfig before it answered with a result.

const logEl = document.getElementById('log');
const log = (line) => (logEl.textContent += `${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let msgId = 1;
async function call(method, params) {
  const response = await fetch('/dc2/api', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _: method, msg_id: String(msgId++), ...params }),
  });
  const answer = await response.json();
  log(`${method}: ${JSON.stringify(answer.result).slice(0, 100)}`);
  return answer.result;
}

const worker = new Worker(new URL('./worker.js', import.meta.url));
let taskId = 0;
const waiting = new Map();
worker.onmessage = (event) => {
  const task = event.data;
  if (task?.type !== 'result') return;
  const done = waiting.get(task.payload.taskId);
  waiting.delete(task.payload.taskId);
  done?.(task.payload.error ? { error: task.payload.error } : { result: task.payload.result });
};
function invokeApi(method, params) {
  const id = ++taskId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({
      type: 'invoke',
      id,
      payload: { type: 'manager', payload: { name: 'apiManager', method: 'invokeApi', args: [method, params, {}], accountNumber: 0 } },
    });
  });
}

async function run() {
  const peer = { _: 'inputPeerSelf' };
  const edit = { peer, id: 5, message: 'the same text' };
  await call('messages.editMessage', edit);
  await call('messages.editMessage', edit); // unchanged: Telegram says not to

  const reaction = { peer, msg_id_to_react: 7, reaction: [{ _: 'reactionEmoji', emoticon: '+1' }] };
  const first = await call('messages.sendReaction', reaction);
  const seconds = Number(/FLOOD_WAIT_(\d+)/.exec(first.error_message ?? '')?.[1] ?? 0);
  await sleep(seconds * 1000 + 400); // waits as told
  const second = await call('messages.sendReaction', reaction);

  await invokeApi('help.getConfig', {}); // answered with a result (the call log's `ok`)
  const forward = { from_peer: peer, id: [11], to_peer: { _: 'inputPeerUser', user_id: '1002' }, random_id: [String(Math.random()).slice(2)] };
  const a = await invokeApi('messages.forwardMessages', forward);
  const b = await invokeApi('messages.forwardMessages', { ...forward, random_id: [String(Math.random()).slice(2)] }); // at once, during the wait
  log(`worker: ${JSON.stringify(a).slice(0, 80)} / ${JSON.stringify(b).slice(0, 80)}`);
  window.__sightings = { done: true, reactionAfterWait: second._ ?? second.error_message, workerFirst: a.error?.type };
}

if (new URLSearchParams(location.search).get('auto') === '1') run().catch((e) => (window.__sightings = { done: true, failed: String(e) }));
