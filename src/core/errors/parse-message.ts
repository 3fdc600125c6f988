// Splits an rpc_error's error_message into type and description, as the seed page says:
// /^([A-Z_0-9]+)(: (.+))?/ — with one tightening: the type must be the whole leading token, so it
// must be followed by the end of the text or by ": ". Otherwise `Timeout` would give type "T" and
// "Too Many Requests: retry after 5" type "T". Written as a character scan because it runs for
// every captured error.

export interface SplitMessage {
  /** The upper-case type, or null when the message does not start with one. */
  type: string | null;
  /** Text after "TYPE: " (anything, multi-line too), or null. */
  description: string | null;
}

function isTypeChar(c: number): boolean {
  // A-Z, 0-9, _
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

export function splitErrorMessage(message: string): SplitMessage {
  if (typeof message !== 'string') return { type: null, description: null };
  const length = message.length;
  let end = 0;
  while (end < length && isTypeChar(message.charCodeAt(end))) end++;
  if (end === 0) return { type: null, description: null };
  if (end === length) return { type: message, description: null };
  // ": " after the type; the seed's `(.+)` needs at least one character, so "TYPE: " has none.
  if (message.charCodeAt(end) === 58 && message.charCodeAt(end + 1) === 32) {
    const description = message.slice(end + 2);
    return { type: message.slice(0, end), description: description.length > 0 ? description : null };
  }
  return { type: null, description: null };
}
