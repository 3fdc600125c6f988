// Built-ins captured when the hook starts (document_start, before any page script),
// so page code that later patches them (zone.js, polyfills, monkey-patching) is never
// called by the hook and cannot change what it sees.

export const reflectApply = Reflect.apply;
export const reflectConstruct = Reflect.construct;
export const defineProperty = Object.defineProperty;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const jsonStringify = JSON.stringify;
export const dateNow = Date.now;
export const mathRandom = Math.random;
export const NativeWeakMap = WeakMap;
export const NativePromise = Promise;
export const NativeUint8Array = Uint8Array;
export const NativeArrayBuffer = ArrayBuffer;
export const isArrayBufferView = ArrayBuffer.isView;
export const nativeSetTimeout = typeof setTimeout === 'function' ? setTimeout : undefined;
export const nativeClearTimeout = typeof clearTimeout === 'function' ? clearTimeout : undefined;

// fn -> (self, ...args) => fn.call(self, ...args), bound now: later changes to
// Function.prototype.call cannot reach it, and the hot path allocates no argument array.
const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as <This, Args extends unknown[], R>(
  fn: (this: This, ...args: Args) => R,
) => (self: This, ...args: Args) => R;

const weakMapGet = WeakMap.prototype.get;
const weakMapSet = WeakMap.prototype.set;
const weakMapDelete = WeakMap.prototype.delete;
const nativeThen = Promise.prototype.then;
const stringIndexOf = String.prototype.indexOf;
const stringSlice = String.prototype.slice;
const stringToLowerCase = String.prototype.toLowerCase;
const uint8Slice = Uint8Array.prototype.slice;
const uint8Set = Uint8Array.prototype.set;

function getterOf(proto: object | undefined, key: string): ((this: unknown) => unknown) | undefined {
  if (!proto) return undefined;
  return getOwnPropertyDescriptor(proto, key)?.get as ((this: unknown) => unknown) | undefined;
}

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayBuffer = getterOf(typedArrayProto, 'buffer');
const typedArrayByteOffset = getterOf(typedArrayProto, 'byteOffset');
const typedArrayByteLength = getterOf(typedArrayProto, 'byteLength');
const dataViewBuffer = getterOf(DataView.prototype, 'buffer');
const dataViewByteOffset = getterOf(DataView.prototype, 'byteOffset');
const dataViewByteLength = getterOf(DataView.prototype, 'byteLength');
const arrayBufferByteLength = getterOf(ArrayBuffer.prototype, 'byteLength');
const arrayBufferByteLengthOf = arrayBufferByteLength && (uncurryThis(arrayBufferByteLength) as (value: unknown) => number);
const arrayBufferDetached = getterOf(ArrayBuffer.prototype, 'detached');
const blobSize = typeof Blob === 'function' ? getterOf(Blob.prototype, 'size') : undefined;
const blobType = typeof Blob === 'function' ? getterOf(Blob.prototype, 'type') : undefined;
const blobArrayBuffer = typeof Blob === 'function' ? Blob.prototype.arrayBuffer : undefined;
const NativeBlob = typeof Blob === 'function' ? Blob : undefined;
// Function.prototype[Symbol.hasInstance] is neither writable nor configurable: a page cannot replace it.
const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];
const nativeAddEventListener = typeof EventTarget === 'function' ? EventTarget.prototype.addEventListener : undefined;
const nativeRemoveEventListener = typeof EventTarget === 'function' ? EventTarget.prototype.removeEventListener : undefined;
const nativeDispatchEvent = typeof EventTarget === 'function' ? EventTarget.prototype.dispatchEvent : undefined;
const NativeCustomEvent = typeof CustomEvent === 'function' ? CustomEvent : undefined;
const NativeTextDecoder = typeof TextDecoder === 'function' ? TextDecoder : undefined;
const textDecoderDecode = NativeTextDecoder?.prototype.decode;

const weakMapGetOf = uncurryThis(weakMapGet);

export function mapGet<K extends object, V>(map: WeakMap<K, V>, key: K): V | undefined {
  return weakMapGetOf(map, key) as V | undefined;
}

export function mapSet<K extends object, V>(map: WeakMap<K, V>, key: K, value: V): void {
  reflectApply(weakMapSet, map, [key, value]);
}

