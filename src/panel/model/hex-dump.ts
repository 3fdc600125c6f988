// The raw MTProto evidence as a classic hex dump: 16 bytes a line, the rpc_error's bytes
// marked so the eye finds them at once.

export interface HexByte {
  hex: string;
  marked: boolean;
}

export interface HexLine {
  offset: string;
  bytes: HexByte[];
  ascii: string;
}

export function hexDump(hex: string, markStart: number, markLength: number, perLine = 16): HexLine[] {
  const total = Math.floor(hex.length / 2);
  const lines: HexLine[] = [];
  for (let start = 0; start < total; start += perLine) {
    const bytes: HexByte[] = [];
    let ascii = '';
    for (let i = start; i < Math.min(total, start + perLine); i++) {
      const pair = hex.slice(i * 2, i * 2 + 2).toLowerCase();
      const value = Number.parseInt(pair, 16);
      bytes.push({ hex: pair, marked: i >= markStart && i < markStart + markLength });
      ascii += value >= 0x20 && value < 0x7f ? String.fromCharCode(value) : '.';
    }
    lines.push({ offset: start.toString(16).padStart(4, '0'), bytes, ascii });
  }
  return lines;
}

/** Pretty-prints a JSON excerpt when it parses; otherwise shows it as it came. */
export function prettyJson(excerpt: string): string {
  try {
    return JSON.stringify(JSON.parse(excerpt), null, 2);
  } catch {
    return excerpt;
  }
}
