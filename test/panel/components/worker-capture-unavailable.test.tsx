// @vitest-environment happy-dom
// In a browser without chrome.debugger (Firefox) or a build without the `debugger` permission
// (the Chrome lite build), the panel says "Capture inside workers" is not available and why
// instead of showing a switch that cannot work; in Chrome's full build the switch is there.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/preact';
import { WorkerCaptureBar, workerCaptureUnavailable } from '../../../src/panel/components/bars/WorkerCaptureBar.tsx';

afterEach(cleanup);

describe('WorkerCaptureBar without chrome.debugger', () => {
  it('names the browser and what is still captured, with no control', () => {
    const view = render(
      <WorkerCaptureBar state={null} unavailable={{ reason: 'browser', browserName: 'Firefox' }} onSwitch={() => undefined} onReconnect={() => undefined} />,
    );
    const note = view.getByRole('note');
    expect(note.textContent).toContain('Capture inside workers is not available in Firefox');
    expect(note.textContent).toContain('Errors crossing between the page and its workers are still captured');
    expect(view.container.querySelectorAll('input, button')).toHaveLength(0);
  });

  it('in the Chrome lite build, says the build has no debugger permission and what to install, with no control', () => {
    const view = render(<WorkerCaptureBar state={null} unavailable={{ reason: 'build' }} onSwitch={() => undefined} onReconnect={() => undefined} />);
    const note = view.getByRole('note');
    expect(note.textContent).toContain(
      'Capture inside workers is not in this lite build (it has no debugger permission): install the full build to read sockets inside workers.',
    );
    expect(note.textContent).not.toContain('Chrome');
    expect(view.container.querySelectorAll('input, button')).toHaveLength(0);
  });

  it('tells a build without the permission from a browser without the API', () => {
    expect(workerCaptureUnavailable({ debugger: true, debuggerPermission: true, browserName: 'Chrome' })).toBeNull();
    expect(workerCaptureUnavailable({ debugger: false, debuggerPermission: false, browserName: 'Chrome' })).toEqual({ reason: 'build' });
    expect(workerCaptureUnavailable({ debugger: false, debuggerPermission: false, browserName: 'Firefox' })).toEqual({
      reason: 'browser',
      browserName: 'Firefox',
    });
  });

  it('shows the switch where the browser has chrome.debugger', () => {
    const view = render(<WorkerCaptureBar state={null} onSwitch={() => undefined} onReconnect={() => undefined} />);
    expect(view.getByRole('checkbox', { name: /Capture inside workers/ })).toBeTruthy();
    expect(view.queryByRole('note')).toBeNull();
  });

  it('says when its SharedWorker is read for other tabs too', () => {
    const state = {
      type: 'worker-capture' as const,
      on: true,
      status: 'on' as const,
      problem: null,
      workers: [{ kind: 'shared-worker' as const, url: 'https://app.example/w.js', tabs: 3 }],
      reading: 1,
      unreadable: [],
    };
    const view = render(<WorkerCaptureBar state={state} onSwitch={() => undefined} onReconnect={() => undefined} />);
    expect(view.getByRole('status').textContent).toBe('1 worker attached, reading 1 open socket (SharedWorker); the SharedWorker is read for 2 other tabs too');
  });
});
