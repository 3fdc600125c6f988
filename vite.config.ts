import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import manifest from './manifest.json' with { type: 'json' };

export default defineConfig({
  plugins: [
    preact(),
    crx({
      manifest: manifest as never,
      // Both content scripts must run at document_start, before page code: crxjs's
      // default loader would import them later, so they are built as standalone IIFEs.
      contentScripts: { standaloneFiles: ['src/hook/main.ts', 'src/content/main.ts'] },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    // The panel page is only named in chrome.devtools.panels.create, so crxjs cannot see it.
    rolldownOptions: { input: { panel: 'extension/panel.html' } },
  },
});
