// The TL schema table generated from @mtcute/tl (scripts/gen-tl-schema.ts):
// constructor id -> name and parameters. Entries are parsed on first use and
// kept, so a session that sees a few dozen methods parses a few dozen lines.

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
}

const raw = (table as { layer: number; c: Record<string, string> }).c;
export const TL_SCHEMA_LAYER: number = (table as { layer: number }).layer;

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

/** The constructor (or method) with this id, null when the schema does not have it. */
export function tlConstructor(id: number): TlConstructor | null {
  const key = id >>> 0;
  let entry = byId.get(key);
  if (entry !== undefined) return entry;
  const text = raw[String(key)];
  if (text === undefined) {
    entry = null;
  } else {
    const bar = text.indexOf('|');
    const params = text.slice(bar + 1);
    entry = { id: key, name: text.slice(0, bar), params: params ? params.split(';').map(parseParam) : [] };
  }
  // Unknown ids come from junk too; do not let them grow the cache without bound.
  if (entry !== null || byId.size < 10_000) byId.set(key, entry);
  return entry;
}

/** By name ('inputCheckPasswordSRP', 'messages.sendMessage'); the name index is built on first call. */
export function tlConstructorByName(name: string): TlConstructor | null {
  if (nameToId === null) {
    nameToId = new Map();
    for (const [id, text] of Object.entries(raw)) nameToId.set(text.slice(0, text.indexOf('|')), Number(id));
  }
  const id = nameToId.get(name);
  return id === undefined ? null : tlConstructor(id);
}
