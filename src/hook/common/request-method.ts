// Names the call an error answers, from what the page sent: TL-JSON requests carry the
// method in `_` (or `method`), TDLib requests in `@type`; answers name their request by
// `req_msg_id` (TL-JSON) or echo `@extra` (TDLib). Only small request texts are looked at,
// and only their head, so a page's uploads cost nothing.

import { reflectApply, textSlice } from './natives.ts';

const regExpExec = RegExp.prototype.exec;
const HEAD_CHARS = 4096;

const METHOD = /"(?:_|method|@type)"\s*:\s*"([a-zA-Z][\w]{0,63}(?:\.[a-zA-Z][\w]{0,63})?)"/;
const REQUEST_ID = /"(?:msg_id|@extra|id)"\s*:\s*"?(-?\d{1,20})"?/;
const ANSWER_ID = /"(?:req_msg_id|@extra)"\s*:\s*"?(-?\d{1,20})"?/;

function match(pattern: RegExp, text: string): string | undefined {
  const found = reflectApply(regExpExec, pattern, [text.length > HEAD_CHARS ? textSlice(text, 0, HEAD_CHARS) : text]) as RegExpExecArray | null;
  return found ? found[1] : undefined;
}

/** The method a request text invokes, if it looks like a TL-JSON or TDLib request. */
export function methodOfRequest(body: unknown): string | undefined {
  return typeof body === 'string' && body.length <= 65_536 ? match(METHOD, body) : undefined;
}

export interface SentRequest {
  id: string;
  method: string;
  /** The request text, kept (up to TEXT_KEPT_CHARS) so an error answering it can carry its fingerprint. */
  text?: string;
}

/** Longest request text kept per remembered request for its fingerprint. */
export const TEXT_KEPT_CHARS = 16_384;

const BOT_API_PATH = /\/bot\d+:[^/]+\/([A-Za-z])/;

/** Whether a URL is a Bot API call (/bot<token>/<method>): its method is read from the URL later. */
export function isBotApiUrl(url: string): boolean {
  return url.length <= 4096 && match(BOT_API_PATH, url) !== undefined;
}

const BOT_API_METHOD = /\/bot\d+:[^/]+\/([A-Za-z][A-Za-z0-9_]{0,63})(?:[?#]|$)/;

/** The Bot API method a URL calls (/bot<token>/<method>), named as the decoder names it. */
export function botApiMethodOf(url: string): string | undefined {
  return url.length <= 4096 ? match(BOT_API_METHOD, url) : undefined;
}

export function requestOf(text: string): SentRequest | undefined {
  if (text.length > 65_536) return undefined;
  const method = match(METHOD, text);
  const id = method === undefined ? undefined : match(REQUEST_ID, text);
  if (method === undefined || id === undefined) return undefined;
  return text.length <= TEXT_KEPT_CHARS ? { id, method, text } : { id, method };
}

/** The id of the request an answer text names. */
export function answeredIdOf(text: string): string | undefined {
  return match(ANSWER_ID, text);
}

/** The last requests sent on one connection, bounded: enough to pair answers that come back soon. */
export class RecentRequests {
  private readonly methods = new Map<string, SentRequest>();
  constructor(private readonly capacity = 64) {}

  remember(request: SentRequest): void {
    this.methods.delete(request.id);
    this.methods.set(request.id, request);
    if (this.methods.size > this.capacity) this.methods.delete(this.methods.keys().next().value!);
  }

  /** The remembered request an answer text names, forgotten (one answer per request). */
  takeFor(answer: string): SentRequest | undefined {
    const id = answeredIdOf(answer);
    if (id === undefined) return undefined;
    const request = this.methods.get(id);
    if (request !== undefined) this.methods.delete(id);
    return request;
  }

  methodFor(answer: string): string | undefined {
    return this.requestFor(answer)?.method;
  }

  /** The remembered request an answer text names by its id. */
  requestFor(answer: string): SentRequest | undefined {
    const id = answeredIdOf(answer);
    return id === undefined ? undefined : this.methods.get(id);
  }
}
