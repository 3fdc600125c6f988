// Whether a request carries the same input as the failing one, by their fingerprints.

import type { AuditError, AuditRequest } from './normalize.ts';

/**
 * Which salt a fingerprint was made with: the page hook's fingerprints ('p1a2b3c:…', one salt
 * per page) name theirs before the colon; the decoder's (hex, one salt per tab) have none.
 * Fingerprints of two schemes say nothing about each other.
 */
export function fingerprintScheme(f: string): string {
  const i = f.indexOf(':');
  return i < 0 ? '' : f.slice(0, i);
}

/** True, false, or null when the inputs cannot be compared. */
export function sameInput(e: AuditError, r: AuditRequest): boolean | null {
  if (e.fingerprint === null || r.fingerprint === null) return null;
  if (e.fingerprint === r.fingerprint) return true;
  return fingerprintScheme(e.fingerprint) === fingerprintScheme(r.fingerprint) ? false : null;
}

/** Both fingerprints known, comparable, and different. */
export function inputDiffers(e: AuditError, r: AuditRequest): boolean {
  return sameInput(e, r) === false;
}
