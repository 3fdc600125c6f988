// The Chrome lite build, dist-chrome-lite/: written by `vite build` (the Chrome build, see
// vite.config.ts) once dist/ is complete. The same files as dist/, so the same code (a second
// compile of the same sources would add a whole vite build's time for identical output), with
// dist/manifest.json passed through chromeLiteManifest (no `debugger` permission).

import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromeLiteManifest } from './chrome-lite-manifest.ts';

export const CHROME_LITE_DIR = 'dist-chrome-lite';

export function writeChromeLiteBuild(distDir: string, liteDir: string): void {
  const manifest = JSON.parse(readFileSync(join(distDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  rmSync(liteDir, { recursive: true, force: true });
  cpSync(distDir, liteDir, { recursive: true });
  writeFileSync(join(liteDir, 'manifest.json'), `${JSON.stringify(chromeLiteManifest(manifest), null, 2)}\n`);
}
