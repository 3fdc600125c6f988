// What a page's renderer pays to receive and read WebSocket messages that arrive as Blobs,
// by way of reading: the reason the hook reads Blobs in batches (src/hook/websocket/direction-stream.ts).
// No extension: a plain page in Debian's Chromium (over a pipe, nothing attached while it
// runs) reads N binary messages of SIZE bytes from a local WebSocket server in bursts of 100,
// each way in turn; the figure is the renderer process's CPU time per message
// (SystemInfo.getProcessInfo before and after), median of the rounds.
//   none         binaryType blob, the page does not read the Blob
//   arraybuffer  binaryType arraybuffer (what receiving costs without Blobs)
//   each         one blob.arrayBuffer() per message (the hook's way before batching)
//   response     new Response(blob).arrayBuffer() per message (GramJS's browser socket)
//   batch        the Blobs that arrive during a read are read next as one joined Blob (the hook's way)
//   prefix       blob.slice(0, 80).arrayBuffer() per message (reading only a head)
//   batchprefix  batch, of 80-byte slices
//   makeblob     binaryType arraybuffer and a Blob made of each message
// Run: npx tsx scripts/bench-blob-read.ts [ways, comma-separated] [rounds]   N=5000 SIZE=1024
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { PipeBrowser, cpuBetween } from './pipe-browser.ts';

const N = Number(process.env.N ?? 5000);
const SIZE = Number(process.env.SIZE ?? 1024);
const BURST = 100;
const variants = (process.argv[2] ?? 'none,arraybuffer,each,response,batch').split(',');
const ROUNDS = Number(process.argv[3] ?? 3);

const page = `<!doctype html><script>
const v = location.hash.slice(1);
const ws = new WebSocket('ws://' + location.host + '/ws');
ws.binaryType = v === 'arraybuffer' || v === 'makeblob' ? 'arraybuffer' : 'blob';
let got = 0, read = 0; window.state = {got:0, read:0};
let queue = [], busy = false;
function flush(){ if (busy || queue.length===0) return; busy = true; const q = queue; queue = [];
  const parts = v==='batchprefix' ? q.map(b=>b.slice(0,80)) : q;
  new Blob(parts).arrayBuffer().then(ab=>{ read += q.length; state.read = read; busy=false; flush(); }); }
ws.onmessage = (e) => {
  got++; state.got = got;
  const d = e.data;
  if (v==='each') d.arrayBuffer().then(()=>{read++; state.read=read;});
  else if (v==='response') new Response(d).arrayBuffer().then(()=>{read++; state.read=read;});
  else if (v==='prefix') d.slice(0,80).arrayBuffer().then(()=>{read++; state.read=read;});
  else if (v==='batch' || v==='batchprefix') { queue.push(d); flush(); }
  else if (v==='makeblob') { const b = new Blob([d]); read++; state.read = read; }
  else { read++; state.read = read; }
  if (got % ${BURST} === 0) ws.send('next');
};
ws.onopen = () => ws.send('next');
</script>`;

const server = createServer((_, res) => {
  res.setHeader('content-type', 'text/html');
  res.end(page);
});
const wss = new WebSocketServer({ server, path: '/ws' });
const payload = Buffer.alloc(SIZE, 7);
wss.on('connection', (s) => {
  let sent = 0;
  s.on('message', () => {
    for (let i = 0; i < BURST && sent < N; i++, sent++) s.send(payload);
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const browser = await PipeBrowser.launch([]);
const results: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const v of variants) {
    const before = await browser.cpu();
    const t0 = Date.now();
    const target = await browser.open(`http://127.0.0.1:${port}/#${v}`);
    const session = await browser.attach(target);
    for (;;) {
      const { result } = await browser.send<{ result: { value: { got: number; read: number } } }>(
        'Runtime.evaluate',
        { expression: 'window.state', returnByValue: true },
        session,
      );
      if (result.value && result.value.got >= N && result.value.read >= N) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await browser.cpu();
    await browser.closeTarget(target);
    const { renderer, all } = cpuBetween(before, after);
    (results[v] ??= []).push((renderer * 1e6) / N);
    console.log(`${v}: renderer ${((renderer * 1e6) / N).toFixed(1)} µs/msg, all ${((all * 1e6) / N).toFixed(1)} µs/msg, wall ${Date.now() - t0} ms`);
  }
}
for (const [v, xs] of Object.entries(results)) console.log(v, 'median renderer µs/msg', xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1));
await browser.close();
server.close();
process.exit(0);
