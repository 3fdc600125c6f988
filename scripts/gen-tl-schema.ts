// Builds the compact TL schema table the request-parameter decoder reads
// (src/core/params/): constructor id -> "name|param;param;...", each param in
// TL notation ("peer:InputPeer", "reply_to:flags.0?InputReplyTo",
// "entities:flags.3?Vector<MessageEntity>", "query:!X"). Result types are left
// out: the decoder reads boxed constructor ids, so it never needs them.
// Called by gen-catalog.ts; sources: every layer's schema (scripts/api-layer-sources.ts) and
// @mtcute/tl's mtp-schema.json.

interface SchemaArgument {
  name: string;
  type: string;
  typeModifiers?: { predicate?: string; isVector?: boolean; isBareVector?: boolean };
}

export interface TlSchemaSourceEntry {
  kind: 'class' | 'method';
  name: string;
  id: number;
  arguments?: SchemaArgument[];
}

export interface TlSchemaTable {
  layer: number;
  /** The newest layer's constructors and methods (and MTProto's): unsigned decimal id -> "name|p1;p2". */
  c: Record<string, string>;
  /**
   * Ids the newest layer lacks, grouped by the newest older layer that has them, newest group
   * first: [layer, {id: "name|p1;p2"}]. Each id appears once, with that layer's own definition
   * (a TL id is a checksum of its definition without its `flags.N?true` parameters: one id is
   * one wire layout in every layer, and the newest definition names it); a
   * parameter the newest definition of that name also has is written as its index there (shareParams).
   */
  o: Array<[number, Record<string, string>]>;
}

function paramText(arg: SchemaArgument): string {
  const m = arg.typeModifiers ?? {};
  // mtcute's int53 is a long on the wire.
  let type = arg.type === 'int53' ? 'long' : arg.type;
  if (m.isVector) type = `Vector<${type}>`;
  else if (m.isBareVector) type = `vector<${type}>`;
  if (m.predicate) type = `${m.predicate}?${type}`;
  if (/[|;]/.test(arg.name + type)) throw new Error(`unexpected character in ${arg.name}:${type}`);
  return `${arg.name}:${type}`;
}

function entryText(e: TlSchemaSourceEntry, name: string): string {
  return `${name}|${(e.arguments ?? []).map(paramText).join(';')}`;
}

function sortedById(entries: Array<[number, string]>): Record<string, string> {
  entries.sort((a, b) => a[0] - b[0]);
  const out: Record<string, string> = {};
  for (const [id, text] of entries) out[String(id)] = text;
  return out;
}

/**
 * `layers` newest first: the first is the current layer; every other one contributes only the
 * ids no newer layer has. mtcute.* entries are mtcute's own helpers, not Telegram's.
 */
export function buildTlSchema(layers: Array<{ layer: number; entries: TlSchemaSourceEntry[] }>, mtp: Record<string, TlSchemaSourceEntry>): TlSchemaTable {
  const [current, ...older] = layers;
  const seen = new Set<number>();
  const currentEntries: Array<[number, string]> = [];
  for (const e of Object.values(mtp)) {
    currentEntries.push([e.id >>> 0, entryText(e, e.name.startsWith('mt_') ? e.name.slice(3) : e.name)]);
  }
  // API entries win over MTProto ones with the same id (none are expected): later keys overwrite.
  for (const e of current.entries) {
    if (e.name.startsWith('mtcute.')) continue;
    currentEntries.push([e.id >>> 0, entryText(e, e.name)]);
  }
  for (const [id] of currentEntries) seen.add(id);
  const o: TlSchemaTable['o'] = [];
  for (const layer of older) {
    const added: Array<[number, string]> = [];
    for (const e of layer.entries) {
      const id = e.id >>> 0;
      if (seen.has(id) || e.name.startsWith('mtcute.')) continue;
      seen.add(id);
      added.push([id, entryText(e, e.name)]);
    }
    if (added.length > 0) o.push([layer.layer, sortedById(added)]);
  }
  return shareParams({ layer: current.layer, c: sortedById(currentEntries), o });
}

/** Indices of `params` in `base`, runs of consecutive ones written "a-b"; a param `base` lacks stays as text. */
function paramsAgainst(params: string[], base: string[]): string[] {
  const out: string[] = [];
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart < 0) return;
    out.push(runStart === runEnd ? String(runStart) : `${runStart}-${runEnd}`);
    runStart = runEnd = -1;
  };
  for (const p of params) {
    const i = base.indexOf(p);
    if (i >= 0 && runStart >= 0 && i === runEnd + 1) {
      runEnd = i;
    } else {
      flush();
      if (i >= 0) runStart = runEnd = i;
      else out.push(p);
    }
  }
  flush();
  return out;
}

/**
 * Keeps older definitions small: most of an old messages.sendMessage's parameters are the newest
 * one's, so each parameter an older entry shares with the newest definition of the same name is
 * written as its index there ("peer:InputPeer" -> "7", a run "7;8;9" -> "7-9"); parameters always
 * contain ':', indices never do. The newest definition of a name is its first in table order
 * (c, then the groups, each by ascending id), exactly as src/core/params/tl-schema.ts finds it.
 */
function shareParams(table: TlSchemaTable): TlSchemaTable {
  const newest = new Map<string, string[]>();
  const split = (text: string): [string, string[]] => {
    const bar = text.indexOf('|');
    const params = text.slice(bar + 1);
    return [text.slice(0, bar), params ? params.split(';') : []];
  };
  for (const text of Object.values(table.c)) {
    const [name, params] = split(text);
    if (!newest.has(name)) newest.set(name, params);
  }
  const o: TlSchemaTable['o'] = table.o.map(([layer, group]) => {
    const out: Record<string, string> = {};
    for (const [id, text] of Object.entries(group)) {
      const [name, params] = split(text);
      const base = newest.get(name);
      if (base === undefined) {
        newest.set(name, params);
        out[id] = text;
      } else {
        out[id] = `${name}|${paramsAgainst(params, base).join(';')}`;
      }
    }
    return [layer, out];
  });
  return { layer: table.layer, c: table.c, o };
}
