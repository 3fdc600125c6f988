// State threaded through one decode call: options, limits, the findings being
// collected, and where in the frame the current reader's bytes sit.

import type { DescribeRequest, RequestTracker } from './request-tracker.ts';
import type { ByteRange, DecodeFindings, MethodNameLookup, StreamDirection } from '../types.ts';

export interface DecodeLimits {
  /** Largest inflated gzip_packed accepted. */
  gzipOutputCap: number;
  /** Nesting of containers / gzip / rpc_result / request wrappers. */
  maxDepth: number;
  /** Objects visited per decoded unit, so a crafted container cannot make work explode. */
  maxObjects: number;
}

export const DEFAULT_LIMITS: DecodeLimits = { gzipOutputCap: 1 << 20, maxDepth: 8, maxObjects: 10_000 };

export interface DecodeContext {
  direction: StreamDirection;
  methodName: MethodNameLookup | null;
  tracker: RequestTracker | null;
  /** Set when outgoing requests' parameters are wanted (the background, with keys). */
  describeRequest: DescribeRequest | null;
  limits: DecodeLimits;
  findings: DecodeFindings;
  objectsLeft: number;
}

export interface Location {
  /** msg_id of the enclosing message, decimal. */
  msgId: string | null;
  path: string[];
  /** Frame offset of reader.bytes[0]; meaningless when `compressed` is set. */
  base: number;
  /** Wire range of the outermost gzip_packed the reader's bytes came from. */
  compressed: { offset: number; length: number } | null;
  depth: number;
}

/** The location one level in, under `name` (a container, rpc_result, msg_copy). */
export function nested(loc: Location, name: string): Location {
  return { msgId: loc.msgId, path: pathWith(loc.path, name), base: loc.base, compressed: loc.compressed, depth: loc.depth + 1 };
}

/** The same location for the message `msgId` (object literal, not a spread: this runs per message). */
export function inMessage(loc: Location, msgId: string): Location {
  return { msgId, path: loc.path, base: loc.base, compressed: loc.compressed, depth: loc.depth };
}

/** A new path array: `path` followed by `name`. */
export function pathWith(path: string[], name: string): string[] {
  const out = path.slice();
  out.push(name);
  return out;
}

/** Frame offset of reader position `start` (or of the enclosing gzip_packed). */
export function offsetIn(loc: Location, start: number): number {
  return loc.compressed ? loc.compressed.offset : loc.base + start;
}

export function lengthIn(loc: Location, start: number, end: number): number {
  return loc.compressed ? loc.compressed.length : Math.max(0, end - start);
}

export function rangeOf(loc: Location, start: number, end: number): ByteRange {
  if (loc.compressed) return { byteOffset: loc.compressed.offset, byteLength: loc.compressed.length, compressed: true };
  return { byteOffset: loc.base + start, byteLength: Math.max(0, end - start), compressed: false };
}

export function diagnose(ctx: DecodeContext, loc: Location, message: string): void {
  const where = loc.path.length > 0 ? loc.path.join('>') + ': ' : '';
  // A frame cannot produce an unbounded list of diagnostics.
  if (ctx.findings.diagnostics.length < 50) ctx.findings.diagnostics.push(where + message);
}

export function lookupMethodName(ctx: DecodeContext, id: number): string | null {
  if (!ctx.methodName) return null;
  try {
    return ctx.methodName(id >>> 0);
  } catch {
    return null;
  }
}
