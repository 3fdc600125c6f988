import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import manifest from './manifest.json' with { type: 'json' };
import { firefoxManifest } from './scripts/firefox-manifest.ts';

// `vite build` makes the Chrome extension in dist/; `vite build --mode firefox` the Firefox
// add-on in dist-firefox/, from the same sources and a manifest derived from manifest.json.
export default defineConfig(({ mode }) => {
  const firefox = mode === 'firefox';
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
    ],
    build: {
      outDir: firefox ? 'dist-firefox' : 'dist',
      emptyOutDir: true,
      target: firefox ? 'firefox140' : 'chrome120',
      // The panel page is only named in chrome.devtools.panels.create, so crxjs cannot see it.
      rolldownOptions: { input: { panel: 'extension/panel.html' } },
    },
  };
});
