// Public surface of request-parameter decoding and masking.

export {
  decodeTlObject,
  decodeRequestParams,
  DEFAULT_PARAM_LIMITS,
  type DecodedParams,
  type MessageParams,
  type ParamLimits,
  type TlJson,
  type TlJsonObject,
  type TlBytesMarker,
} from './decode-params.ts';
export { maskParams } from './mask-params.ts';
export { tlConstructor, tlConstructorByName, TL_SCHEMA_LAYER, type TlConstructor, type TlParam } from './tl-schema.ts';
