// A readable sentence built from an error's name when no catalog describes it:
// USERNAME_NOT_OCCUPIED -> "Derived from the name: the username is not occupied."
// It is a reading of the words, not documentation, and says so.

import type { ParamName } from '../record.ts';

/** Last words that describe the state of what the words before them name. */
const STATES = new Set([
  'invalid',
  'empty',
  'expired',
  'occupied',
  'unoccupied',
  'missing',
  'required',
  'forbidden',
  'disabled',
  'unsupported',
  'deactivated',
  'revoked',
  'unregistered',
  'restricted',
  'banned',
  'blocked',
  'deleted',
  'private',
  'modified',
  'outdated',
  'locked',
  'hidden',
  'closed',
  'full',
  'duplicate',
  'used',
  'unavailable',
  'denied',
  'exceeded',
  'mismatch',
  'busy',
  'failed',
  'needed',
  'wrong',
  'incorrect',
  'unknown',
  'unconfirmed',
  'active',
  'inactive',
  'pending',
]);

const PARAM_PHRASES: Readonly<Record<ParamName, (v: string) => string>> = {
  seconds: (v) => `wait ${v} seconds`,
  minutes: (v) => `wait ${v} minutes`,
  until: (v) => `wait until ${v}`,
  dc: (v) => `repeat the request on DC ${v}`,
  part: (v) => `file part ${v}`,
  index: (v) => `media #${v} of the request`,
  length: (v) => `the code has ${v} characters`,
  stars: (v) => `${v} Stars per message`,
};

function untilText(value: number): string {
  const ms = value * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(value);
}

function readWords(words: string[]): string {
  if (words.length === 0) return '';
  const notAt = words.indexOf('not');
  if (notAt > 0) return `the ${words.slice(0, notAt).join(' ')} is ${words.slice(notAt).join(' ')}`;
  const tooAt = words.indexOf('too');
  if (tooAt > 0 && tooAt < words.length - 1) {
    const subject = words.slice(0, tooAt).join(' ');
    const amount = words.slice(tooAt + 1).join(' ');
    if (amount === 'much' || amount === 'many') return `too many ${subject}`;
    if (amount === 'few') return `too few ${subject}`;
    return `the ${subject} is too ${amount}`;
  }
  const last = words[words.length - 1];
  if (words.length > 1 && STATES.has(last)) {
    const subject = words.slice(0, -1).join(' ');
    if (last === 'failed') return `${subject} failed`;
    if (last === 'expired') return `the ${subject} has expired`;
    if (last === 'required' || last === 'needed') return `${subject} is required`;
    return `the ${subject} is ${last}`;
  }
  return words.join(' ');
}

/**
 * @param name the type or template (`X` marks the number and is left out of the words)
 * @param paramName what the number stands for, if known
 * @param value the number, or null when the name carries none
 */
export function deriveMeaning(name: string, paramName: ParamName | null, value: number | null): string {
  const words = name
    .toLowerCase()
    .split('_')
    .filter((w) => w.length > 0 && w !== 'x' && w !== 'xmin');
  let sentence = readWords(words);
  if (paramName !== null) {
    const shown = value === null ? 'X' : paramName === 'until' ? untilText(value) : String(value);
    const phrase = PARAM_PHRASES[paramName](shown);
    sentence = sentence.length > 0 ? `${sentence}; ${phrase}` : phrase;
  }
  return `Derived from the name: ${sentence}.`;
}
