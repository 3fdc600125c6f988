import type { PortLike } from '../../src/platform/extension-api.ts';

/** An in-memory port: the test plays the background side. */
export class FakePort implements PortLike {
  readonly sent: unknown[] = [];
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: (() => void)[] = [];
  disconnected = false;
  constructor(readonly name: string) {}
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  onMessage(listener: (m: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onDisconnect(listener: () => void): void {
    this.disconnectListeners.push(listener);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  /** Background -> panel. */
  deliver(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  /** The service worker stopped. */
  drop(): void {
    this.disconnected = true;
    for (const l of this.disconnectListeners) l();
  }
}
