// Proxy traps are looked up on the handler with an ordinary property read, prototype
// chain included: a handler with Object.prototype would let a page that later defines
// `Object.prototype.get` (or `has`, `set`, ...) act as a trap of our wrappers. Handlers
// without a prototype have exactly the traps written here.

const setPrototypeOf = Object.setPrototypeOf;

export function nullProtoHandler<T extends object>(traps: ProxyHandler<T>): ProxyHandler<T> {
  setPrototypeOf(traps, null);
  return traps;
}
