// The Chrome lite build's manifest: the Chrome manifest without `debugger`. Chromium cannot ask
// for `debugger` at run time (it refuses it as an optional permission, kFlagCannotBeOptional),
// so installing the full build always warns about debugger access; the lite build is for users
// who never turn on "Capture inside workers". Same code as the full build: the panel reads the
// manifest's permissions at run time and says the switch is not in this build
// (`capabilities` in src/platform/extension-api.ts). Written by scripts/chrome-lite-build.ts.

/** Permissions the lite build leaves out. */
export const LITE_LEFT_OUT: ReadonlySet<string> = new Set(['debugger']);

interface ManifestLike {
  permissions?: string[];
  optional_permissions?: string[];
  [key: string]: unknown;
}

export function chromeLiteManifest<M extends ManifestLike>(chrome: M): M {
  const keep = (list: string[] | undefined) => list?.filter((p) => !LITE_LEFT_OUT.has(p));
  return {
    ...chrome,
    ...(chrome.permissions ? { permissions: keep(chrome.permissions) } : {}),
    ...(chrome.optional_permissions ? { optional_permissions: keep(chrome.optional_permissions) } : {}),
  };
}
