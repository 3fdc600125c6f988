// Per-message cost of the call log's notes on the JSON and worker-boundary paths (issue 21 f),
// in Node with the hook's own modules and a reporter that delivers to nothing: a Web K invoke
// and its result through the worker inspector, a TL-JSON WebSocket request and its answer, and
// the additions on an HTTP request (naming its method, its key, two notes). Error-free traffic.
// Run with `npx tsx scripts/bench-call-notes.ts`; run the same file on an older tree to compare
// the worker path (the others are new code and measured alone).

import { createReporter } from '../src/hook/common/report.ts';
import { inspectWorkerMessage, newChannelState } from '../src/hook/workers/worker-message-inspector.ts';
import * as requestMethod from '../src/hook/common/request-method.ts';
import * as sighting from '../src/hook/http/request-sighting.ts';

const ROUNDS = 5;
const N = 200_000;
let delivered = 0;
const report = createReporter({ deliver: (d) => void (delivered += d.length), schedule: () => undefined, perSecond: 1e9 });

function time(label: string, run: (i: number) => void): void {
  const results: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < 20_000; i++) run(i); // warm
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) run(i);
    results.push(Number(process.hrtime.bigint() - t0) / 1000 / N);
  }
  results.sort((a, b) => a - b);
  console.log(`${label}: ${results[ROUNDS >> 1].toFixed(3)} µs per call+answer [${results[0].toFixed(3)} to ${results[ROUNDS - 1].toFixed(3)}]`);
}

const state = newChannelState('worker-1', 'http://x/worker.js');
time('worker boundary, Web K invoke + result', (i) => {
  inspectWorkerMessage(report, state, 'out', {
    type: 'invoke',
    id: i,
    payload: {
      type: 'manager',
      payload: { name: 'apiManager', method: 'invokeApi', args: ['messages.getHistory', { peer: { _: 'inputPeerSelf' }, limit: 20 }] },
    },
  });
  inspectWorkerMessage(report, state, 'in', { type: 'result', payload: { taskId: i, result: { _: 'messages.messages', messages: [], users: [], chats: [] } } });
});

const { requestOf, RecentRequests } = requestMethod as typeof requestMethod & {
  RecentRequests: new () => { remember(r: unknown): void; takeFor?(a: string): unknown; requestFor(a: string): unknown };
};
const recent = new RecentRequests();
time('WebSocket TL-JSON request + answer (request read, remembered, answer paired, 2 notes)', (i) => {
  const request = requestOf(`{"_":"messages.getHistory","msg_id":"${i}","peer":{"_":"inputPeerSelf"},"limit":20}`);
  if (request) {
    recent.remember(request);
    report.callNote?.('websocket', 'ws1', 'q', (request as { id: string }).id, (request as { method: string }).method);
  }
  const answer = `{"_":"rpc_result","req_msg_id":"${i}","result":{"_":"messages.messages","messages":[]}}`;
  const paired = (recent.takeFor ?? recent.requestFor).call(recent, answer) as { id: string } | undefined;
  if (paired) report.callNote?.('websocket', 'ws1', 'k', paired.id);
});

const callMethod = (sighting as { httpCallMethod?: (u: string, b: unknown) => string | undefined }).httpCallMethod;
const nextKey = (sighting as { nextHttpCallKey?: () => string }).nextHttpCallKey;
if (callMethod && nextKey) {
  time('HTTP additions per Bot API request + response (method from URL, key, 2 notes)', () => {
    const method = callMethod('https://api.telegram.org/bot123:ABC/getUpdates?offset=5', undefined);
    if (method !== undefined) {
      const key = nextKey();
      report.callNote('fetch', 'fetch', 'q', key, method);
      report.callNote('fetch', 'fetch', 'k', key);
    }
  });
  time('HTTP additions per TL-JSON body request + response', () => {
    const method = callMethod('https://x/api', '{"_":"help.getConfig","msg_id":"1"}');
    if (method !== undefined) {
      const key = nextKey();
      report.callNote('fetch', 'fetch', 'q', key, method);
      report.callNote('fetch', 'fetch', 'k', key);
    }
  });
}
console.log(`(${delivered} characters delivered)`);
