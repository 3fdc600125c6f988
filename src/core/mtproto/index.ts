// Public surface of the MTProto decoder; other folders import from here.

export { decodeMtprotoPayload, decodeDecryptedMessage, decodeMessageBody, type DecodeOptions, type BodyDecodeOptions } from './decode.ts';
export { mayContainRpcError } from './prefilter.ts';
export {
  MtprotoStreamDecoder,
  createStreamDecoder,
  restoreStreamDecoder,
  type StreamDecoderOptions,
  type StreamChunkResult,
  type StreamStatus,
  type StreamPhase,
  type SavedStreamDecoder,
} from './stream-decoder.ts';
export { RequestTracker, DEFAULT_TRACKER_CAPACITY, type TrackedRequest, type SavedRequestTracker } from './request-tracker.ts';
export { AesCtr } from './aes.ts';
export { parseObfuscationInit, type ObfuscationInit } from './obfuscation.ts';
export { crc32 } from './crc32.ts';
export { DEFAULT_LIMITS, type DecodeLimits } from './context.ts';
export { badMsgMeaning, transportErrorMeaning, BAD_MSG_MEANINGS, TRANSPORT_ERROR_MEANINGS } from './constructors.ts';
export type * from './types.ts';
