// Moves files or folders with `git mv` and rewrites every relative path that points at them
// (imports, `new URL('…', import.meta.url)`, `vi.mock('…')`, any string literal starting with
// `./` or `../` that names a tracked file or folder), in every tracked source file, moved or not.
// A literal that names nothing in the tree is left alone, except in `new URL('…', import.meta.url)`. Paths written from the repository's
// root (manifest.json, configs, package.json scripts) are not touched: grep for them after.
//
//   npx tsx scripts/move-files.ts OLD NEW [OLD NEW ...]      (paths from the repository root)
//   npx tsx scripts/move-files.ts --dry-run OLD NEW ...       (prints the rewrites only)

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';

const SOURCE = /\.(ts|tsx|js|mjs|cjs|html)$/;
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.js', '/index.ts', '/index.tsx', '/index.js'];

function git(...args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8' });
}

const args = process.argv.slice(2);
const dryRun = args[0] === '--dry-run';
const pairs = dryRun ? args.slice(1) : args;
if (pairs.length === 0 || pairs.length % 2 !== 0) {
  console.error('usage: move-files.ts [--dry-run] OLD NEW [OLD NEW ...]');
  process.exit(2);
}

const root = git('rev-parse', '--show-toplevel').trim();
process.chdir(root);
const tracked = git('ls-files').split('\n').filter(Boolean);
const trackedSet = new Set(tracked);
const trackedDirs = new Set<string>();
for (const file of tracked) for (let d = posix.dirname(file); d !== '.'; d = posix.dirname(d)) trackedDirs.add(d);

// Old path → new path for every tracked file that moves.
const moved = new Map<string, string>();
const dirMoves: Array<[string, string]> = [];
for (let i = 0; i < pairs.length; i += 2) {
  const from = posix.normalize(pairs[i]).replace(/\/$/, '');
  const to = posix.normalize(pairs[i + 1]).replace(/\/$/, '');
  if (trackedSet.has(from)) moved.set(from, to);
  else if (trackedDirs.has(from)) {
    dirMoves.push([from, to]);
    for (const file of tracked) if (file.startsWith(`${from}/`)) moved.set(file, to + file.slice(from.length));
  } else {
    console.error(`not tracked: ${from}`);
    process.exit(2);
  }
}

/** Where a path of the old tree (file or folder) is in the new tree. */
function newPathOf(oldPath: string): string {
  const file = moved.get(oldPath);
  if (file) return file;
  for (const [from, to] of dirMoves) if (oldPath === from || oldPath.startsWith(`${from}/`)) return to + oldPath.slice(from.length);
  return oldPath;
}

/** The tracked path a relative literal names from `fromDir`, with the suffix it left out, or null. */
function resolveLiteral(fromDir: string, literal: string): { target: string; suffix: string } | null {
  const base = posix.normalize(posix.join(fromDir, literal.split(/[?#]/)[0]!)).replace(/\/$/, '');
  if (trackedDirs.has(base)) return { target: base, suffix: '' };
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (trackedSet.has(candidate)) return suffix.startsWith('/index') ? { target: base, suffix: '' } : { target: candidate, suffix };
  }
  return null;
}

const LITERAL = /(['"`])(\.{1,2}\/[^'"`\n]*)\1/g;
let rewrites = 0;
const outputs = new Map<string, string>();
for (const oldFile of tracked.filter((f) => SOURCE.test(f))) {
  const newFile = moved.get(oldFile) ?? oldFile;
  const text = readFileSync(oldFile, 'utf8');
  const next = text.replace(LITERAL, (whole, quote: string, literal: string, offset: number) => {
    // `new URL('…', import.meta.url)` may name what is not tracked (dist/, artifacts/): it still
    // names the same place after the move.
    const isFileUrl = /new URL\(\s*$/.test(text.slice(Math.max(0, offset - 12), offset));
    const found =
      resolveLiteral(posix.dirname(oldFile), literal) ??
      (isFileUrl ? { target: posix.normalize(posix.join(posix.dirname(oldFile), literal.split(/[?#]/)[0]!)).replace(/\/$/, ''), suffix: '' } : null);
    if (!found) return whole;
    const newTarget = newPathOf(found.target);
    if (newTarget === found.target && newFile === oldFile) return whole;
    const tail = literal.match(/[?#].*$/)?.[0] ?? '';
    const trailingSlash = literal.split(/[?#]/)[0]!.endsWith('/') ? '/' : '';
    let spec = posix.relative(posix.dirname(newFile), newTarget.slice(0, newTarget.length - found.suffix.length)) || '.';
    if (!spec.startsWith('.')) spec = `./${spec}`;
    const rewritten = spec + found.suffix + trailingSlash + tail;
    if (rewritten === literal) return whole;
    rewrites++;
    if (dryRun) console.log(`${newFile}: ${literal} → ${rewritten}`);
    return quote + rewritten + quote;
  });
  if (next !== text) outputs.set(newFile, next);
}

if (dryRun) {
  console.log(`${moved.size} files would move, ${rewrites} literals would change`);
  process.exit(0);
}
for (const [from, to] of moved) {
  mkdirSync(dirname(resolve(root, to)), { recursive: true });
  git('mv', from, to);
}
for (const [file, text] of outputs) writeFileSync(file, text);
console.log(`${moved.size} files moved, ${rewrites} literals rewritten in ${outputs.size} files`);
