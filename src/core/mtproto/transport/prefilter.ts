// A cheap test run on every captured payload before any decoding: can these
// bytes hold an rpc_error or a transport error at all? Uint8Array#indexOf is a
// memchr in V8, so the scan runs at memory speed and only candidate 0x19 bytes
// cost a few comparisons.

/** rpc_error's constructor 0x2144ca19 on the wire. */
const B0 = 0x19,
  B1 = 0xca,
  B2 = 0x44,
  B3 = 0x21;

/** Longest unit that can be "a lone negative int32" with framing around it (full transport: 16 bytes). */
const LONE_ERROR_MAX = 16;

export function mayContainRpcError(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n <= LONE_ERROR_MAX && mayBeTransportError(bytes)) return true;
  const last = n - 4;
  let i = bytes.indexOf(B0);
  while (i !== -1 && i <= last) {
    if (bytes[i + 1] === B1 && bytes[i + 2] === B2 && bytes[i + 3] === B3) return true;
    i = bytes.indexOf(B0, i + 1);
  }
  return false;
}

/**
 * A negative int32 in the range transport errors use (-1..-999), at any
 * position of a short unit: bare payload, or after an abridged / intermediate /
 * full-transport header.
 */
function mayBeTransportError(bytes: Uint8Array): boolean {
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (bytes[i + 3] === 0xff && bytes[i + 2] === 0xff && bytes[i + 1] >= 0xfc) {
      const v = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
      if (v < 0 && v >= -999) return true;
    }
  }
  return false;
}
