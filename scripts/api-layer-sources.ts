// The published TL schemas gen-catalog reads, one per API layer, found among package.json's
// devDependencies (pinned npm aliases, so the build never downloads anything):
//   @mtcute/tl, @mtcute/tl-layer-N  -> api-schema.json (mtcute's parsed schema)
//   telegram, telegram-layer-N      -> GramJS's api.tl (tl/apiTl.js since 2.0.8, tl/static/api.tl before)
//   teleproto-layer-N               -> the same file in teleproto, a GramJS fork
//   @mtproto/core, @mtproto/core-layer-N -> the writers and readers it generated from its schema
//                                      (scripts/parse-mtproto-core.ts); layer from src/rpc/index.js;
//                                      2.x ships the schema itself as JSON (scheme/full.js)
// The layer of a GramJS-style package is the LAYER constant it sends in invokeWithLayer
// (tl/AllTLObjects.js), read as text: the package's code is never run.

import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TlSchemaSourceEntry } from './gen-tl-schema.ts';
import { parseArgument, parseTlText } from './parse-tl-text.ts';
import { parseMtprotoCore } from './parse-mtproto-core.ts';

const require = createRequire(import.meta.url);

export interface LayerSchema {
  layer: number;
  /** 'telegram@2.17.10' : the registry package and version the schema was read from. */
  source: string;
  /** How the package ships it: 'api-schema.json', 'api.tl' or 'generated code'. */
  format: 'api-schema.json' | 'api.tl' | 'generated code' | 'scheme/full.js';
  entries: TlSchemaSourceEntry[];
}

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

function packageVersion(dir: string): { name: string; version: string } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
}

function loadMtcute(alias: string): LayerSchema {
  const dir = packageDir(alias);
  const schema = JSON.parse(readFileSync(join(dir, 'api-schema.json'), 'utf8')) as { l: number; e: TlSchemaSourceEntry[] };
  const pkg = packageVersion(dir);
  return { layer: schema.l, source: `${pkg.name}@${pkg.version}`, format: 'api-schema.json', entries: schema.e };
}

