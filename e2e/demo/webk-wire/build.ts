// Builds the Web K-style demo client for a real socket: the demo's page files
// (e2e/demo/public/webk/, demo-shell.js, style.css) copied as they are, plus the worker's MTProto
// layer (index.ts and the project's pure crypto) bundled with Vite into webk/mtproto-wire.js.
// Output: artifacts/webk-wire-page/ (gitignored), served by the fake Telegram; open
// /webk/index.html?wire=1 there. Skipped when newer than its sources.
// Run alone: npx tsx e2e/demo/webk-wire/build.ts

import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const HERE = dirname(fileURLToPath(import.meta.url));
const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const CORE = fileURLToPath(new URL('../../../src/core/mtproto/', import.meta.url));
export const WEBK_WIRE_DIR = fileURLToPath(new URL('../../../artifacts/webk-wire-page', import.meta.url));

function newestMtime(dir: string, recurse = false): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
    else if (recurse && entry.isDirectory()) newest = Math.max(newest, newestMtime(path, true));
  }
  return newest;
}

/** Builds the page unless up to date; returns the folder to serve. */
export async function buildWebkWirePage(): Promise<string> {
  const bundle = join(WEBK_WIRE_DIR, 'webk', 'mtproto-wire.js');
  const sources = Math.max(newestMtime(HERE), newestMtime(PUBLIC), newestMtime(join(PUBLIC, 'webk')), newestMtime(CORE, true));
  if (existsSync(bundle) && statSync(bundle).mtimeMs > sources) return WEBK_WIRE_DIR;
  await build({
    configFile: false,
    logLevel: 'warn',
    root: HERE,
    build: {
      outDir: join(WEBK_WIRE_DIR, 'webk'),
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      lib: { entry: { 'mtproto-wire': join(HERE, 'index.ts') }, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    },
  });
  for (const file of readdirSync(join(PUBLIC, 'webk'))) copyFileSync(join(PUBLIC, 'webk', file), join(WEBK_WIRE_DIR, 'webk', file));
  mkdirSync(WEBK_WIRE_DIR, { recursive: true });
  for (const file of ['demo-shell.js', 'style.css']) copyFileSync(join(PUBLIC, file), join(WEBK_WIRE_DIR, file));
  return WEBK_WIRE_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildWebkWirePage());
