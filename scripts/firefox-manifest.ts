// The Firefox manifest, derived from manifest.json (the one manifest source) when the
// Firefox build runs (vite.config.ts, `--mode firefox`). Only what Firefox needs differently:
// - an event page (`background.scripts`) instead of the service worker, which Firefox refuses;
// - `browser_specific_settings.gecko`: the add-on id (temporary installs, a fixed UUID in the
//   tests, AMO) and the lowest Firefox it runs in;
// - no `minimum_chrome_version`, and no Chrome-only permission (`debugger`: Firefox has no
//   chrome.debugger, the panel says so; see `capabilities` in src/platform/extension-api.ts).

export const FIREFOX_ADDON_ID = 'telegram-api-error-inspector@devtools.addon';

/**
 * 140 ESR: content scripts in the page's world (`world: "MAIN"`) need 128, storage.session 115,
 * and 140 is the lowest version web-ext lint accepts with `data_collection_permissions`.
 */
export const FIREFOX_MIN_VERSION = '140.0';

/** Permissions Chrome grants and Firefox does not know (web-ext lint flags them). */
export const CHROME_ONLY_PERMISSIONS: ReadonlySet<string> = new Set(['debugger', 'offscreen', 'sidePanel', 'tabCapture']);

interface ManifestLike {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  permissions?: string[];
  [key: string]: unknown;
}

export function firefoxManifest<M extends ManifestLike>(chrome: M): ManifestLike {
  const { minimum_chrome_version: _chromeOnly, background, permissions, ...rest } = chrome as ManifestLike & { minimum_chrome_version?: string };
  const worker = background?.service_worker;
  if (!worker && !background?.scripts) throw new Error('manifest.json has no background.service_worker to turn into an event page');
  return {
    ...rest,
    background: { scripts: background?.scripts ?? [worker!], ...(background?.type ? { type: background.type } : {}) },
    ...(permissions ? { permissions: permissions.filter((p) => !CHROME_ONLY_PERMISSIONS.has(p)) } : {}),
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_ADDON_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the browser: the inspector sends no data anywhere.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
