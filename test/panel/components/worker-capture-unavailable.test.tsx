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
});
