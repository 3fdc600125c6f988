// A random 64-byte obfuscation init for the intermediate transport (or the inner transport
// of `tag`: 0xefefefef abridged), as a web client sends it, and both directions'
// AES-256-CTR ciphers, for the browser benchmarks' test streams.
import { createCipheriv, randomBytes, type Cipher } from 'node:crypto';

/** First words a client must not start with (they would read as another protocol). */
const RESERVED_FIRST_WORDS = [0x44414548, 0x54534f50, 0x20544547, 0x4954504f, 0xeeeeeeee, 0xdddddddd, 0x02010316];

export function obfuscationInit(dcId = 2, tag = 0xeeeeeeee): { wire: Buffer; toServer: Cipher; toClient: Cipher } {
  let init: Buffer;
  do init = randomBytes(64);
  while (init[0] === 0xef || init.readUInt32LE(4) === 0 || RESERVED_FIRST_WORDS.includes(init.readUInt32LE(0)));
  init.writeUInt32LE(tag, 56);
  init.writeInt16LE(dcId, 60);
  const toServer = createCipheriv('aes-256-ctr', init.subarray(8, 40), init.subarray(40, 56));
  const wire = Buffer.concat([init.subarray(0, 56), toServer.update(init).subarray(56, 64)]);
  const reversed = Buffer.from(init).reverse();
  return { wire, toServer, toClient: createCipheriv('aes-256-ctr', reversed.subarray(8, 40), reversed.subarray(40, 56)) };
}
