// Every message that crosses a boundary (page hook -> content script -> background ->
// panel, and back) is defined here, so each hop validates against one definition.

import type { NotApiReason } from '../core/dialects/worker-dialects.ts';
import type { ErrorRecord } from '../core/record.ts';
import type { HandlingVerdict } from '../core/handling/types.ts';
import type { HookCapture } from '../core/capture/capture.ts';

/** Name of the DOM event the page hook dispatches on `document`; detail is a JSON string. */
export const HOOK_EVENT = '__tg_api_error_inspector__';

/**
 * Name of the DOM event the content script dispatches on `document` to hand the page hook
 * the auth keys given for this frame's origin (detail: 512 hex characters per key, back to
 * back; empty to disarm). Used only to triage encrypted frames in the page.
 */
export const HOOK_KEYS_EVENT = '__tg_api_error_inspector_keys__';

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
  /** Longest request head an HTTP capture carries (an encrypted request's first 4 KB). */
  requestHeadBytes: 4096,
  /** Captures accepted per second per page before the rest are dropped. */
  perSecond: 500,
} as const;

export type { EncryptedCapture, HookCapture } from '../core/capture/capture.ts';

/** Why a capture was dropped before classification; counted per tab. */
export type DropReason =
  /** Not API errors the decoder saw and chose not to list (worker-local errors, companion notices). */
  | NotApiReason
  /** With "Capture inside workers": a wait the client answered itself from one the wire showed (src/core/capture/sightings.ts). */
  | 'repeated-wait'
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

/**
 * Content script, once per document: which keys arm this frame's triage (and whether the
 * user asked for this origin's keys to be read at every load). Answered with KeysForPage.
 */
export interface KeysHelloMessage {
  type: 'keys-hello';
}

/** Content script: what it read from the page's storage, on the user's request or the per-origin switch. */
export interface PageKeysFoundMessage {
  type: 'page-keys-found';
  /** JSON object text: storage entries that can hold keys (never logged; parsed, then dropped). */
  dump: string;
  /** Storage names the entries came from, for the panel to say where keys were found. */
  places: string[];
  /**
   * The generic scan (on the panel's request): stored 256-byte values whose auth_key_id was one
   * of ReadPageKeysMessage.keyIds, as hex, with where each was. The background checks each id again.
   */
  matches?: { hex: string; place: string }[];
  /** What the generic scan looked at. */
  scan?: StorageScanSummary;
  /** Set when this answers the panel's "Read keys from this page" (its request id). */
  requestId?: number;
}

export type ContentToBackground = CaptureMessage | DropCountsMessage | PageStartMessage | KeysHelloMessage | PageKeysFoundMessage;

/** Background's answer to keys-hello, and what it pushes to a tab's frames when keys change. */
export interface KeysForPage {
  type: 'arm-keys';
  /** The origin these keys were given for: a frame of any other origin ignores them. */
  origin: string;
  /** 512 hex characters per key, back to back (see HOOK_KEYS_EVENT); empty: none. */
  keys: string;
  /** Read the page's stored keys now (the per-origin switch is on). */
  readNow: boolean;
}

/** Background to a tab's top frame: read the page's stored keys and answer with page-keys-found. */
export interface ReadPageKeysMessage {
  type: 'read-page-keys';
  requestId: number;
  /** auth_key_ids seen in the tab's traffic: the generic scan hands on only values with one of these ids. */
  keyIds: string[];
}

/** What "Read keys from this page" looked through (storage entries and IndexedDB records). */
export interface StorageScanSummary {
  values: number;
  bytes: number;
  /** Distinct 256-byte values found, matching or not. */
  candidates: number;
  skippedLarge: number;
  capped: boolean;
}

export type BackgroundToContent = KeysForPage | ReadPageKeysMessage;

// ---- panel <-> background (runtime.connect, port name `panel:<tabId>`) ----

export const PANEL_PORT_PREFIX = 'panel:';

export interface TabStats {
  /** Records dropped because the ring was full. */
  droppedOldest: number;
  /** Captures dropped before classification, by reason. */
  dropped: Partial<Record<DropReason, number>>;
  /** Captures that decoded but held no error (diagnostics). */
  diagnostics: number;
  /** Encrypted MTProto seen on the tab (absent until some is seen). */
  encrypted?: EncryptedStats;
}

export interface EncryptedStats {
  /** Messages decrypted with a given key and their msg_key verified. */
  decrypted: number;
  /** Messages under a key that was given but that failed to decrypt (bad msg_key, length). */
  failed: number;
  /** auth_key_ids (16 hex digits) of traffic under no key the user gave, at most 16. */
  unknownKeyIds: string[];
  /**
   * Of those, the ids a connection made itself: an unencrypted key exchange (req_pq_multi,
   * req_DH_params) on it, then traffic under this new id. A temporary (PFS) key, held in the
   * client's memory only, or a new login's first key.
   */
  madeOnWire?: string[];
}

/** A key as the panel may show it: never its bytes. */
export interface SessionKeyEntry {
  keyId: string;
  dc: number | null;
  source: string;
  /** Where it was read, e.g. "localStorage['2authKey'] (JSON array)"; null when pasted. */
  place?: string | null;
}

export interface KeysMessage {
  type: 'keys';
  /** The tab's top-frame origin the keys belong to; null before a page loaded. */
  origin: string | null;
  keys: SessionKeyEntry[];
  /** Read this origin's keys at every load. */
  autoRead: boolean;
  /** The outcome of the last add or read, in words (never quoting the input). */
  result?: KeysResult;
}

