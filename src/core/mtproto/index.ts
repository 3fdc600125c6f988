// Public surface of the MTProto decoder; other folders import from here.

export { decodeMtprotoPayload, decodeDecryptedMessage, decodeMessageBody, type DecodeOptions, type BodyDecodeOptions } from './tl/decode.ts';
export { mayContainRpcError } from './transport/prefilter.ts';
export {
  MtprotoStreamDecoder,
  createStreamDecoder,
  restoreStreamDecoder,
  type StreamDecoderOptions,
  type StreamChunkResult,
  type StreamStatus,
  type StreamPhase,
  type SavedStreamDecoder,
} from './transport/stream-decoder.ts';
export { RequestTracker, DEFAULT_TRACKER_CAPACITY, type TrackedRequest, type SavedRequestTracker } from './tl/request-tracker.ts';
export { AesCtr } from './crypto/aes.ts';
export { parseObfuscationInit, type ObfuscationInit } from './transport/obfuscation.ts';
export { crc32 } from './transport/crc32.ts';
export { DEFAULT_LIMITS, type DecodeLimits } from './tl/context.ts';
export { badMsgMeaning, transportErrorMeaning, BAD_MSG_MEANINGS, TRANSPORT_ERROR_MEANINGS } from './tl/constructors.ts';
export type * from './types.ts';
