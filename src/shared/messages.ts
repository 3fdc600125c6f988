// Every message that crosses a boundary (page hook -> content script -> background ->
// panel, and back) is defined here, so each hop validates against one definition.

import type { Channel, Direction, ErrorRecord } from '../core/record.ts';

/** Name of the DOM event the page hook dispatches on `document`; detail is a JSON string. */
export const HOOK_EVENT = '__tg_api_error_inspector__';

/** Caps enforced by the content script on what the page may hand it. */
export const LIMITS = {
  /** Largest JSON detail accepted from the page, in characters. */
  detailChars: 1_200_000,
  /** Largest text body forwarded. */
  textChars: 1_000_000,
  /** Largest binary payload forwarded, in bytes (base64 is 4/3 of it). */
  binaryBytes: 256 * 1024,
  urlChars: 4096,
  connChars: 64,
  methodChars: 256,
  /** Captures accepted per second per page before the rest are dropped. */
  perSecond: 500,
} as const;

/**
 * What the page hook reports: a piece of traffic that passed the prefilter.
 * Decoding and classification happen in the background, never in the page.
 */
export interface HookCapture {
  v: 1;
  channel: Channel;
  direction: Direction;
  /** Request or connection URL as the page used it (masked later). */
  url: string;
  /** Epoch milliseconds when the hook saw it. */
  at: number;
  kind: 'text' | 'binary' | 'structured';
  /**
   * text: the body; binary: base64 of the bytes; structured: JSON of a
   * structured-clone value (worker messages), made by the hook's safe serializer.
   */
  data: string;
  /** HTTP status for fetch / XHR. */
  status?: number;
  /** Stable id of the connection (WebSocket, worker) within the page. */
  conn?: string;
  /** Byte offset of this message within its connection direction's stream. */
  offset?: number;
  /** Hex of the first bytes the client sent on this connection (selects the transport). */
  clientHead?: string;
  /** Method name when the hook knows it (e.g. from a paired request). */
  method?: string;
  /** Captures the hook itself dropped (rate cap) since its previous report. */
  hookDropped?: number;
  /**
   * Set when `data` is exactly one whole, plaintext (deobfuscated) frame of this MTProto
   * transport, starting at `offset`: the hook followed the stream's framing.
   */
  framing?: 'abridged' | 'intermediate' | 'padded-intermediate' | 'full';
}

/** Why a capture was dropped before classification; counted per tab. */
export type DropReason =
  | 'not-json'
  | 'bad-schema'
  | 'too-large'
  | 'rate-limited'
  | 'bad-base64';

// ---- content script -> background (runtime.sendMessage) ----

export interface CaptureMessage {
  type: 'capture';
  capture: HookCapture;
  /** The capturing frame's URL (the background keeps the top frame's as the page URL). */
  pageUrl: string;
}

export interface DropCountsMessage {
  type: 'drops';
  counts: Partial<Record<DropReason, number>>;
}

/** The top frame started loading a document (a reload or a navigation). */
export interface PageStartMessage {
  type: 'page-start';
  url: string;
}

export type ContentToBackground = CaptureMessage | DropCountsMessage | PageStartMessage;

// ---- panel <-> background (runtime.connect, port name `panel:<tabId>`) ----

export const PANEL_PORT_PREFIX = 'panel:';

export interface TabStats {
  /** Records dropped because the ring was full. */
  droppedOldest: number;
  /** Captures dropped before classification, by reason. */
  dropped: Partial<Record<DropReason, number>>;
  /** Captures that decoded but held no error (diagnostics). */
  diagnostics: number;
}

/** Per-tab switches, as in the Network panel. */
export interface TabSettings {
  /** False while the user paused recording: captures are dropped, not counted. */
  recording: boolean;
  /** Keep the log across reloads and navigations (off by default). */
  preserveLog: boolean;
  /** Most records kept for the tab; the oldest are dropped (and counted) beyond it. */
  maxRecords: number;
}

/**
 * The log caps the panel offers; the background accepts these values only. The live log
 * lives in chrome.storage.session (so it survives the service worker being stopped), and
 * Chrome gives that 10 MB for the whole extension: about 10,000 records at most. Larger
 * captures are inspected by importing a file (the timeline is tested at 100,000 rows).
 */
export const MAX_RECORDS_CHOICES = [1_000, 2_000, 5_000, 10_000] as const;

/** A page load seen while the log was preserved; the timeline draws a line before `beforeId`. */
export interface NavigationMarker {
  /** Id of the first record captured after the navigation (the next id at that time). */
  beforeId: number;
  url: string;
  at: string;
}

export interface SnapshotMessage {
  type: 'snapshot';
  tabId: number;
  pageUrl: string | null;
  records: ErrorRecord[];
  stats: TabStats;
  settings: TabSettings;
  markers: NavigationMarker[];
}

export interface AppendMessage {
  type: 'append';
  records: ErrorRecord[];
  stats: TabStats;
}

export interface ClearedMessage {
  type: 'cleared';
  /** Set when the log was cleared because the page navigated (preserve log off). */
  navigatedTo?: string;
}

export interface SettingsMessage {
  type: 'settings';
  settings: TabSettings;
}

export interface NavigatedMessage {
  type: 'navigated';
  marker: NavigationMarker;
}

export type BackgroundToPanel = SnapshotMessage | AppendMessage | ClearedMessage | SettingsMessage | NavigatedMessage;

export interface ClearRequest {
  type: 'clear';
}

export interface SettingsRequest {
  type: 'set-settings';
  settings: Partial<TabSettings>;
}

export type PanelToBackground = ClearRequest | SettingsRequest;

// ---- test and tooling hooks (runtime.sendMessage from extension pages) ----

export interface GetLogRequest {
  type: 'get-log';
  tabId: number;
}

export type ExtensionRequest = GetLogRequest;
