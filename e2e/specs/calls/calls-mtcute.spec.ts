// The call log at mtcute's worker boundary (issue 21): the real mtcute (npm @mtcute/web) in a
// dedicated Worker against the fake Telegram, driven by the page through its TelegramWorkerPort
// (e2e/fake-telegram/page/mtcute-page.ts ?plan=burst): updates.getState, two help.getNearestDc,
// a contacts.resolveUsername the script fails with 400 USERNAME_NOT_OCCUPIED, then 11 s later
// seven help.getNearestDc, the seventh answered FLOOD_WAIT_300 (past mtcute's flood sleep
// threshold, so it reaches the page), and an updates.getState after it. The export's `calls` is
// what the page called through the port ({type: 'invoke', target: 'client', method: 'call'}, named
// by the request's `_`; importSession as client.importSession), with the outcome the page got,
// the DC unknown at this boundary; the server received each of those API calls on DC 2; the
// flood's `before` counts the 8 help.getNearestDc before it and the densest 10 s (the burst's 6).
// Last, ?plan=close: the worker's socket closes while a call waits, read on the worker's wire.

import { expect, test } from '@playwright/test';
import { ExtensionHarness, launchExtensionContext } from '../../harness/extension-browser.ts';
import { buildPage, fakeTelegramChromiumArgs, startFakeTelegram, type Rule } from '../../fake-telegram/index.ts';
import type { MtcutePageResult } from '../../fake-telegram/page/mtcute-page.ts';
import { giveKeysInPanel } from '../../harness/session-keys-ui.ts';
import { presharedAuthKey } from '../../fake-telegram/index.ts';
import { expectBeforeInPanel, expectCallCount, expectedBefore, settledExport, expectCallsBeforeView } from '../../harness/call-log-checks.ts';

test.describe.configure({ timeout: 120_000 });

