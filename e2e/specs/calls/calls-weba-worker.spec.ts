// The call log at Web A's worker boundary (issue 21): a page calls a Web A-style API worker
// (e2e/apps/calls/weba-*.js, telegram-tt's callMethod / methodResponse envelopes, alone or in
// {payloads}) with a known plan: two fetchMessages, a fetchFullUser the worker fails with GramJS's
// 'RPCError 400: USER_ID_INVALID ...', then, 11 s later, a burst of fetchMessages whose 7th is
// answered with 'A wait of 120 seconds is required ...', and one call after it. The export's
// `calls` is what the page sent, each with the outcome it got (DC unknown at this boundary); the
// flood's `before` counts the 8 fetchMessages before it and the densest 10 s (the burst's 6), as
// the page's own log counts them; the panel's "Before" and Calls view show the same.

import { expect, test } from '../../harness/fixtures.ts';
import { expectBeforeInPanel, expectCallCount, expectedBefore, settledExport, expectCallsBeforeView } from '../../harness/call-log-checks.ts';
import { startJsonCallsServer } from '../../harness/json-calls-server.ts';

test.describe.configure({ timeout: 90_000 });

const ARTIFACTS = new URL('../../../artifacts/', import.meta.url).pathname;

const PLAN = [
  { name: 'fetchChats', times: 1 },
  { name: 'fetchMessages', times: 2 },
  { name: 'fetchFullUser', times: 1 },
  { pauseMs: 11_000 },
  { name: 'fetchMessages', times: 7 },
  { name: 'fetchTopics', times: 1 },
];

interface Sent {
  name: string;
  at: number;
  outcome: string;
}

for (const shape of ['plain', 'payloads'] as const) {
  test(`Web A callMethod (${shape}): every call the page made, with its outcome, and the calls before its flood wait`, async ({
    page,
    tabIdOf,
    openPanelPage,
  }) => {
    const server = await startJsonCallsServer([]);
    try {
      await page.goto(`${server.url}calls/weba.html?shape=${shape}`);
      await page.waitForFunction(() => typeof (window as { __run?: unknown }).__run === 'function');
      const panel = await openPanelPage(await tabIdOf(page));
      await panel.setViewportSize({ width: 1200, height: 720 });
      const sent = await page.evaluate((plan) => (window as unknown as { __run: (p: unknown) => Promise<Sent[]> }).__run(plan), PLAN);
      expect(sent.map((s) => `${s.name} ${s.outcome}`)).toEqual([
        'fetchChats ok',
        'fetchMessages ok',
        'fetchMessages ok',
        'fetchFullUser error RPCError 400: USER_ID_INVALID (caused by users.GetFullUser)',
        ...Array<string>(6).fill('fetchMessages ok'),
        'fetchMessages error A wait of 120 seconds is required (caused by messages.GetHistory)',
        'fetchTopics ok',
      ]);

      await expectCallCount(panel, sent.length);
      const data = await settledExport(panel);
      const described = data.calls.map((c) => {
        const record = c.recordId !== null ? data.errors.find((e) => e.id === c.recordId) : undefined;
        return `${c.channel} ${c.method} dc${c.dc} ${c.outcome}${record ? ` ${record.code} ${record.type}` : ''}`;
      });
      const types: Record<string, string> = { fetchFullUser: '400 USER_ID_INVALID', fetchMessages: '420 FLOOD_WAIT_120' };
      expect(described).toEqual(sent.map((s) => `worker ${s.name} dcnull ${s.outcome === 'ok' ? 'ok' : `error ${types[s.name]}`}`));
      for (const c of data.calls) expect(c.durationMs, `${c.method} has its duration`).not.toBeNull();

      const calls = sent.map((s) => ({ at: s.at, method: s.name }));
      const failing = sent.findIndex((s) => s.name === 'fetchMessages' && s.outcome !== 'ok');
      const expected = expectedBefore(calls, failing, sent[failing].at);
      expect(expected).toEqual({ windowMs: 60_000, calls: 11, sameMethod: { count: 8, maxPer10s: 6 } });
      const flood = data.errors.find((e) => e.type === 'FLOOD_WAIT_120')!;
      // The record names the Telegram method GramJS's text gave and the page's call beside it.
      expect(flood).toMatchObject({ method: 'messages.getHistory', clientCall: 'fetchMessages', dialect: 'weba' });
      expect(flood.before).toEqual(expected);
      await expectBeforeInPanel(panel, 'FLOOD_WAIT_120', 8, 6, 11);
      // For a look (artifacts/): Before names the page's call, fetchMessages, beside the record's messages.getHistory.
      await expect(panel.getByRole('region', { name: 'Calls before' }).locator('.before-line code')).toHaveText('fetchMessages');
      await panel.screenshot({ path: `${ARTIFACTS}calls-weba-${shape}-before-light.png` });
      await panel.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
      await panel.screenshot({ path: `${ARTIFACTS}calls-weba-${shape}-before-dark.png` });

      await expectCallsBeforeView(panel, 9, sent.length);
    } finally {
      await server.close();
    }
  });
}
