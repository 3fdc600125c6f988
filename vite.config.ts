import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import manifest from './manifest.json' with { type: 'json' };
import { firefoxManifest } from './scripts/firefox-manifest.ts';
import { CHROME_LITE_DIR, writeChromeLiteBuild } from './scripts/chrome-lite-build.ts';

/** After the Chrome build is written: the lite build beside it (dist/ without the `debugger` permission). */
function chromeLiteBuild(outDir: string): Plugin {
  return {
    name: 'chrome-lite-build',
    apply: 'build',
    enforce: 'post',
    closeBundle(error?: Error) {
      // A failed Chrome build leaves no dist/ to copy: its own error is the one to show.
      if (error) return;
      writeChromeLiteBuild(resolve(outDir), resolve(CHROME_LITE_DIR));
    },
  };
}

// `vite build` makes the Chrome extension in dist/ and its lite build (no `debugger`
// permission, scripts/chrome-lite-manifest.ts) in dist-chrome-lite/; `vite build --mode firefox`
// the Firefox add-on in dist-firefox/. Same sources; the other manifests derived from manifest.json.
export default defineConfig(({ mode }) => {
  const firefox = mode === 'firefox';
  const outDir = firefox ? 'dist-firefox' : 'dist';
  return {
    plugins: [
      preact(),
      crx({
        manifest: (firefox ? firefoxManifest(manifest) : manifest) as never,
        browser: firefox ? 'firefox' : 'chrome',
        // Both content scripts must run at document_start, before page code: crxjs's
        // default loader would import them later, so they are built as standalone IIFEs.
        contentScripts: { standaloneFiles: ['src/hook/main.ts', 'src/content/main.ts'] },
      }),
      ...(firefox ? [] : [chromeLiteBuild(outDir)]),
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: firefox ? 'firefox140' : 'chrome120',
      // The panel page is only named in chrome.devtools.panels.create, so crxjs cannot see it.
      rolldownOptions: { input: { panel: 'extension/panel.html' } },
    },
  };
});
