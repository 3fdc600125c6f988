// The layout's rules, checked on the source tree: no import cycle among src/ files (type
// imports count: a cycle of types is still two modules that cannot be read apart), src/core/
// imports nothing outside itself, and only src/platform/ touches the browser's extension API.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1] ?? m[2]!)).filter((t) => !t.includes('/generated/'));
    return [file, targets];
  }),
);
const name = (file: string): string => relative(ROOT, file);

/** Every cycle's files, found by Tarjan's strongly connected components. */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(name(member));
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found;
}

describe('source layout', () => {
  it('resolves every relative import to a file of the tree', () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets.filter((t) => !files.includes(t) && !/\.(css|json|svg|png)$/.test(t)).map((t) => `${name(file)} → ${name(t)}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no import cycle among src/ files, type imports included', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps src/core/ free of every other src/ folder', () => {
    const core = join(SRC, 'core');
    const outside = [...graph]
      .filter(([file]) => file.startsWith(core))
      .flatMap(([file, targets]) => targets.filter((t) => !t.startsWith(core)).map((t) => `${name(file)} → ${name(t)}`));
    expect(outside).toEqual([]);
  });

  it('touches chrome.* / browser.* only in src/platform/', () => {
    const platform = join(SRC, 'platform');
    const code = (file: string): string =>
      readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    const touching = files.filter(
      (file) =>
        !file.startsWith(platform) &&
        /(?<![\w.'"`])(chrome|browser)\.(runtime|tabs|storage|scripting|permissions|debugger|devtools|action)\.\w/.test(code(file)),
    );
    expect(touching.map(name)).toEqual([]);
  });
});