const SCRIPT: Rule[] = [
  { method: 'contacts.resolveUsername', dc: 2, answer: { kind: 'error', code: 400, message: 'USERNAME_NOT_OCCUPIED' } },
  { method: 'help.getNearestDc', dc: 2, times: 8, answer: { kind: 'result' } },
  { method: 'help.getNearestDc', dc: 2, answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_300' } },
];

test('mtcute in a Worker: every call the page made through its port, with its outcome, and the calls before its flood wait', async () => {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/mtcute.html?kind=worker&plan=burst&wait=1`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    const panel = await harness.openPanelPage(await harness.tabIdOf(page));
    await panel.setViewportSize({ width: 1200, height: 720 });
    await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
    await page.waitForFunction(() => (window as unknown as { __result?: MtcutePageResult }).__result?.done, null, { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: MtcutePageResult }).__result);
    expect(result.error).toBeUndefined();
    const calls = result.calls!;
    const got = (c: (typeof calls)[number]) => (c.ok ? 'ok' : `error ${c.code} ${c.text}`);
    expect(calls.map((c) => `${c.method} ${got(c)}`)).toEqual([
      'client.importSession ok',
      'updates.getState ok',
      'help.getNearestDc ok',
      'help.getNearestDc ok',
      'contacts.resolveUsername error 400 USERNAME_NOT_OCCUPIED',
      ...Array<string>(6).fill('help.getNearestDc ok'),
      // mtcute's RpcError keeps the text with the number taken out (@mtcute/tl RpcError.fromTl).
      'help.getNearestDc error 420 FLOOD_WAIT_%d',
      'updates.getState ok',
    ]);
    // The server received each API call the page made, on DC 2, in the same order.
    const server = fake.log();
    expect(server.problems).toEqual([]);
    const apiCalls = calls.filter((c) => !c.method.startsWith('client.'));
    expect(server.calls.filter((c) => apiCalls.some((a) => a.method === c.method)).map((c) => `${c.method} dc${c.dc}`)).toEqual(
      apiCalls.map((c) => `${c.method} dc2`),
    );
    expect(fake.unusedRules()).toEqual([]);

    await expectCallCount(panel, calls.length);
    const data = await settledExport(panel);
    const described = data.calls.map((c) => {
      const record = c.recordId !== null ? data.errors.find((e) => e.id === c.recordId) : undefined;
      return `${c.channel} ${c.method} dc${c.dc} ${c.outcome}${record ? ` ${record.code} ${record.type}` : ''}`;
    });
    expect(described).toEqual(calls.map((c) => `worker ${c.method} dcnull ${c.ok ? 'ok' : `error ${c.code} ${c.code === 420 ? 'FLOOD_WAIT_300' : c.text}`}`));
    for (const c of data.calls) expect(c.durationMs, `${c.method} has its duration`).not.toBeNull();

    const failing = calls.findIndex((c) => c.method === 'help.getNearestDc' && !c.ok);
    const expected = expectedBefore(calls, failing, calls[failing].at);
    expect(expected).toEqual({ windowMs: 60_000, calls: 12, sameMethod: { count: 8, maxPer10s: 6 } });
    const flood = data.errors.find((e) => e.type === 'FLOOD_WAIT_300')!;
    expect(flood).toMatchObject({ method: 'help.getNearestDc', channel: 'worker', dialect: 'mtcute', params: { seconds: 300 } });
    expect(flood.before).toEqual(expected);
    await expectBeforeInPanel(panel, 'FLOOD_WAIT_300', 8, 6, 12);

    await expectCallsBeforeView(panel, 9, calls.length);
  } finally {
    await context.close();
    await fake.close();
  }
});

test("mtcute in a Worker, Capture inside workers on and the key given: every call the server received, read on the worker's wire, with its DC and outcome", async () => {
  const fake = await startFakeTelegram({ script: SCRIPT, publicDir: await buildPage() });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/mtcute.html?kind=worker&plan=burst&wait=1`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    const panel = await harness.openPanelPage(await harness.tabIdOf(page));
    await panel.setViewportSize({ width: 1200, height: 720 });
    // mtcute keeps its key in the worker's memory: pasted in the Session keys dialog.
    expect(await giveKeysInPanel(panel, { paste: [Buffer.from(presharedAuthKey(2)).toString('hex')] })).toBe(1);
    await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
    await expect(panel.getByText(/0 workers attached/)).toBeVisible({ timeout: 10_000 });
    await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
    await page.waitForFunction(() => (window as unknown as { __result?: MtcutePageResult }).__result?.done, null, { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: MtcutePageResult }).__result);
    expect(result.error).toBeUndefined();
    const server = fake.log();
    expect(server.problems).toEqual([]);
    expect(fake.unusedRules()).toEqual([]);

    const data = await settledExport(panel);
    // Every call the server received, on the worker's socket: method, DC and the outcome the server gave.
    const failed = new Map(server.errors.map((e) => [e.reqMsgId, `${e.code} ${e.message}`]));
    const wire = data.calls.filter((c) => c.channel === 'websocket');
    const described = wire.map((c) => {
      const record = c.recordId !== null ? data.errors.find((e) => e.id === c.recordId) : undefined;
      return `${c.method} dc${c.dc} ${c.outcome}${record ? ` ${record.code} ${record.type}` : ''}`;
    });
    expect(described).toEqual(server.calls.map((c) => `${c.method} dc${c.dc} ${failed.has(c.msgId) ? `error ${failed.get(c.msgId)}` : 'ok'}`));
    for (const c of wire) expect(c.durationMs, `${c.method} has its duration`).not.toBeNull();
    // With the wire in view, calls at the page-worker boundary are not logged again; those noted
    // before the wire showed its first request took their wire twins' place (CallLog.adoptWireTwin),
    // so no call is in the log twice: a boundary call left is one the server never received.
    const firstWire = Date.parse(wire[0].at);
    for (const c of data.calls.filter((c) => c.channel === 'worker')) {
      expect(Date.parse(c.at), `${c.method} at the boundary`).toBeLessThanOrEqual(firstWire);
      const twin = server.calls.find((s) => s.method === c.method && Math.abs(Date.parse(s.time) - Date.parse(c.at)) <= 30_000);
      expect(twin, `${c.method} at the boundary is also on the wire`).toBeUndefined();
    }

    // The flood's before: the server's count of help.getNearestDc before it, and the densest 10 s.
    const floodSent = server.errors.find((e) => e.message === 'FLOOD_WAIT_300')!;
    const served = server.calls.map((c) => ({ at: Date.parse(c.time), method: c.method }));
    const failing = server.calls.findIndex((c) => c.msgId === floodSent.reqMsgId);
    const fromServer = expectedBefore(served, failing, served[failing].at);
    expect(fromServer.sameMethod).toEqual({ count: 8, maxPer10s: 6 });
    const flood = data.errors.find((e) => e.type === 'FLOOD_WAIT_300')!;
    expect(flood).toMatchObject({ method: 'help.getNearestDc', channel: 'websocket', dc: 2, reachedPage: { channel: 'worker', dialect: 'mtcute' } });
    expect(flood.before?.sameMethod).toEqual(fromServer.sameMethod);
    // Its tab total: the calls in the log in the minute up to it.
    const floodCall = data.calls.find((c) => c.recordId === flood.id)!;
    const logged = data.calls.map((c) => ({ at: Date.parse(c.at), method: c.method ?? '' }));
    expect(flood.before?.calls).toBe(expectedBefore(logged, data.calls.indexOf(floodCall), Date.parse(flood.capturedAt)).calls);
    await expectBeforeInPanel(panel, 'FLOOD_WAIT_300', 8, 6, flood.before!.calls);
  } finally {
    await context.close();
    await fake.close();
  }
});

