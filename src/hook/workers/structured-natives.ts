// Built-ins the worker watcher needs beyond natives.ts, captured when the hook module
// loads (document_start), so page code that later patches Object, Array, Map or URL
// cannot change what the hook reads or run inside it.

import { arrayBufferLength, getOwnPropertyDescriptor, isArrayBufferView, reflectApply } from '../common/natives.ts';

export const objectKeys = Object.keys;
export const getPrototypeOf = Object.getPrototypeOf;
export const isArray = Array.isArray;
export const ObjectPrototype = Object.prototype as object;
export const ArrayBufferPrototype = ArrayBuffer.prototype as object;
export const ErrorPrototype = Error.prototype as object;
export const BlobPrototype = typeof Blob === 'function' ? (Blob.prototype as object) : undefined;
export const FilePrototype = typeof File === 'function' ? (File.prototype as object) : undefined;
export const NativeURL = typeof URL === 'function' ? URL : undefined;
export { isArrayBufferView };

const hasOwnProperty = Object.prototype.hasOwnProperty;
const mapGet = Map.prototype.get;
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;
const mapKeys = Map.prototype.keys;
const mapSizeGetter = getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
const mapIteratorNext = Object.getPrototypeOf(new Map().keys()).next as (this: Iterator<unknown>) => IteratorResult<unknown>;
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)?.get;
const typedArrayByteLength = getOwnPropertyDescriptor(typedArrayPrototype, 'byteLength')?.get;
const dataViewByteLength = getOwnPropertyDescriptor(DataView.prototype, 'byteLength')?.get;

/** Reads one own property of a value inside a message; undefined when it has none. */
export type OwnReader = (target: object, key: string | number) => unknown;

const hasOwnFast = Function.prototype.call.bind(hasOwnProperty) as (target: object, key: PropertyKey) => boolean;

/**
 * For values the page posts: an own data property's value, without running getters or
 * looking at prototypes (the clone already ran the page's accessors once; a second run
 * would be visible). Undefined for accessors and missing keys. Allocates a descriptor.
 */
export const readPageOwn: OwnReader = (target, key) => {
  const descriptor = getOwnPropertyDescriptor(target, key);
  if (descriptor === undefined || !hasOwnFast(descriptor, 'value')) return undefined;
  return descriptor.value;
};

/**
 * For values the page received (a structured clone, deserialized by the browser): they
 * hold data properties only, so an own-property check (page getters on Object.prototype
 * must not run) and a plain read are enough, at a fraction of readPageOwn's cost.
 */
export const readClonedOwn: OwnReader = (target, key) => (hasOwnFast(target, key) ? (target as Record<string | number, unknown>)[key] : undefined);

/** `Uint8Array`, `Float64Array`, ... for a typed array (native brand getter); undefined otherwise. */
export function typedArrayName(value: object): string | undefined {
  if (!typedArrayTag) return undefined;
  return reflectApply(typedArrayTag, value, []) as string | undefined;
}

/** Byte length of an ArrayBuffer or ArrayBufferView through native getters; 0 for anything else. */
export function binaryByteLength(value: object): number {
  try {
    if (isArrayBufferView(value)) {
      const getter = typedArrayName(value) !== undefined ? typedArrayByteLength : dataViewByteLength;
      return getter ? (reflectApply(getter, value, []) as number) : 0;
    }
    const length = arrayBufferLength(value);
    return length > 0 ? length : 0;
  } catch {
    return 0;
  }
}

/** A Map whose methods were captured at load: the page patching Map.prototype cannot reach it. */
export class NativeMap<K, V> {
  private readonly map = new Map<K, V>();

  get(key: K): V | undefined {
    return reflectApply(mapGet, this.map, [key]) as V | undefined;
  }

  set(key: K, value: V): void {
    reflectApply(mapSet, this.map, [key, value]);
  }

  delete(key: K): boolean {
    return reflectApply(mapDelete, this.map, [key]) as boolean;
  }

  get size(): number {
    return reflectApply(mapSizeGetter, this.map, []) as number;
  }

  /** The key inserted first (Maps keep insertion order). */
  oldestKey(): K | undefined {
    const keys = reflectApply(mapKeys, this.map, []) as Iterator<K>;
    const first = reflectApply(mapIteratorNext, keys, []) as IteratorResult<K>;
    return first.done ? undefined : first.value;
  }
}
