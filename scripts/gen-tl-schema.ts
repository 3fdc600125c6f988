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
   * (a TL id is a checksum of its definition, so one id has one layout in every layer).
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
  return { layer: current.layer, c: sortedById(currentEntries), o };
}
