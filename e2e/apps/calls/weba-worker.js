// A Web A-style API worker for the call log's e2e (weba-app.js): it answers each callMethod as
// telegram-tt's worker.ts does, with methodResponse {response} or {error: {message}} where the
// message is GramJS's error text (lib/gramjs/errors: RPCError's 'RPCError 400: NAME (caused by
// X)', FloodWaitError's 'A wait of N seconds is required (caused by X)'). Scripted: the first
// fetchFullUser fails with USER_ID_INVALID, the ninth fetchMessages with a 120 s flood wait
// (Web A sleeps through waits up to 60 s in the worker; a longer one reaches the page).

const batched = new URL(self.location.href).searchParams.get('shape') === 'payloads';
const calls = new Map();

const FAILURES = {
  fetchFullUser: { 1: 'RPCError 400: USER_ID_INVALID (caused by users.GetFullUser)' },
  fetchMessages: { 9: 'A wait of 120 seconds is required (caused by messages.GetHistory)' },
};

function send(payload) {
  postMessage(batched ? { payloads: [payload] } : payload);
}

function onPayload(data) {
  if (data?.type !== 'callMethod') return;
  const n = (calls.get(data.name) ?? 0) + 1;
  calls.set(data.name, n);
  const failure = FAILURES[data.name]?.[n];
  // Answered on a later tick, as an awaited GramJS invoke is.
  setTimeout(() => {
    if (failure) send({ type: 'methodResponse', messageId: data.messageId, error: { message: failure } });
    else send({ type: 'methodResponse', messageId: data.messageId, response: { ok: true, call: n } });
  }, 5);
}

onmessage = ({ data }) => (batched ? data?.payloads?.forEach(onPayload) : onPayload(data));
