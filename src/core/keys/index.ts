// Public surface of the auth-key handling.

export { AuthKey, computeAuthKeyId, type KeySource } from './auth-key.ts';
export { KeyRing, type KeyLookup, type KeyRingEntry } from './key-ring.ts';
export { parseAuthKeys, type ParsedKeys } from './parse-keys.ts';
export { FINDER_LIMITS, KeyBytesFinder, matchCandidates, type FinderLimits, type FinderStats, type KeyCandidate } from './find-key-bytes.ts';
