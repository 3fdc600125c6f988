// The content script's schema check, applied to what the hook builds: the two sides of
// the HOOK_EVENT boundary must agree.
import { validateCapture } from '../../src/shared/validate-capture.ts';
import type { HookCapture } from '../../src/shared/messages.ts';

export function validateCaptureShape(capture: HookCapture): boolean {
  return validateCapture(JSON.stringify(capture)).ok;
}
