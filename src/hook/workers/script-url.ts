// A worker's script URL as the page gave it, resolved against the document, with native
// getters only: a string is resolved; a URL object is read through URL's own href getter
// (never its page-patchable toString); anything else (TrustedScriptURL, objects with a
// toString) is not converted again, since conversion could run page code.

import { captureGetter } from '../common/natives.ts';
import { NativeURL } from './structured-natives.ts';

const urlHref = captureGetter<string>(NativeURL?.prototype, 'href');
const documentBaseUri = captureGetter<string>(typeof Node === 'function' ? Node.prototype : undefined, 'baseURI');

export function scriptUrlOf(spec: unknown): string {
  try {
    if (typeof spec === 'string') {
      if (!NativeURL || !urlHref || !documentBaseUri) return spec;
      return urlHref(new NativeURL(spec, documentBaseUri(document)));
    }
    if (typeof spec === 'object' && spec !== null && urlHref) return urlHref(spec);
  } catch {
    // not a URL object, or not resolvable
  }
  return '';
}
