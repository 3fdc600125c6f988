// Draws the toolbar icons (a Telegram-blue rounded square with a white warning mark)
// as PNG files, so the repo needs no image editor. Run once: npx tsx scripts/make-icons.ts
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function drawIcon(size: number): Buffer {
  const rows: Buffer[] = [];
  const r = size * 0.22;
  const inRoundedSquare = (x: number, y: number) => {
    const cx = Math.min(Math.max(x, r), size - r);
    const cy = Math.min(Math.max(y, r), size - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const mid = size / 2;
  const barW = Math.max(1.5, size * 0.14);
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const px = x + 0.5,
        py = y + 0.5;
      let rgba = [0, 0, 0, 0];
      if (inRoundedSquare(px, py)) {
        rgba = [0x2a, 0x9e, 0xd8, 255];
        const inBar = Math.abs(px - mid) <= barW / 2 && py >= size * 0.18 && py <= size * 0.62;
        const inDot = (px - mid) ** 2 + (py - size * 0.78) ** 2 <= (barW * 0.62) ** 2;
        if (inBar || inDot) rgba = [255, 255, 255, 255];
      }
      row.set(rgba, 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6; // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [16, 32, 48, 128]) writeFileSync(`extension/icons/icon${size}.png`, drawIcon(size));
