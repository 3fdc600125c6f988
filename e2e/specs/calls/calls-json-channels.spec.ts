// The call log on JSON channels (issue 21): a client makes a known set of calls, the Bot API over
// XMLHttpRequest or TL-JSON over a WebSocket, against a server that logs what it received
// (e2e/harness/json-calls-server.ts): two calls of one method, a call of another one answered
// with a 400, then, 11 s later, a burst of the first method whose 7th call is answered with a
// flood wait, and one more call after it. The export's `calls` is the server's log (method, DC
// unknown on these channels, outcome, the error linked to its record), the flood's `before` counts
// the 8 calls of its method before it and the densest 10 s (the burst's 6), as the server's own
// log counts them; the panel's "Before" and Calls view show the same.

import { expect, test } from '../../harness/fixtures.ts';
import { expectBeforeInPanel, expectCallCount, expectedBefore, settledExport, expectCallsBeforeView } from '../../harness/call-log-checks.ts';
import { startJsonCallsServer, type JsonFailure } from '../../harness/json-calls-server.ts';

test.describe.configure({ timeout: 90_000 });

interface Client {
  channel: 'xhr' | 'websocket';
  /** The method of the burst, one called once before, one answered with a 400, one called after. */
  burst: string;
  first: string;
  failing: string;
  after: string;
  failures: JsonFailure[];
  /** What the flood's row in the errors timeline shows. */
  floodType: string;
}

const CLIENTS: Record<string, Client> = {
  'Bot API over XHR': {
    channel: 'xhr',
    burst: 'sendMessage',
    first: 'getMe',
    failing: 'getChat',
    after: 'getUpdates',
    failures: [
      { method: 'getChat', calls: [1], code: 400, message: 'Bad Request: chat not found' },
      { method: 'sendMessage', calls: [9], code: 429, message: 'Too Many Requests: retry after 17', retryAfter: 17 },
    ],
    floodType: 'Too Many Requests',
  },
  'TL-JSON over WebSocket': {
    channel: 'websocket',
    burst: 'messages.getHistory',
    first: 'help.getConfig',
    failing: 'users.getFullUser',
    after: 'updates.getState',
    failures: [
      { method: 'users.getFullUser', calls: [1], code: 400, message: 'USER_ID_INVALID' },
      { method: 'messages.getHistory', calls: [9], code: 420, message: 'FLOOD_WAIT_17' },
    ],
    floodType: 'FLOOD_WAIT_17',
  },
};

for (const [name, client] of Object.entries(CLIENTS)) {
  test(`${name}: every call the server received, with its outcome, and the calls before its flood wait`, async ({ page, tabIdOf, openPanelPage }) => {
    const server = await startJsonCallsServer(client.failures);
    try {
      await page.goto(`${server.url}calls/json.html`);
      const panel = await openPanelPage(await tabIdOf(page));
      await panel.setViewportSize({ width: 1200, height: 720 });
      const plan = [
        { method: client.first, times: 1 },
        { method: client.burst, times: 2 },
        { method: client.failing, times: 1 },
        { pauseMs: 11_000 },
        { method: client.burst, times: 7 },
        { method: client.after, times: 1 },
      ];
      const seen = await page.evaluate((run) => (window as unknown as { __run: (r: unknown) => Promise<{ method: string; outcome: string }[]> }).__run(run), {
        channel: client.channel,
        wsUrl: server.wsUrl,
        plan,
      });
      const served = server.log();
      // The client got what the server answered, call for call.
      expect(seen.map((s) => `${s.method} ${s.outcome}`)).toEqual(served.map((s) => `${s.method} ${s.answer}`));
      expect(served).toHaveLength(12);

      await expectCallCount(panel, served.length);
      const data = await settledExport(panel);
      const described = data.calls.map((c) => {
        const record = c.recordId !== null ? data.errors.find((e) => e.id === c.recordId) : undefined;
        return `${c.channel} ${c.method} dc${c.dc} ${c.outcome}${record ? ` ${record.code} ${record.message}` : ''}`;
      });
      // Each error call is linked to the record of the answer the server sent it.
      expect(described).toEqual(served.map((s) => `${s.channel} ${s.method} dcnull ${s.answer === 'ok' ? 'ok' : `error ${s.answer}`}`));
      for (const c of data.calls) expect(c.durationMs, `${c.method} has its duration`).not.toBeNull();

      // Before: what the server's log says, and the numbers the plan makes.
      const failingIndex = served.findIndex((s) => s.method === client.burst && s.answer !== 'ok');
      const expected = expectedBefore(served, failingIndex, served[failingIndex].at);
      expect(expected).toEqual({ windowMs: 60_000, calls: 11, sameMethod: { count: 8, maxPer10s: 6 } });
      const flood = data.errors.find((e) => e.method === client.burst)!;
      expect(flood.class).toBe('FLOOD');
      expect(flood.params).toEqual({ seconds: 17 });
      expect(flood.before).toEqual(expected);
      await expectBeforeInPanel(panel, client.floodType, 8, 6, 11);

      // The Calls view lists every call; "Show the calls before" filters it to the burst's method.
      await expectCallsBeforeView(panel, served.filter((s) => s.method === client.burst).length, served.length);
    } finally {
      await server.close();
    }
  });
}
