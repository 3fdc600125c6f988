// Reads the error texts Web A's worker sends. Structured clone would drop a GramJS error's
// fields, so the worker sends `{message: error.message}` and the name, code and number live in
// a sentence. The texts are GramJS's own (Ajaxy/telegram-tt, src/lib/gramjs/errors/):
//   RPCBaseErrors.ts @32debd94  RPCError: 'RPCError {code}: {name} (caused by {className})',
//                               code empty when the error has none ('RPCError : NAME')
//   RPCErrorList.ts @319c0396   FloodWait 'A wait of N seconds is required (caused by X)' (also
//                               FloodPremiumWait: same text), SlowModeWait '... required before
//                               sending another message in this chat', FloodTestPhoneWait
//                               '... required in the test servers', the four migrate sentences
//                               '... DC N', MsgWait 'Message failed to be sent.', EmailUnconfirmed,
//                               PasswordFresh and SessionFresh sentences; TimedOutError has no
//                               constructor of its own, so its text is 'RPCError : [object Object]'
// Error updates carry `errorMessage` instead (methods/client.ts): the raw name, or the class
// name ('FLOOD', 'BAD_REQUEST') for the regex classes, or the migrate sentence.

import { matchTemplate } from '../errors/templates.ts';

export interface ClientErrorReading {
  /** The Telegram error name the text stands for (`FLOOD_WAIT_120`, `PEER_ID_INVALID`). */
  name: string;
  /** The code the text states, or the code of the GramJS class it names; null when neither. */
  code: number | null;
  /** True when `code` comes from the GramJS class, not from a number in the text. */
  codeFromClass: boolean;
  /** The Telegram method from `(caused by messages.SendMessage)`, as the schema names it. */
  method: string | null;
  /** Set for texts that lose part of the name (the wait of a FLOOD class name, MSG_WAIT_*). */
  note: string | null;
}

const CAUSED_BY = / *\(caused by ([A-Za-z0-9_.]{1,128})\)$/;

/** GramJS className (`messages.SendMessage`) to the schema's method name (`messages.sendMessage`). */
export function methodFromClassName(className: string): string | null {
  const dot = className.lastIndexOf('.');
  const ns = dot === -1 ? '' : className.slice(0, dot);
  const base = className.slice(dot + 1);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(base) || (ns !== '' && !/^[a-z][A-Za-z0-9]*$/.test(ns))) return null;
  const method = base[0].toLowerCase() + base.slice(1);
  return ns === '' ? method : `${ns}.${method}`;
}

/** [sentence with N where the number stands, error name with N]. */
const SENTENCES: ReadonlyArray<readonly [RegExp, (n: string) => string]> = [
  [/^A wait of (\d{1,12}) seconds is required before sending another message in this chat$/, (n) => `SLOWMODE_WAIT_${n}`],
  [/^A wait of (\d{1,12}) seconds is required in the test servers$/, (n) => `FLOOD_TEST_PHONE_WAIT_${n}`],
  [/^A wait of (\d{1,12}) seconds is required$/, (n) => `FLOOD_WAIT_${n}`],
  [/^The user whose identity is being used to execute queries is associated with DC (\d{1,4})$/, (n) => `USER_MIGRATE_${n}`],
  [/^The phone number a user is trying to use for authorization is associated with DC (\d{1,4})$/, (n) => `PHONE_MIGRATE_${n}`],
  [/^The file to be accessed is currently stored in DC (\d{1,4})$/, (n) => `FILE_MIGRATE_${n}`],
  [/^The source IP address is associated with DC (\d{1,4})$/, (n) => `NETWORK_MIGRATE_${n}`],
  [/^Email unconfirmed, the length of the code must be (\d{1,4})$/, (n) => `EMAIL_UNCONFIRMED_${n}`],
  [/^The password was modified less than 24 hours ago, try again in (\d{1,12}) seconds\.$/, (n) => `PASSWORD_TOO_FRESH_${n}`],
  [/^Session is fresh, please try again in (\d{1,12}) seconds\.$/, (n) => `SESSION_TOO_FRESH_${n}`],
];

/** GramJS base-class names an error update carries instead of the name (class field errorMessage). */
const CLASS_NAMES: Readonly<Record<string, number>> = { FLOOD: 420, BAD_REQUEST: 400 };

/**
 * Errors GramJS builds in the client with an upper-case message that no server sent
 * (RPCErrorList.ts @319c0396: PasskeyLoginRequestedError, UserAlreadyAuthorizedError).
 */
const LOCAL_NAMES: ReadonlySet<string> = new Set(['RESTART_AUTH_WITH_PASSKEY', 'USER_ALREADY_AUTHORIZED']);

const BARE_NAME = /^[A-Z0-9_]{2,128}$/;

function reading(name: string, code: number | null, codeFromClass: boolean, method: string | null, note: string | null = null): ClientErrorReading {
  return { name, code, codeFromClass, method, note };
}

/**
 * The Telegram error a Web A error text stands for, or null when the text is not an API error
 * (a local Error: 'Request was unsuccessful 5 time(s)', 'Uncaught exception in worker', ...).
 */
export function readGramjsText(text: string): ClientErrorReading | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > 1024) return null;
  const caused = CAUSED_BY.exec(text);
  const body = caused ? text.slice(0, caused.index) : text;
  const method = caused ? methodFromClassName(caused[1]) : null;

  const rpc = /^RPCError (\d{1,4})?: (.+)$/.exec(body);
  if (rpc) {
    const code = rpc[1] === undefined ? null : Number(rpc[1]);
    if (rpc[2] === '[object Object]') return reading('Timeout', code, false, method, 'GramJS TimedOutError: its text lost the name');
    if (!BARE_NAME.test(rpc[2])) return null;
    return reading(rpc[2], code, false, method);
  }
  for (const [pattern, name] of SENTENCES) {
    const m = pattern.exec(body);
    if (m) return reading(name(m[1]), null, false, method);
  }
  if (body === 'Message failed to be sent.') {
    return reading('MSG_WAIT_FAILED', null, false, method, 'GramJS MsgWaitError: MSG_WAIT_FAILED or MSG_WAIT_TIMEOUT, the text does not say which');
  }
  if (body === 'Timeout') return reading('Timeout', null, false, method);
  if (Object.hasOwn(CLASS_NAMES, body)) {
    return reading(body, CLASS_NAMES[body], true, method, 'GramJS sent its class name only: the error name and its number were lost');
  }
  // A bare name is the server's when GramJS says what it was caused by, or when the catalog or its
  // gaps know it; otherwise it is one of the client's own upper-case Errors (telegram-tt
  // src/lib/gramjs/client/downloadFile.ts @0a606739 throws Error('USER_CANCELED'), GramJS
  // client/auth.ts Error('AUTH_USER_CANCEL')), which would otherwise be listed as a 500.
  if (BARE_NAME.test(body) && !LOCAL_NAMES.has(body) && (caused !== null || matchTemplate(body) !== null)) return reading(body, null, false, method);
  return null;
}
