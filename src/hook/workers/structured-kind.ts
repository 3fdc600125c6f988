// What a value inside a structured-clone message is, decided by prototype identity and
// native brand checks only: no page getters (Symbol.toStringTag, constructor) are read,
// and no exception is thrown on the common path (plain objects and arrays).

import { arrayBufferLength, blobLength } from '../common/natives.ts';
import {
  ArrayBufferPrototype,
  BlobPrototype,
  ErrorPrototype,
  FilePrototype,
  getPrototypeOf,
  isArray,
  isArrayBufferView,
  ObjectPrototype,
} from './structured-natives.ts';

export type StructuredKind =
  | 'primitive'
  /** Plain object, or a class instance the page posts (the clone copies its own fields). */
  | 'record'
  | 'array'
  /** ArrayBuffer or ArrayBufferView. */
  | 'binary'
  | 'blob'
  | 'error'
  /** Map, Set, Date, RegExp, ImageBitmap, MessagePort, ...: not looked into. */
  | 'opaque';

const ERROR_CHAIN_STEPS = 4;

function inheritsFromError(proto: object | null): boolean {
  for (let i = 0; proto !== null && i < ERROR_CHAIN_STEPS; i++) {
    if (proto === ErrorPrototype) return true;
    proto = getPrototypeOf(proto) as object | null;
  }
  return false;
}

export function kindOf(value: unknown): StructuredKind {
  if (typeof value !== 'object' || value === null) return 'primitive';
  const proto = getPrototypeOf(value) as object | null;
  if (proto === ObjectPrototype || proto === null) return 'record';
  if (isArray(value)) return 'array';
  if (isArrayBufferView(value)) return 'binary';
  if (proto === ArrayBufferPrototype) return arrayBufferLength(value) >= 0 ? 'binary' : 'opaque';
  if ((proto === BlobPrototype || proto === FilePrototype) && blobLength(value) >= 0) return 'blob';
  if (inheritsFromError(proto)) return 'error';
  // Deserialized messages hold only built-in types, so anything else with a foreign
  // prototype is a page object on the way out: read like the clone did, by own fields.
  return isBuiltInProto(proto) ? 'opaque' : 'record';
}

const BUILT_IN_PROTOS: object[] = [];
for (const name of [
  'Map',
  'Set',
  'Date',
  'RegExp',
  'ImageBitmap',
  'MessagePort',
  'ImageData',
  'DOMMatrix',
  'DOMPoint',
  'DOMRect',
  'FileList',
  'CryptoKey',
  'Boolean',
  'Number',
  'String',
  'BigInt',
]) {
  const ctor = (globalThis as Record<string, unknown>)[name];
  if (typeof ctor === 'function' && typeof (ctor as { prototype?: unknown }).prototype === 'object') {
    BUILT_IN_PROTOS.push((ctor as { prototype: object }).prototype);
  }
}

function isBuiltInProto(proto: object): boolean {
  for (let i = 0; i < BUILT_IN_PROTOS.length; i++) if (BUILT_IN_PROTOS[i] === proto) return true;
  return false;
}
