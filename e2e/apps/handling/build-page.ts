// Bundles the handling demo page (page/app.ts + GramJS) with Vite into
// artifacts/handling-page/, like the fake Telegram's own page (same GramJS browser swaps).
// Skipped when the bundle is newer than its sources.

import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { gramjsForBrowser } from '../../fake-telegram/build-page.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const HANDLING_PAGE_DIR = fileURLToPath(new URL('../../../artifacts/handling-page', import.meta.url));
const require = createRequire(import.meta.url);

function newestMtime(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(dir, e.name)).mtimeMs),
  );
}

export async function buildHandlingPage(): Promise<string> {
  const out = join(HANDLING_PAGE_DIR, 'app.js');
  const sources = Math.max(
    newestMtime(HERE),
    newestMtime(join(HERE, 'page')),
    newestMtime(join(HERE, '../../fake-telegram')),
    statSync(require.resolve('telegram/package.json')).mtimeMs,
  );
  if (existsSync(out) && statSync(out).mtimeMs > sources) return HANDLING_PAGE_DIR;
  await build({
    configFile: false,
    logLevel: 'warn',
    root: HERE,
    plugins: [gramjsForBrowser()],
    build: {
      outDir: HANDLING_PAGE_DIR,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      lib: { entry: join(HERE, 'page/app.ts'), formats: ['es'], fileName: () => 'app.js' },
    },
  });
  mkdirSync(HANDLING_PAGE_DIR, { recursive: true });
  copyFileSync(join(HERE, 'page/index.html'), join(HANDLING_PAGE_DIR, 'index.html'));
  return HANDLING_PAGE_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildHandlingPage());