/** The TL text out of tl/<file>Tl.js (`module.exports = \`...\`;`), read without running it. */
function tlText(dir: string, file: 'api' | 'schema'): string {
  const js = join(dir, 'tl', `${file}Tl.js`);
  if (existsSync(js)) {
    // The literal ends at the first backtick: GramJS's schema has no backticks, escapes or ${}.
    const m = /module\.exports\s*=\s*`([^`]*)`/.exec(readFileSync(js, 'utf8'));
    if (!m || /[\\]|\$\{/.test(m[1])) throw new Error(`${js}: not a plain template literal`);
    return m[1];
  }
  return readFileSync(join(dir, 'tl', 'static', `${file}.tl`), 'utf8');
}

function loadGramjsStyle(alias: string): LayerSchema {
  const dir = packageDir(alias);
  const layerMatch = /\bLAYER\s*=\s*(\d+)/.exec(readFileSync(join(dir, 'tl', 'AllTLObjects.js'), 'utf8'));
  if (!layerMatch) throw new Error(`${alias}: no LAYER constant in tl/AllTLObjects.js`);
  const parsed = parseTlText(tlText(dir, 'api'));
  // Only the built-in vector line is expected to be unreadable; anything more means the format moved.
  const unexpected = parsed.skipped.filter((line) => !line.startsWith('vector#1cb5c415'));
  if (unexpected.length > 0) throw new Error(`${alias}: unreadable TL lines: ${unexpected.slice(0, 3).join(' | ')}`);
  const layer = Number(layerMatch[1]);
  if (parsed.layerComment !== null && parsed.layerComment !== layer) {
    throw new Error(`${alias}: LAYER ${layer} but api.tl says LAYER ${parsed.layerComment}`);
  }
  const pkg = packageVersion(dir);
  return { layer, source: `${pkg.name}@${pkg.version}`, format: 'api.tl', entries: parsed.entries };
}

/** MTProto's core combinators, which mtproto.tl writes by hand and TL parsers leave out. */
const MTPROTO_CORE = ['vector', 'message', 'msg_container', 'msg_copy', 'gzip_packed', 'rpc_result', 'msg_resend_ans_req'];

interface JsonSchemaParam {
  name: string;
  type: string;
}

/**
 * @mtproto/core 2.x: Telegram's JSON schema form, `module.exports = {constructorsById: {id:
 * {id, predicate, params: [{name, type: 'flags.0?int'}]}}, methodsByName: {...}}`, read as JSON.
 */
function loadMtprotoCoreScheme(alias: string, dir: string): LayerSchema {
  const text = readFileSync(join(dir, 'scheme', 'full.js'), 'utf8');
  const m = /^module\.exports\s*=\s*([\s\S]*?);?\s*$/.exec(text);
  if (!m) throw new Error(`${alias}: scheme/full.js is not a plain module.exports`);
  const scheme = JSON.parse(m[1]) as {
    constructorsById: Record<string, { id: number; predicate: string; params: JsonSchemaParam[] }>;
    methodsByName: Record<string, { id: number; method: string; params: JsonSchemaParam[] }>;
  };
  const layerMatch = /\blayer:\s*(\d+)/.exec(readFileSync(join(dir, 'src', 'main.js'), 'utf8'));
  if (!layerMatch) throw new Error(`${alias}: no layer in src/main.js`);
  const args = (params: JsonSchemaParam[], name: string) =>
    params.map((p) => {
      const arg = parseArgument(`${p.name}:${p.type}`);
      if (!arg) throw new Error(`${alias}: ${name}: unreadable parameter ${p.name}:${p.type}`);
      return arg;
    });
  // The file merges MTProto's own schema in; that is read from @mtcute/tl and GramJS (gen-catalog),
  // and its hand-written core (message, msg_container, rpc_result...) is decoded natively.
  const mtproto = new Set([...loadGramjsMtproto().map((e) => e.name), ...MTPROTO_CORE]);
  const entries: TlSchemaSourceEntry[] = [
    ...Object.values(scheme.constructorsById).map((c) => ({
      kind: 'class' as const,
      name: c.predicate,
      id: c.id >>> 0,
      arguments: args(c.params, c.predicate),
    })),
    ...Object.values(scheme.methodsByName).map((c) => ({ kind: 'method' as const, name: c.method, id: c.id >>> 0, arguments: args(c.params, c.method) })),
  ];
  const pkg = packageVersion(dir);
  return { layer: Number(layerMatch[1]), source: `${pkg.name}@${pkg.version}`, format: 'scheme/full.js', entries: entries.filter((e) => !mtproto.has(e.name)) };
}

function loadMtprotoCore(alias: string): LayerSchema {
  const dir = packageDir(alias);
  if (existsSync(join(dir, 'scheme', 'full.js'))) return loadMtprotoCoreScheme(alias, dir);
  const layerMatch = /\blayer:\s*(\d+)/.exec(readFileSync(join(dir, 'src', 'rpc', 'index.js'), 'utf8'));
  if (!layerMatch) throw new Error(`${alias}: no layer in src/rpc/index.js`);
  const read = (part: string) => readFileSync(join(dir, 'src', 'tl', part, 'index.js'), 'utf8');
  const pkg = packageVersion(dir);
  return {
    layer: Number(layerMatch[1]),
    source: `${pkg.name}@${pkg.version}`,
    format: 'generated code',
    entries: parseMtprotoCore(read('builder'), read('parser')),
  };
}

/**
 * Every schema source named in package.json, newest layer first. A layer two packages carry keeps
 * the first of mtcute, GramJS-style, @mtproto/core: the most direct form of the schema.
 */
export function loadLayerSchemas(packageJsonPath: string): LayerSchema[] {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { devDependencies?: Record<string, string> };
  const names = Object.keys(pkg.devDependencies ?? {});
  const schemas: LayerSchema[] = [];
  for (const name of names) if (name === '@mtcute/tl' || name.startsWith('@mtcute/tl-layer-')) schemas.push(loadMtcute(name));
  for (const name of names) {
    if (name === 'telegram' || /^(telegram|teleproto)-layer-\d+$/.test(name)) schemas.push(loadGramjsStyle(name));
  }
  for (const name of names) if (name === '@mtproto/core' || name.startsWith('@mtproto/core-layer-')) schemas.push(loadMtprotoCore(name));
  const byLayer = new Map<number, LayerSchema>();
  for (const s of schemas) if (!byLayer.has(s.layer)) byLayer.set(s.layer, s);
  return [...byLayer.values()].sort((a, b) => b.layer - a.layer);
}

/**
 * MTProto's own combinators as GramJS ships them (schema.tl): mtcute's mtp-schema.json leaves out
 * a few a client may still send or meet (req_pq, p_q_inner_data, server_DH_params_fail). Lines
 * without an id (GramJS's description of its fake-TLS hello, never sent as TL) are skipped.
 */
export function loadGramjsMtproto(alias = 'telegram'): TlSchemaSourceEntry[] {
  return parseTlText(tlText(packageDir(alias), 'schema')).entries;
}
