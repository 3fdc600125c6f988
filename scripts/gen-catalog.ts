// Generates the compact lookup tables the classifier needs from the @mtcute/tl package
// (Telegram's error catalog and TL schemas) and the older layers' schemas other registry
// packages publish (scripts/api-layer-sources.ts). Output goes to src/core/generated/, which is
// gitignored: the catalog is a dependency, never pasted into source.
//
// Run: npx tsx scripts/gen-catalog.ts   (idempotent: files are rewritten only when they change)

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTlSchema, type TlSchemaSourceEntry, type TlSchemaTable } from './gen-tl-schema.ts';
import { loadGramjsMtproto, loadLayerSchemas, type LayerSchema } from './api-layer-sources.ts';

interface RawError {
  code: number;
  name: string;
  description?: string | null;
  _paramNames?: string[];
}

interface RawErrors {
  errors: Record<string, RawError>;
  throws: Record<string, string[]>;
}

interface SchemaEntry {
  kind: 'class' | 'method';
  name: string;
  id: number;
}

const require = createRequire(import.meta.url);
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'core', 'generated');

function readPackageJson<T>(subpath: string): T {
  return JSON.parse(readFileSync(require.resolve(`@mtcute/tl/${subpath}`), 'utf8')) as T;
}

/** Ids are 32-bit; some sources write them signed. The tables use the unsigned decimal form. */
function unsignedId(id: number): number {
  return id >>> 0;
}

// MTProto service functions (the `---functions---` half of mtproto.tl) and the service messages a
// client sends on its own (the catalog documents errors for msgs_ack & co.). mtp-schema.json marks
// every entry as a class, so the function names have to be listed here.
const MTPROTO_CLIENT_CALLS = new Set([
  'req_pq',
  'req_pq_multi',
  'req_DH_params',
  'set_client_DH_params',
  'rpc_drop_answer',
  'get_future_salts',
  'ping',
  'ping_delay_disconnect',
  'destroy_session',
  'destroy_auth_key',
  'http_wait',
  'msgs_ack',
  'msg_resend_req',
  'msgs_state_req',
]);

/** Method id -> name over every layer (newest first, so a newer definition is never replaced). */
function buildMethods(layers: Array<{ entries: SchemaEntry[] }>, mtp: Record<string, SchemaEntry>): Record<string, string> {
  const methods: Record<string, string> = {};
  for (const layer of layers) {
    for (const entry of layer.entries) {
      const key = String(unsignedId(entry.id));
      if (entry.kind === 'method' && !entry.name.startsWith('mtcute.') && !(key in methods)) methods[key] = entry.name;
    }
  }
  for (const entry of Object.values(mtp)) {
    const name = entry.name.startsWith('mt_') ? entry.name.slice(3) : entry.name;
    if (MTPROTO_CLIENT_CALLS.has(name)) methods[String(unsignedId(entry.id))] = name;
  }
  return methods;
}

/** name pattern (with %d) -> [code, description | null, param name?] */
function buildErrors(raw: RawErrors): Record<string, [number, string | null] | [number, string | null, string]> {
  const errors: Record<string, [number, string | null] | [number, string | null, string]> = {};
  for (const name of Object.keys(raw.errors).sort()) {
    const e = raw.errors[name];
    const description = e.description ? e.description : null;
    const param = e._paramNames?.[0];
    errors[name] = param ? [e.code, description, param] : [e.code, description];
  }
  return errors;
}

/** error name pattern -> methods documented to raise it (method ids in `throws` resolved to names). */
function buildThrows(raw: RawErrors, methods: Record<string, string>): Record<string, string[]> {
  const byError = new Map<string, Set<string>>();
  for (const [methodKey, errorNames] of Object.entries(raw.throws)) {
    const asNumber = /^-?\d+$/.test(methodKey) ? String(unsignedId(Number(methodKey))) : null;
    const method = asNumber !== null ? (methods[asNumber] ?? methodKey) : methodKey;
    for (const errorName of errorNames) {
      let set = byError.get(errorName);
      if (!set) byError.set(errorName, (set = new Set()));
      set.add(method);
    }
  }
  const out: Record<string, string[]> = {};
  for (const name of [...byError.keys()].sort()) out[name] = [...byError.get(name)!].sort();
  return out;
}

