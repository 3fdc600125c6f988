// A small WebDriver BiDi client over the `ws` package: commands with ids, their answers,
// and events. It talks to Firefox's own --remote-debugging-port (no geckodriver, no
// Playwright: neither works offline with Debian's Firefox ESR, see e2e/firefox/README.md).

import WebSocket from 'ws';

export interface BidiErrorAnswer {
  error: string;
  message: string;
  stacktrace?: string;
}

export class BidiError extends Error {
  constructor(
    readonly method: string,
    readonly answer: BidiErrorAnswer,
  ) {
    super(`${method}: ${answer.error}: ${answer.message}`);
  }
}

type EventHandler = (params: Record<string, unknown>) => void;

/** A remote value as BiDi serializes it (script.evaluate results). */
export interface RemoteValue {
  type: string;
  value?: unknown;
}

export class BidiConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve(value: unknown): void; reject(err: Error): void }>();
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('close', () => {
      this.closed = true;
      for (const { method, reject } of this.pending.values()) reject(new Error(`${method}: the BiDi connection closed`));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<BidiConnection> {
    const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new BidiConnection(socket);
  }

  /** Sends a command and resolves with its result (rejects with BidiError on an error answer). */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`${method}: the BiDi connection is closed`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Calls `handler` for each event of that name (subscribe to it with session.subscribe first). */
  on(event: string, handler: EventHandler): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as {
      id?: number;
      type?: string;
      result?: unknown;
      method?: string;
      params?: Record<string, unknown>;
    } & Partial<BidiErrorAnswer>;
    if (typeof message.id === 'number') {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.type === 'error') waiting.reject(new BidiError(waiting.method, message as BidiErrorAnswer));
      else waiting.resolve(message.result);
      return;
    }
    if (message.type === 'event' && message.method) {
      for (const handler of this.handlers.get(message.method) ?? []) handler(message.params ?? {});
    }
  }
}

/**
 * Turns a BiDi remote value into plain data. Results are meant to be JSON: the scripts the
 * tests run return JSON.stringify(...) where the shape matters, so this covers primitives
 * and plain arrays and objects.
 */
export function fromRemote(value: RemoteValue): unknown {
  switch (value.type) {
    case 'undefined':
      return undefined;
    case 'null':
      return null;
    case 'string':
    case 'boolean':
      return value.value;
    case 'number':
      return typeof value.value === 'string' ? Number(value.value) : value.value;
    case 'bigint':
      return BigInt(value.value as string);
    case 'array':
      return ((value.value as RemoteValue[]) ?? []).map(fromRemote);
    case 'object':
      return Object.fromEntries(
        ((value.value as [string | RemoteValue, RemoteValue][]) ?? []).map(([k, v]) => [typeof k === 'string' ? k : String(fromRemote(k)), fromRemote(v)]),
      );
    default:
      return { type: value.type };
  }
}
