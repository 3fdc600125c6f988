import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogConnection } from '../../../src/panel/browser/log-connection.ts';
import { FakePort } from '../../helpers/fake-port.ts';

describe('LogConnection', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects on the tab port and passes messages on', () => {
    const ports: FakePort[] = [];
    const received: unknown[] = [];
    const conn = new LogConnection({ tabId: 42, connect: (name) => (ports.push(new FakePort(name)), ports.at(-1)!), onMessage: (m) => received.push(m) });
    conn.start();
    expect(ports.map((p) => p.name)).toEqual(['panel:42']);
    ports[0].deliver({ type: 'cleared' });
    expect(received).toEqual([{ type: 'cleared' }]);
  });

  it('unpacks a log batch sent as JSON text into the message it holds', () => {
    const ports: FakePort[] = [];
    const received: unknown[] = [];
    const conn = new LogConnection({ tabId: 7, connect: (name) => (ports.push(new FakePort(name)), ports.at(-1)!), onMessage: (m) => received.push(m) });
    conn.start();
    const append = { type: 'append', records: [{ id: 3, message: 'FLOOD_WAIT_17' }], stats: { droppedOldest: 0, dropped: {}, diagnostics: 0 } };
    ports[0].deliver({ type: 'packed', json: JSON.stringify(append) });
    ports[0].deliver({ type: 'cleared' });
    expect(received).toEqual([append, { type: 'cleared' }]);
  });

  it('reconnects with backoff after the worker stops, and resets the backoff once a message arrives', () => {
    const ports: FakePort[] = [];
    const status: boolean[] = [];
    const conn = new LogConnection({
      tabId: 1,
      connect: (name) => (ports.push(new FakePort(name)), ports.at(-1)!),
      onMessage: () => undefined,
      onStatus: (s) => status.push(s),
      backoff: [100, 1000],
    });
    conn.start();
    ports[0].drop();
    vi.advanceTimersByTime(99);
    expect(ports).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(ports).toHaveLength(2);
    ports[1].drop();
    vi.advanceTimersByTime(999);
    expect(ports).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(ports).toHaveLength(3);
    ports[2].deliver({ type: 'cleared' });
    ports[2].drop();
    vi.advanceTimersByTime(100);
    expect(ports).toHaveLength(4);
    expect(status).toEqual([false, false, true, false]);
  });

  it('retries when connect itself throws, and stops for good on close', () => {
    let calls = 0;
    const conn = new LogConnection({
      tabId: 1,
      connect: () => {
        calls++;
        throw new Error('Extension context invalidated');
      },
      onMessage: () => undefined,
      backoff: [10],
    });
    conn.start();
    vi.advanceTimersByTime(10);
    expect(calls).toBe(2);
    conn.close();
    vi.advanceTimersByTime(1000);
    expect(calls).toBe(2);
  });

  it('sends panel requests on the live port', () => {
    const port = new FakePort('x');
    const conn = new LogConnection({ tabId: 1, connect: () => port, onMessage: () => undefined });
    conn.start();
    conn.send({ type: 'clear' });
    expect(port.sent).toEqual([{ type: 'clear' }]);
  });
});