function sortedObject<T>(obj: Record<string, T>, numeric = false): Record<string, T> {
  const keys = Object.keys(obj);
  keys.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const out: Record<string, T> = {};
  for (const k of keys) out[k] = obj[k];
  return out;
}

function writeIfChanged(file: string, value: unknown): boolean {
  const path = join(outDir, file);
  const text = JSON.stringify(value) + '\n';
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileSync(path, text);
  return true;
}

/**
 * What docs/api-layers.md lists (a test compares the two): each layer read, where from, and how
 * many ids it is the newest source of. Not imported by the extension.
 */
function buildCoverage(layers: LayerSchema[], table: TlSchemaTable) {
  const addedByLayer = new Map(table.o.map(([layer, group]) => [layer, Object.keys(group).length]));
  return {
    current: table.layer,
    ids: Object.keys(table.c).length + table.o.reduce((n, [, group]) => n + Object.keys(group).length, 0),
    layers: layers.map((l, i) => ({
      layer: l.layer,
      source: l.source,
      format: l.format,
      ids: l.entries.length,
      newIds: i === 0 ? null : (addedByLayer.get(l.layer) ?? 0),
    })),
  };
}

/** mtcute's MTProto entries plus those only GramJS's schema.tl has (keyed like mtcute's, by name). */
function withGramjsMtproto(mtp: Record<string, SchemaEntry>): Record<string, SchemaEntry> {
  const known = new Set(Object.values(mtp).map((e) => unsignedId(e.id)));
  const out = { ...mtp };
  for (const e of loadGramjsMtproto()) {
    if (known.has(unsignedId(e.id)) || e.name in out) continue;
    known.add(unsignedId(e.id));
    out[e.name] = e as SchemaEntry;
  }
  return out;
}

function main(): void {
  const started = performance.now();
  const rawErrors = readPackageJson<RawErrors>('raw-errors.json');
  // Every layer a registry package publishes a schema for, newest first (the newest is @mtcute/tl's).
  const layers = loadLayerSchemas(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'));
  const mtp = withGramjsMtproto(readPackageJson<Record<string, SchemaEntry>>('mtp-schema.json'));
  // Request-parameter decoding (src/core/params/) needs the full constructor layouts.
  const tlSchema = buildTlSchema(layers, mtp as Record<string, TlSchemaSourceEntry>);
  const version = readPackageJson<{ version: string }>('package.json').version;

  const methods = sortedObject(buildMethods(layers, mtp), true);
  const errors = buildErrors(rawErrors);
  const throws = buildThrows(rawErrors, methods);
  const meta = { source: `@mtcute/tl ${version}`, layer: tlSchema.layer };
  const apiLayers = buildCoverage(layers, tlSchema);

  mkdirSync(outDir, { recursive: true });
  const written = [
    ['errors.json', errors],
    ['throws.json', throws],
    ['methods.json', methods],
    ['meta.json', meta],
    ['tl-schema.json', tlSchema],
    ['api-layers.json', apiLayers],
  ].filter(([file, value]) => writeIfChanged(file as string, value));

  const ms = Math.round(performance.now() - started);
  console.log(
    `gen-catalog: ${Object.keys(errors).length} errors, ${Object.keys(throws).length} thrown errors, ` +
      `${Object.keys(methods).length} methods, layers ${apiLayers.layers.at(-1)?.layer}..${tlSchema.layer} ` +
      `(${apiLayers.layers.length} schemas), ${apiLayers.ids} TL ids; ` +
      `${written.length} file(s) updated in ${ms} ms`,
  );
}

main();
