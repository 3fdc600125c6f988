// Every message that crosses a boundary (page hook -> content script -> background ->
// panel, and back) is defined here, so each hop validates against one definition.

import type { ErrorRecord } from '../core/record.ts';
import type { HookCapture } from '../core/capture.ts';

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

export type { HookCapture } from '../core/capture.ts';

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
