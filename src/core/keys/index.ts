// Public surface of the auth-key handling.

export { AuthKey, computeAuthKeyId, type KeySource } from './auth-key.ts';
export { KeyRing, type KeyLookup, type KeyRingEntry } from './key-ring.ts';
export { parseAuthKeys, type ParsedKeys } from './parse-keys.ts';
