// @vitest-environment happy-dom
// In a browser without chrome.debugger (Firefox), the panel says "Capture inside workers" is not
// available instead of showing a switch that cannot work; in Chrome the switch is there.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/preact';
import { WorkerCaptureBar } from '../../../src/panel/components/bars/WorkerCaptureBar.tsx';

afterEach(cleanup);

describe('WorkerCaptureBar without chrome.debugger', () => {
  it('names the browser and what is still captured, with no control', () => {
    const view = render(<WorkerCaptureBar state={null} unavailableIn="Firefox" onSwitch={() => undefined} onReconnect={() => undefined} />);
    const note = view.getByRole('note');
    expect(note.textContent).toContain('Capture inside workers is not available in Firefox');
    expect(note.textContent).toContain('Errors crossing between the page and its workers are still captured');
    expect(view.container.querySelectorAll('input, button')).toHaveLength(0);
  });

  it('shows the switch where the browser has chrome.debugger', () => {
    const view = render(<WorkerCaptureBar state={null} onSwitch={() => undefined} onReconnect={() => undefined} />);
    expect(view.getByRole('checkbox', { name: /Capture inside workers/ })).toBeTruthy();
    expect(view.queryByRole('note')).toBeNull();
  });

  it('says when its SharedWorker is read for other tabs too', () => {
    const state = { type: 'worker-capture' as const, on: true, status: 'on' as const, problem: null, workers: [{ kind: 'shared-worker' as const, url: 'https://app.example/w.js', tabs: 3 }], reading: 1, unreadable: [] };
    const view = render(<WorkerCaptureBar state={state} onSwitch={() => undefined} onReconnect={() => undefined} />);
    expect(view.getByRole('status').textContent).toBe('1 worker attached, reading 1 open socket (SharedWorker); the SharedWorker is read for 2 other tabs too');
  });
});
