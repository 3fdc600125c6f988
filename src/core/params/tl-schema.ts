// The TL schema table generated from every published layer (scripts/gen-tl-schema.ts):
// constructor id -> name and parameters. Entries are parsed on first use and
// kept, so a session that sees a few dozen methods parses a few dozen lines.
// An id only an older layer has is found in that layer's group, with that layer's
// own definition: a client speaking layer 158 is decoded by layer 158's schema.

import table from '../generated/tl-schema.json' with { type: 'json' };

export interface TlParam {
  name: string;
  /** Element type for vectors, the type itself otherwise ('int', 'InputPeer', '!X', 'true', '#'). */
  type: string;
  /** 'Vector' (boxed), 'vector' (bare) or null. */
  vector: 'Vector' | 'vector' | null;
  /** Conditional field: the flags field and the bit that says whether it is present. */
  flagField: string | null;
  flagBit: number;
}

export interface TlConstructor {
  id: number;
  name: string;
  params: TlParam[];
  /** The newest layer whose schema defines this id. */
  layer: number;
}

interface GeneratedTable {
  layer: number;
  /** The newest layer: id -> "name|p1;p2". */
  c: Record<string, string>;
  /** Ids the newest layer lacks, by the newest older layer that has them, newest first. */
  o: Array<[number, Record<string, string>]>;
}

const generated = table as unknown as GeneratedTable;
export const TL_SCHEMA_LAYER: number = generated.layer;

/** The definition text of an id and the layer it was taken from. */
function lookupText(key: number): { text: string; layer: number } | null {
  const text = generated.c[String(key)];
  if (text !== undefined) return { text, layer: generated.layer };
  for (const [layer, group] of generated.o) {
    const older = group[String(key)];
    if (older !== undefined) return { text: older, layer };
  }
  return null;
}

const byId = new Map<number, TlConstructor | null>();
let nameToId: Map<string, number> | null = null;

function parseParam(text: string): TlParam {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon);
  let type = text.slice(colon + 1);
  let flagField: string | null = null;
  let flagBit = 0;
  const cond = /^([a-z0-9_]+)\.(\d+)\?/.exec(type);
  if (cond) {
    flagField = cond[1];
    flagBit = Number(cond[2]);
    type = type.slice(cond[0].length);
  }
  let vector: TlParam['vector'] = null;
  const vec = /^(Vector|vector)<(.+)>$/.exec(type);
  if (vec) {
    vector = vec[1] as 'Vector' | 'vector';
    type = vec[2];
  }
  return { name, type, vector, flagField, flagBit };
}

/** Name -> id of its newest definition: the first in table order (c, then the groups), as the generator counts it. */
function nameIndex(): Map<string, number> {
  if (nameToId === null) {
    const index = new Map<string, number>();
    const add = (group: Record<string, string>) => {
      for (const [id, text] of Object.entries(group)) {
        const entryName = text.slice(0, text.indexOf('|'));
        if (!index.has(entryName)) index.set(entryName, Number(id));
      }
    };
    add(generated.c);
    for (const [, group] of generated.o) add(group);
    nameToId = index;
  }
  return nameToId;
}

const PARAM_REFERENCE = /^(\d+)(?:-(\d+))?$/;

/**
 * An older definition writes the parameters it shares with the newest definition of its name as
 * indices there ("0-6;9;reply_to_msg_id:flags.0?int"); null if one does not resolve.
 */
function expandParams(name: string, tokens: string[]): string[] | null {
  if (tokens.every((t) => t.includes(':'))) return tokens;
  const baseId = nameIndex().get(name);
  const baseText = baseId === undefined ? undefined : lookupText(baseId)?.text;
  if (baseText === undefined) return null;
  const base = baseText.slice(baseText.indexOf('|') + 1).split(';');
  const out: string[] = [];
  for (const token of tokens) {
    if (token.includes(':')) {
      out.push(token);
      continue;
    }
    const ref = PARAM_REFERENCE.exec(token);
    if (!ref) return null;
    const last = ref[2] === undefined ? Number(ref[1]) : Number(ref[2]);
    for (let i = Number(ref[1]); i <= last; i++) {
      if (base[i] === undefined || !base[i].includes(':')) return null;
      out.push(base[i]);
    }
  }
  return out;
}

/** The constructor (or method) with this id, null when the schema does not have it. */
export function tlConstructor(id: number): TlConstructor | null {
  const key = id >>> 0;
  let entry = byId.get(key);
  if (entry !== undefined) return entry;
  const found = lookupText(key);
  entry = null;
  if (found !== null) {
    const { text, layer } = found;
    const bar = text.indexOf('|');
    const name = text.slice(0, bar);
    const params = text.slice(bar + 1);
    const tokens = expandParams(name, params ? params.split(';') : []);
    if (tokens !== null) entry = { id: key, name, params: tokens.map(parseParam), layer };
  }
  // Unknown ids come from junk too; do not let them grow the cache without bound.
  if (entry !== null || byId.size < 10_000) byId.set(key, entry);
  return entry;
}

/** By name ('inputCheckPasswordSRP', 'messages.sendMessage'): its newest definition. */
export function tlConstructorByName(name: string): TlConstructor | null {
  const id = nameIndex().get(name);
  return id === undefined ? null : tlConstructor(id);
}
