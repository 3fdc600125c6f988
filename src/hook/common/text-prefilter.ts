// Text prefilter: decides in the page whether a body is worth handing to the
// extension. Most traffic never contains "error", so a native substring scan
// rejects it at memory speed; only then do the tighter structural checks run.

import { reflectApply, textIndexOf } from './natives.ts';

/** Markers any API error shape the background understands contains. */
const PLAIN_MARKERS = ['error_code', 'rpc_error', 'errorMessage'];

// TDLib / Web A `"@type":"error"` and Bot API `"ok":false`, with optional spaces.
const STRUCTURAL_MARKERS = [/"@type"\s*:\s*"error"/, /"ok"\s*:\s*false/];

// RegExp#test looks `exec` up on the prototype at call time; call the captured one.
const regExpExec = RegExp.prototype.exec;

export function mayContainApiErrorText(text: string): boolean {
  if (typeof text !== 'string' || textIndexOf(text, 'error') === -1) return false;
  for (let i = 0; i < PLAIN_MARKERS.length; i++) {
    if (textIndexOf(text, PLAIN_MARKERS[i]) !== -1) return true;
  }
  for (let i = 0; i < STRUCTURAL_MARKERS.length; i++) {
    if (reflectApply(regExpExec, STRUCTURAL_MARKERS[i], [text]) !== null) return true;
  }
  return false;
}