test("mtcute in a Worker, Capture inside workers on: the worker's socket closes while a call waits, and the call is unanswered at once, not after 60 s", async () => {
  // The server holds its answer to help.getNearestDc for two minutes: only the close can settle the call.
  const fake = await startFakeTelegram({
    script: [{ method: 'help.getNearestDc', dc: 2, delayMs: 120_000, answer: { kind: 'result' } }],
    publicDir: await buildPage(),
  });
  const context = await launchExtensionContext({ extraArgs: fakeTelegramChromiumArgs(fake.port) });
  try {
    const harness = await ExtensionHarness.attach(context);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${fake.port}/mtcute.html?kind=worker&plan=close&wait=1`);
    await page.waitForFunction(() => typeof (window as { __start?: unknown }).__start === 'function');
    const panel = await harness.openPanelPage(await harness.tabIdOf(page));
    expect(await giveKeysInPanel(panel, { paste: [Buffer.from(presharedAuthKey(2)).toString('hex')] })).toBe(1);
    await panel.getByRole('checkbox', { name: 'Capture inside workers' }).check();
    await expect(panel.getByText(/0 workers attached/)).toBeVisible({ timeout: 10_000 });
    await page.evaluate(() => (window as unknown as { __start: () => void }).__start());
    await page.waitForFunction(() => (window as unknown as { __result?: MtcutePageResult }).__result?.done, null, { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: MtcutePageResult }).__result);
    expect(result.error).toBeUndefined();
    expect(fake.log().calls.map((c) => c.method)).toContain('help.getNearestDc');

    // Settled well inside the 60 s an unanswered call otherwise waits: within 10 s of the close.
    let wire: Awaited<ReturnType<typeof settledExport>>['calls'] = [];
    await expect
      .poll(
        async () => {
          wire = (await settledExport(panel)).calls.filter((c) => c.channel === 'websocket');
          return wire.map((c) => `${c.method} ${c.outcome}`);
        },
        { timeout: 10_000, intervals: [250] },
      )
      .toEqual(['updates.getState ok', 'help.getNearestDc unanswered']);
    const waited = wire.find((c) => c.method === 'help.getNearestDc')!;
    expect(Date.now() - Date.parse(waited.at)).toBeLessThan(30_000);
    expect(Date.now() - result.closedAt!).toBeLessThan(15_000);
  } finally {
    await context.close();
    await fake.close();
  }
});
