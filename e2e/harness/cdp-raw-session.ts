// A CDP session to any target over Target.sendMessageToTarget (flatten: false): DevTools'
// own pages and the service worker after a restart, which Playwright no longer tracks.

import type { CDPSession } from 'playwright-core';

interface CdpReply {
  id: number;
  result?: { result?: { value?: unknown; description?: string }; exceptionDetails?: { text?: string; exception?: { description?: string } } };
  error?: { message: string };
}

/** A CDP session over Target.sendMessageToTarget (flatten: false). */
export class RawTargetSession {
  private nextId = 1;
  private pending = new Map<number, (reply: CdpReply) => void>();
  private readonly onMessage = (event: { sessionId: string; message: string }) => {
    if (event.sessionId !== this.sessionId) return;
    const reply = JSON.parse(event.message) as CdpReply;
    this.pending.get(reply.id)?.(reply);
    this.pending.delete(reply.id);
  };

  private constructor(
    private readonly cdp: CDPSession,
    private readonly sessionId: string,
  ) {
    cdp.on('Target.receivedMessageFromTarget', this.onMessage);
  }

  static async attach(cdp: CDPSession, targetId: string): Promise<RawTargetSession> {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
    return new RawTargetSession(cdp, sessionId);
  }

  /** Any CDP command to the target (HeapProfiler.collectGarbage, Runtime.getHeapUsage, ...); its result. */
  async send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const reply = await this.call(method, params);
    if (reply.error) throw new Error(reply.error.message);
    return reply.result as T;
  }

  private call(method: string, params: Record<string, unknown>): Promise<CdpReply> {
    const id = this.nextId++;
    return new Promise<CdpReply>((resolve, reject) => {
      this.pending.set(id, resolve);
      this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  }

  /** Evaluates an expression (awaiting promises) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (reply.error) throw new Error(reply.error.message);
    const details = reply.result?.exceptionDetails;
    if (details) throw new Error(details.exception?.description ?? details.text ?? 'evaluation failed');
    return reply.result?.result?.value as T;
  }

  async detach(): Promise<void> {
    this.cdp.off('Target.receivedMessageFromTarget', this.onMessage);
    await this.cdp.send('Target.detachFromTarget', { sessionId: this.sessionId }).catch(() => undefined);
  }
}
