// Scripted answers and the log of what the fake server received and sent.

/** How to answer one call. */
export type Answer =
  /** The method's default success (results.ts). */
  | { kind: 'result' }
  /**
   * rpc_result carrying rpc_error. `gzip`: 'inner' = rpc_result → gzip_packed → rpc_error,
   * 'outer' = gzip_packed → rpc_result → rpc_error. `container`: sent in a msg_container after a
   * msgs_ack of the request, as Telegram often does.
   */
  | { kind: 'error'; code: number; message: string; gzip?: 'inner' | 'outer'; container?: boolean }
  /** bad_server_salt (error_code 48) for the request's msg_id: the client must resend with the new salt. */
  | { kind: 'bad_server_salt' };

export interface Rule {
  /** TL method name, e.g. `messages.sendMessage`. */
  method: string;
  /** Only calls reaching this DC. */
  dc?: number;
  /** How many matching calls this rule answers (default 1); then the next rule or the default. */
  times?: number;
  /** Answer this long after the call (a slow server: the answer crosses whatever happens meanwhile). */
  delayMs?: number;
  answer: Answer;
}

export interface CallLogEntry {
  seq: number;
  time: string;
  dc: number;
  connection: number;
  method: string;
  /** GramJS wrappers around the call, outermost first (InvokeWithLayer, InitConnection). */
  wrappers: string[];
  msgId: string;
  /** Index of the rule that answered, null for the default answer. */
  rule: number | null;
}

export interface SentErrorEntry {
  seq: number;
  time: string;
  dc: number;
  connection: number;
  method: string;
  /** The msg_id of the request answered. */
  reqMsgId: string;
  kind: 'rpc_error' | 'bad_server_salt';
  code: number;
  message: string;
  gzip: 'inner' | 'outer' | null;
  container: boolean;
  /** False for the fake's own 400 FAKE_METHOD_NOT_IMPLEMENTED. */
  scripted: boolean;
}

export interface ConnectionLogEntry {
  id: number;
  time: string;
  /** Host header: the DC host name the client asked for (after Chromium's host mapping). */
  host: string;
  /** DC from the host name, null when the client came by IP (the auth key then decides). */
  dc: number | null;
  path: string;
  /** Over TLS (wss): Chromium upgrades ws:// to *.web.telegram.org to wss:// (HSTS preload). */
  secure: boolean;
}

export interface FakeTelegramLog {
  connections: ConnectionLogEntry[];
  calls: CallLogEntry[];
  errors: SentErrorEntry[];
  /** Frames the server could not read (wrong key, key exchange attempts...). */
  problems: string[];
}

/** Plays a script: each call takes the first rule that matches it and has uses left. */
export class ScriptPlayer {
  private left: number[];
  constructor(readonly rules: readonly Rule[]) {
    this.left = rules.map((r) => r.times ?? 1);
  }

  /** Every rule usable again, for a second client in the same browser (the demo). */
  rewind(): void {
    this.left = this.rules.map((r) => r.times ?? 1);
  }

  next(method: string, dc: number): { answer: Answer; rule: number | null; delayMs: number } {
    const i = this.rules.findIndex((r, j) => this.left[j] > 0 && r.method === method && (r.dc === undefined || r.dc === dc));
    if (i < 0) return { answer: { kind: 'result' }, rule: null, delayMs: 0 };
    this.left[i]--;
    return { answer: this.rules[i].answer, rule: i, delayMs: this.rules[i].delayMs ?? 0 };
  }

  /** Rules not used up: a test can assert the client made every scripted call. */
  unused(): Rule[] {
    return this.rules.filter((_, i) => this.left[i] > 0);
  }
}
