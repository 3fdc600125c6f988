// @vitest-environment happy-dom
// "Before" in the detail pane of a Web A error: the record names the Telegram method its text
// gave (messages.getHistory), the call log the page's call (fetchMessages). The pane counts,
// charts and filters the calls under the failing call's name.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { BeforeView } from '../../../../src/panel/components/detail/BeforeView.tsx';
import type { CallRecord } from '../../../../src/core/calls/call.ts';
import type { ErrorRecord } from '../../../../src/core/record.ts';

afterEach(cleanup);

const at = Date.parse('2026-12-06T04:00:00.000Z');
const call = (id: number, method: string, ms: number, extra: Partial<CallRecord> = {}): CallRecord => ({
  id,
  at: at - ms,
  method,
  dc: null,
  channel: 'worker',
  outcome: 'ok',
  durationMs: 5,
  recordId: null,
  ...extra,
});

describe('BeforeView', () => {
  it("a Web A error: the failing call's name for the chart, the DCs and the Calls view filter", () => {
    const calls = [
      call(1, 'fetchMessages', 3000),
      call(2, 'fetchMessages', 2000),
      call(3, 'fetchChats', 1500),
      call(4, 'fetchMessages', 0, { outcome: 'error', recordId: 9 }),
    ];
    const record = {
      id: 9,
      capturedAt: new Date(at).toISOString(),
      method: 'messages.getHistory',
      clientCall: 'fetchMessages',
      before: { windowMs: 60_000, calls: 4, sameMethod: { count: 2, maxPer10s: 2 } },
    } as ErrorRecord;
    const shown: (string | null)[] = [];
    const view = render(<BeforeView record={record} calls={calls} onShowCalls={(method) => shown.push(method)} />);
    expect(view.container.querySelector('.before-line code')!.textContent).toBe('fetchMessages');
    expect(view.container.querySelector('.before-dcs')!.textContent).toBe('On DC ? ×2.');
    expect(view.container.querySelectorAll('.before-chart .bar').length).toBeGreaterThan(0);
    fireEvent.click(view.getByRole('button', { name: /Show the calls before/ }));
    expect(shown).toEqual(['fetchMessages']);
  });
});
