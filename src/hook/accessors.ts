// Accessors of built-in prototypes wrapped in Proxies of their native functions: the
// descriptor keeps its attributes and other half, the native runs with the page's
// `this` and arguments (same values, same exceptions), and ours runs beside it.

import { defineProperty, getOwnPropertyDescriptor, reflectApply } from './natives.ts';
import { nullProtoHandler } from './proxy-handler.ts';

/** Wraps an accessor's setter; `before` runs ahead of the native setter and must not throw. */
export function wrapSetter(owner: object, key: string, before: (thisArg: unknown) => void): boolean {
  const descriptor = getOwnPropertyDescriptor(owner, key);
  const nativeSet = descriptor?.set;
  if (!descriptor || !nativeSet || !descriptor.configurable) return false;
  const setProxy = new Proxy(
    nativeSet,
    nullProtoHandler<typeof nativeSet>({
      apply(target, thisArg, args) {
        before(thisArg);
        return reflectApply(target, thisArg, args);
      },
    }),
  );
  defineProperty(owner, key, { get: descriptor.get, set: setProxy, enumerable: descriptor.enumerable, configurable: true });
  return true;
}

/**
 * Wraps an accessor's getter; `after` sees each value the native getter returned, before
 * the page does. A throw of `after` is swallowed: the page gets its value either way.
 */
export function observeGetter(owner: object, key: string, after: (thisArg: unknown, value: unknown) => void): boolean {
  const descriptor = getOwnPropertyDescriptor(owner, key);
  const nativeGet = descriptor?.get;
  if (!descriptor || !nativeGet || !descriptor.configurable) return false;
  const getProxy = new Proxy(
    nativeGet,
    nullProtoHandler<typeof nativeGet>({
      apply(target, thisArg, args) {
        const value = reflectApply(target, thisArg, args);
        try {
          after(thisArg, value);
        } catch {
          // observation is optional
        }
        return value;
      },
    }),
  );
  defineProperty(owner, key, { get: getProxy, set: descriptor.set, enumerable: descriptor.enumerable, configurable: true });
  return true;
}