export interface KeysResult {
  action: 'add' | 'read';
  added: number;
  found: number;
  problems: string[];
  /** Where keys were looked for or found (storage names), for "Read keys from this page". */
  places: string[];
  /** The generic scan of the page's storage, when it ran. */
  scan?: StorageScanSummary;
  /** 256-byte values the scan found whose auth_key_id matched no traffic of this tab (not kept). */
  unmatched?: number;
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
 * lives in IndexedDB in the background (src/background/log/idb-storage.ts), so it survives the
 * service worker being stopped and holds 100,000 records per tab and more (the panel's
 * timeline is tested at 100,000 rows). The worker holds only a window of it in memory.
 */
export const MAX_RECORDS_CHOICES = [1_000, 2_000, 5_000, 10_000, 50_000, 100_000, 200_000] as const;

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
  /** The newest records (the whole log when `stored` is absent). */
  records: ErrorRecord[];
  stats: TabStats;
  settings: TabSettings;
  markers: NavigationMarker[];
  /** The records older than `records`, left in the log's database for the panel to read itself. */
  stored?: StoredLogPart;
}

/**
 * Where the older part of a snapshot is: chunks of the log's IndexedDB database (the panel is an
 * extension page of the same origin, so it reads them itself instead of the worker reading and
 * posting 70 MB of records a batch at a time: bench-live-log.ts). Keys oldest first; the panel
 * keeps the records with ids below `beforeId` (the snapshot's first record). A panel that cannot
 * read them asks for them over the port (`send-older`) and gets `older` messages.
 */
export interface StoredLogPart {
  db: string;
  store: string;
  keys: string[];
  /** Records in those chunks when the snapshot was sent. */
  count: number;
  beforeId: number;
}

/** Records older than a snapshot's (StoredLogPart), oldest first; `done` on the last. */
export interface OlderMessage {
  type: 'older';
  beforeId: number;
  records: ErrorRecord[];
  done: boolean;
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

/**
 * Handling audit: verdicts that changed (a later request decided them, or their window
 * closed). Each replaces the `handling` of the record with that id, if the panel still has it.
 */
export interface VerdictsMessage {
  type: 'verdicts';
  updates: { id: number; handling: HandlingVerdict }[];
}

/**
 * "Capture inside workers" (chrome.debugger): the tab's switch and what it sees. Sent when the
 * panel connects and whenever it changes.
 */
export interface WorkerCaptureMessage {
  type: 'worker-capture';
  on: boolean;
  /** `canceled`: the user pressed Cancel on the browser's "is debugging this browser" bar. */
  status: 'off' | 'starting' | 'on' | 'canceled' | 'failed';
  /** Why capture could not start or stopped, in words (null when none). */
  problem: string | null;
  /** Workers attached now; `tabs` when a SharedWorker is read for several tabs (this one included). */
  workers: { kind: WorkerKind; url: string; tabs?: number }[];
  /** Sockets read now (their first bytes were seen). */
  reading: number;
  /** Sockets that cannot be read: their first bytes went by before capture started. */
  unreadable: { url: string | null; worker: string; kind: WorkerKind; reason: string }[];
}

export type WorkerKind = 'worker' | 'shared-worker' | 'service-worker';

/** Errors read on a worker's wire that were then seen at the page-worker boundary too. */
export interface SightingsMessage {
  type: 'sightings';
  updates: { id: number; reachedPage: import('../core/record.ts').PageSighting }[];
}

/**
 * The call log (src/core/calls/): calls new or changed (an outcome), replacing those with the
 * same id; `reset` when the panel connects or the log was cleared: these are all the calls.
 */
export interface CallsMessage {
  type: 'calls';
  calls: import('../core/calls/call.ts').CallRecord[];
  /** Calls the tab's ring dropped, oldest first. */
  dropped: number;
  reset?: boolean;
}

/**
 * A message to a panel carried as its JSON text (the log's snapshot and its batches). Chrome
 * converts a port message's objects value by value on each side, which for thousands of records
 * took far longer than the records' JSON (bench-live-log.ts); a string crosses in one copy and the
 * panel parses it with JSON.parse. The panel's LogConnection unpacks it before anything else sees it.
 */
export interface PackedMessage {
  type: 'packed';
  json: string;
}

export type BackgroundToPanel =
  | CallsMessage
  | SnapshotMessage
  | OlderMessage
  | AppendMessage
  | ClearedMessage
  | SettingsMessage
  | NavigatedMessage
  | KeysMessage
  | VerdictsMessage
  | WorkerCaptureMessage
  | SightingsMessage;

export interface ClearRequest {
  type: 'clear';
}

export interface SettingsRequest {
  type: 'set-settings';
  settings: Partial<TabSettings>;
}

/** Session keys, from the panel's dialog. Keys travel only over the panel's port, never to disk. */
export type KeysRequest =
  | { type: 'keys-add'; text: string }
  | { type: 'keys-forget'; keyId: string }
  | { type: 'keys-forget-all' }
  | { type: 'keys-read-page' }
  | { type: 'keys-auto-read'; on: boolean };

/** Largest text the Auth key box accepts (a whole localStorage dump fits). */
export const KEY_TEXT_CHARS = 4 << 20;

/** The "Capture inside workers" switch; `worker-capture-reconnect` closes the sockets it cannot read, so the client opens them again. */
export type WorkerCaptureRequest = { type: 'worker-capture'; on: boolean } | { type: 'worker-capture-reconnect' };

/** A snapshot's older records over the port (the panel could not read them from the database). */
export interface SendOlderRequest {
  type: 'send-older';
  beforeId: number;
}

export type PanelToBackground = ClearRequest | SettingsRequest | KeysRequest | WorkerCaptureRequest | SendOlderRequest;

// ---- test and tooling hooks (runtime.sendMessage from extension pages) ----

export interface GetLogRequest {
  type: 'get-log';
  tabId: number;
}

export type ExtensionRequest = GetLogRequest;
