// Bundles the client page (page/app.ts + GramJS) for the browser with Vite into
// artifacts/fake-telegram-page/ (gitignored), at test time. Skipped when the bundle is newer
// than its sources. Run alone: npx tsx e2e/fake-telegram/build-page.ts
//
// The npm package `telegram` is GramJS's Node build: its browser build swaps a few files for
// `-BROWSER` variants (gramjs/publish_npm.js). The plugin below does the same swaps by module
// name: Node's crypto → GramJS's own browser crypto, and small stand-ins for os, path, fs, net,
// util, socks and node-localstorage, none of which the browser code path calls.

import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PAGE_DIR = fileURLToPath(new URL('../../artifacts/fake-telegram-page', import.meta.url));
const require = createRequire(import.meta.url);

const STUBS: Record<string, string> = {
  os: `export const type = () => 'Browser'; export const release = () => '1.0'; export default { type, release };`,
  util: `export const inspect = { custom: Symbol.for('nodejs.util.inspect.custom') }; export default { inspect };`,
  fs: `export const promises = {}; export default { promises };`,
  net: `export default {};`,
  socks: `export class SocksClient {} export default { SocksClient };`,
  'node-localstorage': `export class LocalStorage {} export default { LocalStorage };`,
};

/** Exported for other GramJS pages (e2e/apps/handling/build-page.ts). */
export function gramjsForBrowser(): Plugin {
  return {
    name: 'gramjs-browser-swaps',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'crypto' && importer?.includes('/node_modules/telegram/')) return require.resolve('telegram/crypto/crypto.js');
      if (source === 'path' && importer?.includes('/node_modules/telegram/')) return require.resolve('path-browserify');
      if (source in STUBS) return `\0stub:${source}`;
      return null;
    },
    load(id) {
      return id.startsWith('\0stub:') ? STUBS[id.slice('\0stub:'.length)] : null;
    },
  };
}

function newestMtime(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(dir, e.name)).mtimeMs),
  );
}

/** Builds the page unless up to date; returns the folder to serve. */
export async function buildPage(): Promise<string> {
  const out = join(PAGE_DIR, 'app.js');
  const sources = Math.max(
    newestMtime(HERE),
    newestMtime(join(HERE, 'page')),
    statSync(require.resolve('telegram/package.json')).mtimeMs,
    statSync(join(dirname(require.resolve('@mtcute/web')), 'package.json')).mtimeMs,
  );
  if (existsSync(out) && statSync(out).mtimeMs > sources) return PAGE_DIR;
  await build({
    configFile: false,
    logLevel: 'warn',
    root: HERE,
    plugins: [gramjsForBrowser()],
    build: {
      outDir: PAGE_DIR,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      // The main-thread page, and the worker variants (workers.html): the page and GramJS's worker.
      lib: {
        entry: {
          app: join(HERE, 'page/app.ts'),
          'workers-page': join(HERE, 'page/workers-page.ts'),
          'gramjs-worker': join(HERE, 'page/gramjs-worker.ts'),
          // mtcute's TelegramWorker and the page holding its TelegramWorkerPort (mtcute.html).
          'mtcute-page': join(HERE, 'page/mtcute-page.ts'),
          'mtcute-worker': join(HERE, 'page/mtcute-worker.ts'),
          // A GramJS client that only reads a stream the server pushes (scripts/bench-gramjs-cpu.ts).
          'gramjs-stream': join(HERE, 'page/gramjs-stream.ts'),
        },
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
    },
  });
  mkdirSync(PAGE_DIR, { recursive: true });
  copyFileSync(join(HERE, 'page/index.html'), join(PAGE_DIR, 'index.html'));
  copyFileSync(join(HERE, 'page/workers.html'), join(PAGE_DIR, 'workers.html'));
  copyFileSync(join(HERE, 'page/mtcute.html'), join(PAGE_DIR, 'mtcute.html'));
  copyFileSync(join(HERE, 'page/gramjs-stream.html'), join(PAGE_DIR, 'gramjs-stream.html'));
  return PAGE_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildPage());
