// The client side of MTProto's obfuscated transport (what Telegram's web clients use on
// every WebSocket), with WebCrypto's AES-CTR: a 64-byte init that carries the inner
// transport's tag and the DC, then both directions encrypted as continuous streams.
// The demo's init is fixed (real clients draw it at random) so two runs send the same bytes.

const TAG = { abridged: 0xef, intermediate: 0xee };

/** 128-bit big-endian counter = iv + blocks. */
function counterAt(iv, blocks) {
  const counter = iv.slice();
  let carry = blocks;
  for (let i = 15; i >= 0 && carry > 0; i--) {
    const sum = counter[i] + (carry % 256);
    counter[i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum > 0xff ? 1 : 0);
  }
  return counter;
}

/** One direction: encrypts/decrypts bytes at their stream offset (CTR is a keystream XOR). */
async function cipherStream(keyBytes, iv, startOffset) {
  const key = await crypto.subtle.importKey('raw', keyBytes, 'AES-CTR', false, ['encrypt']);
  let offset = startOffset;
  return async (bytes) => {
    const skip = offset % 16;
    const padded = new Uint8Array(skip + bytes.length);
    padded.set(bytes, skip);
    const counter = counterAt(iv, Math.floor(offset / 16));
    const out = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CTR', counter, length: 64 }, key, padded));
    offset += bytes.length;
    return out.slice(skip);
  };
}

function fixedInit(seed) {
  const init = new Uint8Array(64);
  for (let i = 0; i < 64; i++) init[i] = (seed * 131 + i * 37 + 11) & 0xff;
  // Not a plain transport's first bytes, and bytes 4..7 not zero (rules for a valid init).
  init[0] = 0x42;
  init[4] = 0x17;
  return init;
}

/**
 * Returns `{ init, encrypt, decrypt }`: `init` is what the client sends first; `encrypt`
 * prepares each later client message, `decrypt` each server message (calls in stream order).
 */
export async function openObfuscation(transport, dcId, seed = 1) {
  const init = fixedInit(seed);
  const tag = TAG[transport];
  init.set([tag, tag, tag, tag], 56);
  new DataView(init.buffer).setInt16(60, dcId, true);
  const toServer = await cipherStream(init.slice(8, 40), init.slice(40, 56), 0);
  const encryptedInit = await toServer(init);
  const wire = new Uint8Array(64);
  wire.set(init.subarray(0, 56));
  wire.set(encryptedInit.subarray(56, 64), 56);
  const reversed = init.slice().reverse();
  const fromServer = await cipherStream(reversed.slice(8, 40), reversed.slice(40, 56), 0);
  return { init: wire, encrypt: toServer, decrypt: fromServer };
}
