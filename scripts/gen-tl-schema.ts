// Builds the compact TL schema table the request-parameter decoder reads
// (src/core/params/): constructor id -> "name|param;param;...", each param in
// TL notation ("peer:InputPeer", "reply_to:flags.0?InputReplyTo",
// "entities:flags.3?Vector<MessageEntity>", "query:!X"). Result types are left
// out: the decoder reads boxed constructor ids, so it never needs them.
// Called by gen-catalog.ts; source: @mtcute/tl's api-schema.json and mtp-schema.json.

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
  /** Unsigned decimal id -> "name|p1;p2". */
  c: Record<string, string>;
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

export function buildTlSchema(api: { l: number; e: TlSchemaSourceEntry[] }, mtp: Record<string, TlSchemaSourceEntry>): TlSchemaTable {
  const entries: Array<[number, string]> = [];
  const add = (e: TlSchemaSourceEntry, name: string) => {
    entries.push([e.id >>> 0, `${name}|${(e.arguments ?? []).map(paramText).join(';')}`]);
  };
  for (const e of Object.values(mtp)) add(e, e.name.startsWith('mt_') ? e.name.slice(3) : e.name);
  // API entries win over MTProto ones with the same id (none are expected).
  // mtcute.* are mtcute's own helpers, not Telegram's.
  for (const e of api.e) if (!e.name.startsWith('mtcute.')) add(e, e.name);
  entries.sort((a, b) => a[0] - b[0]);
  const c: Record<string, string> = {};
  for (const [id, text] of entries) c[String(id)] = text;
  return { layer: api.l, c };
}
