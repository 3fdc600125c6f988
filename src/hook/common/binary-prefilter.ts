// The binary prefilter is defined once, next to the MTProto decoder (one definition of
// what an rpc_error or a transport error looks like on the wire). It is taken from its
// own module rather than decode.ts so the page bundle carries the scan and none of the
// decoder's tables.

export { mayContainRpcError } from '../../core/mtproto/transport/prefilter.ts';