export function mapDelete<K extends object, V>(map: WeakMap<K, V>, key: K): void {
  reflectApply(weakMapDelete, map, [key]);
}

export function promiseThen<T, R>(promise: Promise<T>, onFulfilled: (value: T) => R, onRejected?: (reason: unknown) => R): Promise<R> {
  return reflectApply(nativeThen, promise, [onFulfilled, onRejected]) as Promise<R>;
}

/**
 * Runs `onValue` when the promise fulfils. Whatever happens (rejection, or a throw in
 * `onValue`), the derived promise fulfils: an unhandled rejection of ours would reach
 * the page's `unhandledrejection` listeners and console.
 */
export function whenFulfilled<T>(promise: Promise<T>, onValue: (value: T) => void): void {
  void promiseThen(
    promise,
    (value) => {
      try {
        onValue(value);
      } catch {
        // observation only
      }
    },
    () => undefined,
  );
}

/** Runs `onReason` when the promise rejects; the derived promise always fulfils (see whenFulfilled). */
export function whenRejected(promise: Promise<unknown>, onReason: () => void): void {
  void promiseThen(
    promise,
    () => undefined,
    () => {
      try {
        onReason();
      } catch {
        // observation only
      }
    },
  );
}

export function textIndexOf(text: string, search: string, from = 0): number {
  return reflectApply(stringIndexOf, text, [search, from]) as number;
}

export function textLowerCase(text: string): string {
  return reflectApply(stringToLowerCase, text, []) as string;
}

export function textSlice(text: string, start: number, end?: number): string {
  return reflectApply(stringSlice, text, [start, end]) as string;
}

/** A copy of bytes[start, end): the copy is ours, so the page may detach or reuse its buffer. */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return reflectApply(uint8Slice, bytes, [start, end]) as Uint8Array;
}

export function setBytes(target: Uint8Array, source: Uint8Array, at: number): void {
  reflectApply(uint8Set, target, [source, at]);
}

/** Byte length of an ArrayBuffer, or -1 when the value is not one (checked natively, no page getters). */
export function arrayBufferLength(value: unknown): number {
  if (!arrayBufferByteLength) return -1;
  try {
    return arrayBufferByteLengthOf!(value);
  } catch {
    return -1;
  }
}

/** True for an ArrayBuffer whose bytes were transferred away (its length reads 0). */
export function isDetached(buffer: ArrayBuffer): boolean {
  return arrayBufferDetached !== undefined && reflectApply(arrayBufferDetached, buffer, []) === true;
}

/** A Uint8Array over the bytes of an ArrayBuffer or ArrayBufferView, or null for anything else. */
export function bytesOf(value: unknown): Uint8Array | null {
  const length = arrayBufferLength(value);
  if (length >= 0) return new NativeUint8Array(value as ArrayBuffer, 0, length);
  if (!isArrayBufferView(value)) return null;
  const isDataView = value instanceof DataView;
  const bufferGet = isDataView ? dataViewBuffer : typedArrayBuffer;
  const offsetGet = isDataView ? dataViewByteOffset : typedArrayByteOffset;
  const lengthGet = isDataView ? dataViewByteLength : typedArrayByteLength;
  if (!bufferGet || !offsetGet || !lengthGet) return null;
  const buffer = reflectApply(bufferGet, value, []) as ArrayBuffer;
  if (arrayBufferLength(buffer) < 0) return null; // a SharedArrayBuffer: not sendable, not ours to read
  return new NativeUint8Array(buffer, reflectApply(offsetGet, value, []) as number, reflectApply(lengthGet, value, []) as number);
}

/**
 * True for a Blob the browser made (a received message), without the brand checks that throw
 * for it. Walks the prototype chain, so never for a value a page made (a Proxy's trap would run).
 */
export function isReceivedBlob(value: unknown): boolean {
  return NativeBlob !== undefined && typeof value === 'object' && value !== null && reflectApply(ordinaryHasInstance, NativeBlob, [value]) === true;
}

/** Size of a Blob, or -1 when the value is not a Blob. */
export function blobLength(value: unknown): number {
  if (!blobSize) return -1;
  try {
    return reflectApply(blobSize, value, []) as number;
  } catch {
    return -1;
  }
}

