// Reads a TL schema back out of the code @mtproto/core generated from it (5.0 and later ship no
// schema text, only src/tl/builder/index.js, one writer per combinator, and src/tl/parser/index.js,
// one reader per type constructor). A writer is regular:
//   'messages.sendMessage': function(params) {
//     this.int32(1376532592);                                      <- the id
//     const flags = (this.has(params.no_webpage) << 1) | (this.has(params.reply_to_msg_id) << 0);
//     this.int32(flags);                                           <- flags:#
//     this.predicate(params.peer);                                 <- peer:Object (boxed, any type)
//     this.flag(this.int, params.reply_to_msg_id);                 <- reply_to_msg_id:flags.0?int
//     this.flagVector(this.predicate, params.entities);            <- entities:flags.3?Vector<Object>
//   },
// A flag bit nobody writes is a `flags.N?true` parameter (listed right after its flags field: it
// takes no bytes, so its place does not matter to the decoder). Type names are lost for boxed
// values; the decoder reads a boxed value by its constructor id, so 'Object' decodes the same.
// Anything else in a writer is an error: the generator's format moved and this must be looked at.

import type { TlSchemaSourceEntry } from './gen-tl-schema.ts';

type Argument = NonNullable<TlSchemaSourceEntry['arguments']>[number];

const WRITER = /^ {2}'([\w.]+)': function\(params\) \{\n([\s\S]*?)\n {2}\},?$/gm;
const PRIMITIVE: Record<string, string> = {
  int: 'int',
  long: 'long',
  double: 'double',
  string: 'string',
  bytes: 'bytes',
  int128: 'int128',
  int256: 'int256',
  Bool: 'Bool',
  predicate: 'Object',
};

function typeOf(writer: string, where: string): string {
  const type = PRIMITIVE[writer];
  if (type === undefined) throw new Error(`${where}: unknown writer this.${writer}`);
  return type;
}

function parseWriter(name: string, body: string): { id: number; args: Argument[] } {
  const lines = body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const idMatch = /^this\.int32\((-?\d+)\);$/.exec(lines[0] ?? '');
  if (!idMatch) throw new Error(`${name}: no id`);
  const flagBits = new Map<string, { field: string; bit: number }>();
  const bitsOfField = new Map<string, string[]>();
  const written = new Set<string>();
  const args: Argument[] = [];
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = /^const (flags\d*) = (.*);$/.exec(line))) {
      const names: string[] = [];
      // `const flags = 0;` when every parameter of the field is gone.
      for (const part of m[2].trim() === '0' ? [] : m[2].split('|')) {
        const bit = /^\(this\.has\(params\.(\w+)\) << (\d+)\)$/.exec(part.trim());
        if (!bit) throw new Error(`${name}: unreadable flags term ${part}`);
        flagBits.set(bit[1], { field: m[1], bit: Number(bit[2]) });
        names.push(bit[1]);
      }
      bitsOfField.set(m[1], names);
    } else if ((m = /^this\.int32\((flags\d*)\);$/.exec(line))) {
      args.push({ name: m[1], type: '#' });
      // The flag-only parameters of this field, found once the whole writer is read (below).
      args.push({ name: `\u0000${m[1]}`, type: 'true' });
    } else if ((m = /^this\.(\w+)\(params\.(\w+)\);$/.exec(line))) {
      args.push({ name: m[2], type: typeOf(m[1], name) });
      written.add(m[2]);
    } else if ((m = /^this\.vector\(this\.(\w+), params\.(\w+)\);$/.exec(line))) {
      args.push({ name: m[2], type: typeOf(m[1], name), typeModifiers: { isVector: true } });
      written.add(m[2]);
    } else if ((m = /^this\.(flag|flagVector)\(this\.(\w+), params\.(\w+)\);$/.exec(line))) {
      const flag = flagBits.get(m[3]);
      if (!flag) throw new Error(`${name}: ${m[3]} is conditional but in no flags field`);
      args.push({
        name: m[3],
        type: typeOf(m[2], name),
        typeModifiers: m[1] === 'flagVector' ? { predicate: `${flag.field}.${flag.bit}`, isVector: true } : { predicate: `${flag.field}.${flag.bit}` },
      });
      written.add(m[3]);
    } else {
      throw new Error(`${name}: unreadable line ${line}`);
    }
  }
  const out: Argument[] = [];
  for (const arg of args) {
    if (!arg.name.startsWith('\u0000')) {
      out.push(arg);
      continue;
    }
    const field = arg.name.slice(1);
    for (const flagName of bitsOfField.get(field) ?? []) {
      if (written.has(flagName)) continue;
      const { bit } = flagBits.get(flagName)!;
      out.push({ name: flagName, type: 'true', typeModifiers: { predicate: `${field}.${bit}` } });
    }
  }
  return { id: Number(idMatch[1]) >>> 0, args: out };
}

/** Entries of the API schema (mt_* MTProto writers are left out); types are the ids the parser reads. */
export function parseMtprotoCore(builderJs: string, parserJs: string): TlSchemaSourceEntry[] {
  const typeIds = new Set<number>();
  for (const m of parserJs.matchAll(/^ {2}\[(\d+), function\(\) \{$/gm)) typeIds.add(Number(m[1]) >>> 0);
  if (typeIds.size < 500) throw new Error('@mtproto/core parser: too few type readers; format moved?');
  const entries: TlSchemaSourceEntry[] = [];
  for (const m of builderJs.matchAll(WRITER)) {
    if (m[1].startsWith('mt_')) continue;
    const { id, args } = parseWriter(m[1], m[2]);
    entries.push({ kind: typeIds.has(id) ? 'class' : 'method', name: m[1], id, arguments: args });
  }
  if (entries.length < 1000) throw new Error('@mtproto/core builder: too few writers; format moved?');
  return entries;
}
