// Keeps the panel subscribed to its tab's log. The background service worker is
// stopped when idle, which disconnects the port; we reconnect with backoff and the
// background answers every new connection with a full snapshot.

import type { PortLike } from '../../platform/extension-api.ts';
import { PANEL_PORT_PREFIX, type BackgroundToPanel, type PackedMessage, type PanelToBackground } from '../../shared/messages.ts';

export interface LogConnectionOptions {
  tabId: number;
  connect: (name: string) => PortLike;
  onMessage: (message: BackgroundToPanel) => void;
  onStatus?: (connected: boolean) => void;
  /** Backoff delays in ms; the last one repeats. */
  backoff?: readonly number[];
}

export class LogConnection {
  private port: PortLike | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly options: LogConnectionOptions) {}

  start(): void {
    this.open();
  }

  send(message: PanelToBackground): void {
    this.port?.postMessage(message);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.port?.disconnect();
    this.port = null;
  }

  private open(): void {
    if (this.closed) return;
    let port: PortLike;
    try {
      port = this.options.connect(PANEL_PORT_PREFIX + this.options.tabId);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.port = port;
    port.onMessage((message) => {
      this.attempt = 0;
      this.options.onStatus?.(true);
      this.options.onMessage(unpack(message as BackgroundToPanel | PackedMessage));
    });
    port.onDisconnect(() => {
      if (this.port === port) this.port = null;
      this.options.onStatus?.(false);
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closed || this.timer) return;
    const delays = this.options.backoff ?? [50, 200, 500, 1000, 2000];
    const delay = delays[Math.min(this.attempt, delays.length - 1)];
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, delay);
  }
}

/** A message as the panel's model takes it: a packed one (the log's batches, as JSON text) parsed. */
function unpack(message: BackgroundToPanel | PackedMessage): BackgroundToPanel {
  return message.type === 'packed' ? (JSON.parse(message.json) as BackgroundToPanel) : message;
}
