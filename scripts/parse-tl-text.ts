// Parses a TL schema in Telegram's text form (api.tl, as GramJS ships it in every release of the
// npm package `telegram`) into entries shaped like @mtcute/tl's api-schema.json, so gen-catalog
// treats both sources alike:
//   messages.sendMessage#1cc20387 flags:# no_webpage:flags.1?true peer:InputPeer ... = Updates;
//   -> { kind: 'method', name: 'messages.sendMessage', id: 0x1cc20387, arguments: [...] }
// Lines without an explicit #id (built-in types such as `int ? = Int;`, `vector {t:Type} # [ t ]`)
// are left out: the decoder reads those natively.

import type { TlSchemaSourceEntry } from './gen-tl-schema.ts';

export interface ParsedTlText {
  entries: TlSchemaSourceEntry[];
  /** The `// LAYER N` comment some files carry, null when absent. */
  layerComment: number | null;
  /** Lines that looked like combinators but could not be read (reported by the generator). */
  skipped: string[];
}

const COMBINATOR = /^([a-zA-Z][\w.]*)#([0-9a-fA-F]{1,8})\s+(.*?)=\s*([^;]+);\s*$/;
const ARGUMENT = /^([a-zA-Z_][\w]*):(.+)$/;

/** One `name:type` in TL notation ('reply_to_msg_id:flags.0?int', 'id:Vector<long>'). */
export function parseArgument(text: string): NonNullable<TlSchemaSourceEntry['arguments']>[number] | null {
  const m = ARGUMENT.exec(text);
  if (!m) return null;
  const name = m[1];
  let type = m[2];
  const modifiers: { predicate?: string; isVector?: boolean; isBareVector?: boolean } = {};
  const cond = /^([a-z0-9_]+\.\d+)\?(.+)$/.exec(type);
  if (cond) {
    modifiers.predicate = cond[1];
    type = cond[2];
  }
  const vec = /^(Vector|vector)<(.+)>$/.exec(type);
  if (vec) {
    if (vec[1] === 'Vector') modifiers.isVector = true;
    else modifiers.isBareVector = true;
    type = vec[2];
  }
  return Object.keys(modifiers).length > 0 ? { name, type, typeModifiers: modifiers } : { name, type };
}

export function parseTlText(text: string): ParsedTlText {
  const entries: TlSchemaSourceEntry[] = [];
  const skipped: string[] = [];
  let kind: 'class' | 'method' = 'class';
  let layerComment: number | null = null;
  for (const rawLine of text.split('\n')) {
    const layerMatch = /^\/\/\s*LAYER\s+(\d+)/.exec(rawLine.trim());
    if (layerMatch) layerComment = Number(layerMatch[1]);
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (line === '---functions---') {
      kind = 'method';
      continue;
    }
    if (line === '---types---') {
      kind = 'class';
      continue;
    }
    const m = COMBINATOR.exec(line);
    if (!m) {
      if (/^[a-zA-Z][\w.]*#[0-9a-fA-F]/.test(line)) skipped.push(line);
      continue;
    }
    const args: NonNullable<TlSchemaSourceEntry['arguments']> = [];
    let ok = true;
    for (const token of m[3].split(/\s+/).filter(Boolean)) {
      if (/^\{\w+:Type\}$/.test(token)) continue; // type variable declaration: no bytes on the wire
      const arg = parseArgument(token);
      if (!arg) {
        ok = false;
        break;
      }
      args.push(arg);
    }
    if (!ok) {
      skipped.push(line);
      continue;
    }
    entries.push({ kind, name: m[1], id: parseInt(m[2], 16) >>> 0, arguments: args });
  }
  return { entries, layerComment, skipped };
}
