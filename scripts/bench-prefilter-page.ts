// Page side of bench-prefilter-browser.ts (bundled with esbuild, run in Chromium): the
// hook's per-message path for binary WebSocket messages, as watch-websocket.ts wires it
// (a view per message, DirectionStream, the client-head copy, MtprotoInspector, which
// falls back to the byte prefilter for streams that are not MTProto), timed with
// performance.now() over one case's messages.

import { createMtprotoInspector } from '../src/hook/websocket/mtproto-inspector.ts';
import { DirectionStream } from '../src/hook/websocket/direction-stream.ts';
import { copyBytes, NativeUint8Array, setBytes } from '../src/hook/common/natives.ts';

const CLIENT_HEAD_BYTES = 64;

export interface CaseResult {
  ms: number;
  bytes: number;
  messages: number;
  /** Messages the prefilter flagged plus frames the inspector reported: 0 on error-free traffic. */
  hits: number;
}

interface LoadedCase {
  head: Uint8Array | null;
  buffer: ArrayBuffer;
  sizes: Int32Array;
}

const loaded = new Map<string, LoadedCase>();

async function load(name: string): Promise<number> {
  const [head, body, sizes] = await Promise.all(['head', 'bin', 'sizes'].map((part) => fetch(`/data/${name}.${part}`).then((r) => r.arrayBuffer())));
  loaded.set(name, { head: head.byteLength > 0 ? new Uint8Array(head) : null, buffer: body, sizes: new Int32Array(sizes) });
  return body.byteLength;
}

function run(name: string): CaseResult {
  const data = loaded.get(name);
  if (!data) throw new Error(`case ${name} not loaded`);
  const head = new NativeUint8Array(CLIENT_HEAD_BYTES);
  let headLength = 0;
  let hits = 0;
  const inspector = createMtprotoInspector({
    url: 'wss://bench.invalid/apiws',
    clientHead: () => copyBytes(head, 0, headLength),
    emitFrame: () => {
      hits++;
    },
  });
  const handle = (direction: 'in' | 'out') => (bytes: Uint8Array, offset: number) => {
    if (direction === 'out' && offset < CLIENT_HEAD_BYTES) {
      const take = Math.min(CLIENT_HEAD_BYTES - offset, bytes.length);
      setBytes(head, copyBytes(bytes, 0, take), offset);
      headLength = Math.max(headLength, offset + take);
    }
    if (inspector.inspect(direction, bytes, offset)) hits++;
  };
  const incoming = new DirectionStream(inspector.ordered, handle('in'));
  const outgoing = new DirectionStream(inspector.ordered, handle('out'));
  if (data.head) outgoing.pushBytes(data.head);
  const { buffer, sizes } = data;
  const t0 = performance.now();
  let offset = 0;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i];
    // As bytesOf() does for each received ArrayBuffer: a fresh view.
    incoming.pushBytes(new NativeUint8Array(buffer, offset, size));
    offset += size;
  }
  const ms = performance.now() - t0;
  return { ms, bytes: offset, messages: sizes.length, hits };
}

(globalThis as unknown as { prefilterBench: unknown }).prefilterBench = { load, run };
