// A JSON API client for the call log's e2e (e2e/specs/calls/calls-json-channels.spec.ts): it runs
// a plan of calls one after another, the Bot API over XMLHttpRequest (POST /bot<token>/<method>,
// a JSON body, as Bot API dashboards call it) or TL-JSON over a WebSocket ({_: method, msg_id}
// text frames, answers paired by req_msg_id), and keeps what it got for each call.
// window.__run({channel: 'xhr' | 'websocket', wsUrl, plan}) resolves to [{method, outcome}];
// a plan step is {method, times} or {pauseMs}.

const logEl = document.getElementById('log');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function botApiCall(method) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/bot123456:TEST-bot-token/${method}`);
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.onloadend = () => {
      let answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: reported as such below
      }
      resolve(answer?.ok === true ? 'ok' : `${answer?.error_code} ${answer?.description}`);
    };
    xhr.send(JSON.stringify({ chat_id: 42, text: 'hello' }));
  });
}

async function tlJsonClient(url) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const waiting = new Map();
  socket.onmessage = ({ data }) => {
    const answer = JSON.parse(data);
    const done = waiting.get(answer.req_msg_id);
    waiting.delete(answer.req_msg_id);
    const result = answer.result;
    done?.(result?._ === 'rpc_error' ? `${result.error_code} ${result.error_message}` : 'ok');
  };
  let msgId = 7_000_000_000_000_000_000n;
  return (method) =>
    new Promise((resolve) => {
      msgId += 4n;
      const id = String(msgId);
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ _: method, msg_id: id, peer: { _: 'inputPeerSelf' }, limit: 20 }));
    });
}

window.__run = async ({ channel, wsUrl, plan }) => {
  const call = channel === 'xhr' ? botApiCall : await tlJsonClient(wsUrl);
  const outcomes = [];
  for (const step of plan) {
    if (step.pauseMs) await sleep(step.pauseMs);
    for (let i = 0; i < (step.times ?? 0); i++) {
      const outcome = await call(step.method);
      outcomes.push({ method: step.method, outcome });
      logEl.textContent += `${step.method}: ${outcome}\n`;
    }
  }
  return outcomes;
};
