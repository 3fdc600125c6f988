// Calls from clients on another TL layer than GramJS's (telegram 2.26.22 reads layer 198; mtcute
// 0.27 sends layer 221, where messages.sendMessage is #545cd15a, not #983f9745). GramJS cannot
// read those, so the fake reads the wrappers itself and names the method by its constructor id
// from the schema of the @mtcute/tl that @mtcute/core depends on (the layer mtcute sends). The
// call's parameters stay unread: scripted errors need only the method's name.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface SchemaEntry {
  kind: 'class' | 'method';
  name: string;
  id: number;
}

function methodNames(): Map<number, string> {
  const names = new Map<number, string>();
  // The @mtcute/tl that @mtcute/core resolves (it may be older than the project's own copy).
  const fromCore = createRequire(require.resolve('@mtcute/core'));
  for (const resolve of [fromCore.resolve, require.resolve]) {
    const schema = JSON.parse(readFileSync(resolve('@mtcute/tl/api-schema.json'), 'utf8')) as { e: SchemaEntry[] };
    for (const entry of schema.e) if (entry.kind === 'method' && !names.has(entry.id)) names.set(entry.id, entry.name);
  }
  return names;
}

let names: Map<number, string> | null = null;

const ID = {
  invokeWithLayer: 0xda9b0d0d,
  initConnection: 0xc1cd5ea9,
  invokeAfterMsg: 0xcb9f372d,
  invokeWithoutUpdates: 0xbf9459b7,
} as const;

/** Bytes taken by a TL `string`/`bytes` at `at`. */
function tlBytesLength(body: Buffer, at: number): number {
  const first = body[at];
  const [head, length] = first <= 253 ? [1, first] : [4, body[at + 1] | (body[at + 2] << 8) | (body[at + 3] << 16)];
  return head + length + ((4 - ((head + length) % 4)) % 4);
}

/**
 * The innermost method of a call GramJS could not read, with the wrappers around it (named as
 * GramJS names them, for the log), or null when the constructor is in no schema.
 */
export function readOtherLayerCall(body: Buffer): { method: string; wrappers: string[] } | null {
  names ??= methodNames();
  const wrappers: string[] = [];
  let at = 0;
  for (;;) {
    const id = body.readUInt32LE(at);
    if (id === ID.invokeWithLayer) {
      wrappers.push('InvokeWithLayer');
      at += 8;
    } else if (id === ID.invokeAfterMsg) {
      wrappers.push('InvokeAfterMsg');
      at += 12;
    } else if (id === ID.invokeWithoutUpdates) {
      wrappers.push('InvokeWithoutUpdates');
      at += 4;
    } else if (id === ID.initConnection) {
      wrappers.push('InitConnection');
      const flags = body.readUInt32LE(at + 4);
      // proxy and params are not read: mtcute sends neither unless told to.
      if (flags & 3) return null;
      at += 12;
      for (let i = 0; i < 6; i++) at += tlBytesLength(body, at);
    } else {
      const method = names.get(id);
      return method === undefined ? null : { method, wrappers };
    }
  }
}
