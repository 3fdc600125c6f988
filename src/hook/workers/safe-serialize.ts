// JSON text of a structured-clone value, bounded in work and size, for the few worker
// messages the prefilter picked. It never runs page code (own data properties only, no
// toJSON, no getters), never throws, skips functions and symbols, marks cycles, and
// writes binary data, Blobs and other built-ins as short placeholder strings: the
// background only needs the error's structure, never the page's bytes.

import { jsonStringify, textSlice } from '../common/natives.ts';
import { kindOf } from './structured-kind.ts';
import { ArrayBufferPrototype, binaryByteLength, getPrototypeOf, objectKeys, readPageOwn, typedArrayName, type OwnReader } from './structured-natives.ts';

export interface SerializeLimits {
  /** Objects, arrays and values written before the rest is left out. */
  maxNodes: number;
  maxDepth: number;
  /** Longest string (and key) kept; longer ones are cut. */
  maxStringChars: number;
  /** Output length after which nothing more is written. */
  maxChars: number;
}

export const SERIALIZE_LIMITS: Readonly<SerializeLimits> = Object.freeze({
  maxNodes: 2000,
  maxDepth: 12,
  maxStringChars: 2048,
  maxChars: 64 * 1024,
});

export const TRUNCATED = '[…]';

function quote(text: string, maxChars: number): string {
  return jsonStringify(text.length > maxChars ? textSlice(text, 0, maxChars) + '…' : text);
}

function numberText(value: number): string {
  // JSON has no NaN or Infinity; JSON.stringify writes them as null too.
  return value === value && value !== Infinity && value !== -Infinity ? '' + value : 'null';
}

function binaryPlaceholder(value: object): string {
  const name = typedArrayName(value) ?? (getPrototypeOf(value) === ArrayBufferPrototype ? 'ArrayBuffer' : 'DataView');
  return `"[${name} ${binaryByteLength(value)} bytes]"`;
}

/** Never throws; returns valid JSON text no longer than about `limits.maxChars`. */
export function serializeBounded(root: unknown, read: OwnReader = readPageOwn, limits: SerializeLimits = SERIALIZE_LIMITS): string {
  let nodes = 0;
  let length = 0;
  const parts: string[] = [];
  const ancestors: object[] = [];

  const emit = (text: string): void => {
    parts[parts.length] = text;
    length += text.length;
  };
  const full = (): boolean => nodes >= limits.maxNodes || length >= limits.maxChars;

  const write = (value: unknown, depth: number): void => {
    nodes++;
    switch (typeof value) {
      case 'string':
        return emit(quote(value, limits.maxStringChars));
      case 'number':
        return emit(numberText(value));
      case 'boolean':
        return emit(value ? 'true' : 'false');
      case 'bigint':
        return emit(`"${value}n"`);
      case 'object':
        break;
      default:
        // undefined, functions and symbols have no JSON form (only reached inside arrays).
        return emit('null');
    }
    if (value === null) return emit('null');
    for (let i = 0; i < ancestors.length; i++) if (ancestors[i] === value) return emit('"[cycle]"');
    const kind = kindOf(value);
    if (kind === 'binary') return emit(binaryPlaceholder(value));
    if (kind === 'blob') return emit('"[Blob]"');
    if (kind === 'opaque') return emit('"[object]"');
    if (depth >= limits.maxDepth) return emit(`"${TRUNCATED}"`);
    ancestors[ancestors.length] = value;
    if (kind === 'array') writeArray(value as unknown[], depth);
    else if (kind === 'error') writeError(value);
    else writeRecord(value, depth);
    ancestors.length--;
  };

  const writeArray = (array: unknown[], depth: number): void => {
    emit('[');
    const count = array.length;
    for (let i = 0; i < count; i++) {
      if (i > 0) emit(',');
      if (full()) {
        emit(`"${TRUNCATED}"`);
        break;
      }
      write(read(array, i), depth + 1);
    }
    emit(']');
  };

  const writeRecord = (record: object, depth: number): void => {
    emit('{');
    const keys = objectKeys(record);
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const child = read(record, keys[i]);
      const type = typeof child;
      if (type === 'undefined' || type === 'function' || type === 'symbol') continue;
      if (!first) emit(',');
      first = false;
      if (full()) {
        emit(`"${TRUNCATED}":true`);
        break;
      }
      emit(quote(keys[i], limits.maxStringChars) + ':');
      write(child, depth + 1);
    }
    emit('}');
  };

  // Errors clone with their name and message (own or inherited data properties).
  const writeError = (error: object): void => {
    const message = read(error, 'message');
    let name = read(error, 'name');
    if (typeof name !== 'string') name = read(getPrototypeOf(error) as object, 'name');
    if (typeof name !== 'string') name = 'Error';
    emit(`{"name":${quote(name as string, limits.maxStringChars)},"message":${quote(typeof message === 'string' ? message : '', limits.maxStringChars)}}`);
  };

  try {
    write(root, 0);
    let text = '';
    for (let i = 0; i < parts.length; i++) text += parts[i];
    return text;
  } catch {
    // Cannot happen with own data reads; the contract is still "never throws".
    return 'null';
  }
}