export function blobMimeType(blob: Blob): string {
  return blobType ? (reflectApply(blobType, blob, []) as string) : '';
}

/** Reads a Blob without consuming it (Blobs are immutable; the page's copy is untouched). */
export function readBlob(blob: Blob): Promise<ArrayBuffer> {
  return reflectApply(blobArrayBuffer!, blob, []) as Promise<ArrayBuffer>;
}

/** One Blob of `parts` in order (references, not copies, for Blob parts), or null if that fails. */
export function joinBlobs(parts: Blob[]): Blob | null {
  if (!NativeBlob) return null;
  try {
    return reflectConstruct(NativeBlob, [parts]) as Blob;
  } catch {
    return null;
  }
}

export function listen(target: EventTarget, type: string, listener: (event: Event) => void): void {
  if (nativeAddEventListener) reflectApply(nativeAddEventListener, target, [type, listener]);
}

export function unlisten(target: EventTarget, type: string, listener: (event: Event) => void): void {
  if (nativeRemoveEventListener) reflectApply(nativeRemoveEventListener, target, [type, listener]);
}

/** fn.call(self, arg) through the native call: a page's Function.prototype.call is never used. */
export const callFunction = uncurryThis(Function.prototype.call) as (fn: unknown, self: unknown, arg: unknown) => unknown;

export function dispatchDetail(target: EventTarget, type: string, detail: string): void {
  if (!NativeCustomEvent || !nativeDispatchEvent) return;
  reflectApply(nativeDispatchEvent, target, [new NativeCustomEvent(type, { detail })]);
}

const utf8 = NativeTextDecoder ? new NativeTextDecoder() : undefined;

export function decodeUtf8(bytes: Uint8Array): string {
  if (!utf8 || !textDecoderDecode) return '';
  return reflectApply(textDecoderDecode, utf8, [bytes]) as string;
}

/** Reads a prototype getter captured now, for use on page objects later. */
export function captureGetter<T>(proto: object | undefined, key: string): ((target: object) => T) | undefined {
  const getter = getterOf(proto, key);
  if (!getter) return undefined;
  return uncurryThis(getter) as (target: object) => T;
}

/** Replaces a property keeping its attributes (writable/enumerable/configurable), as a page would see it. */
export function replaceValue(owner: object, key: string, value: unknown): boolean {
  const descriptor = getOwnPropertyDescriptor(owner, key);
  if (!descriptor || !('value' in descriptor) || !descriptor.configurable) return false;
  defineProperty(owner, key, { ...descriptor, value });
  return true;
}

// MessageEvent's data getter as the browser made it, for every watcher: one captured at a
// watcher's install could already be a page's (or a polyfill's) replacement.
export const messageEventData = typeof MessageEvent === 'function' ? captureGetter<unknown>(MessageEvent.prototype, 'data') : undefined;

// isTrusted is unforgeable: an own accessor of every event, so it is taken from one.
export const eventIsTrusted = typeof Event === 'function' ? captureGetter<boolean>(new Event('message'), 'isTrusted') : undefined;

export const NativeString = String;

// For request fingerprints (request-fingerprint.ts): string and number built-ins, JSON.parse,
// object walking and the page salt's random source, captured now like the rest.
export const jsonParse = JSON.parse;
export const mathImul = Math.imul;
export const objectKeys = Object.keys;
export const getPrototypeOf = Object.getPrototypeOf;
export const isArray = Array.isArray;
export const ObjectPrototype = Object.prototype as object;
export const charCodeAt = uncurryThis(String.prototype.charCodeAt) as (text: string, index: number) => number;
const cryptoObject = typeof crypto === 'object' && crypto !== null ? crypto : undefined;
const nativeGetRandomValues = cryptoObject && typeof cryptoObject.getRandomValues === 'function' ? cryptoObject.getRandomValues : undefined;
/** Fills `bytes` from the browser's CSPRNG; false when there is none (then the caller falls back). */
export function randomFill(bytes: Uint8Array): boolean {
  if (!nativeGetRandomValues) return false;
  try {
    reflectApply(nativeGetRandomValues, cryptoObject, [bytes]);
    return true;
  } catch {
    return false;
  }
}
