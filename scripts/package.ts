// `npm run package`: after the build, one archive per browser in packages/:
//   telegram-api-error-inspector-<version>-chrome.zip   (dist/, for the Chrome Web Store or "Load unpacked" after unzipping)
//   telegram-api-error-inspector-<version>-chrome-lite.zip  (dist-chrome-lite/: the same without the `debugger` permission)
//   telegram-api-error-inspector-<version>-firefox.xpi  (dist-firefox/, for AMO signing or about:debugging)
// The manifest sits at the archive's root, as both stores require. fflate is already a dependency.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync, type Zippable } from 'fflate';

const root = fileURLToPath(new URL('../', import.meta.url));
// `tsx scripts/package.ts [dir]`: another folder than packages/ (the tests use a temporary one).
const out = process.argv[2] ?? join(root, 'packages');

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesOf(path) : [path];
  });
}

function pack(distDir: string, file: string): void {
  const dir = join(root, distDir);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: string };
  const entries: Zippable = {};
  // Sorted names and a fixed time: the same build gives the same archive.
  for (const path of filesOf(dir).sort()) {
    entries[relative(dir, path).split(sep).join('/')] = [readFileSync(path), { mtime: new Date('2000-01-01T00:00:00Z') }];
  }
  const name = file.replace('<version>', manifest.version);
  const zip = zipSync(entries, { level: 9 });
  writeFileSync(join(out, name), zip);
  console.log(`${relative(root, join(out, name))}: ${Object.keys(entries).length} files, ${(zip.length / 1024).toFixed(0)} KB`);
}

mkdirSync(out, { recursive: true });
pack('dist', 'telegram-api-error-inspector-<version>-chrome.zip');
pack('dist-chrome-lite', 'telegram-api-error-inspector-<version>-chrome-lite.zip');
pack('dist-firefox', 'telegram-api-error-inspector-<version>-firefox.xpi');
