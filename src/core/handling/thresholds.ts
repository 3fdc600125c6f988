// Every number the handling audit judges by, with the reason it has the value it has.

/**
 * 303: how long the audit waits for the request to be repeated before it calls the redirect
 * given up (a violation). A repeat on a DC the client has not used yet may need a new
 * connection and an auth key (a DH exchange, then auth.exportAuthorization/importAuthorization):
 * a few seconds on a slow link. Real clients (Web K, GramJS) repeat at once after switching.
 */
export const REDIRECT_GIVE_UP_MS = 60_000;

/**
 * 420: a call this much before retryAt still counts as waiting. The error's time is when the
 * inspector saw it, which can be later than when the client read it (a worker's answer crosses
 * to the page after it), and Telegram's waits are whole seconds.
 */
export const FLOOD_EARLY_TOLERANCE_MS = 500;

/**
 * 400, 403, 404: how long an unchanged repeat is looked for. With none, the verdict settles as
 * ok when this window closes. Automatic retries, which the audit is about, come within a second
 * or two (Web K 1 s, GramJS 2 s); an identical request much later is a new attempt by the user.
 */
export const REPEAT_WATCH_MS = 10_000;

/**
 * 401: how long further calls with the refused key are counted; with none by then, the
 * client stopped as it should (ok). Long enough for a client's next scheduled calls
 * (updates.getState, polling) to show.
 */
export const UNAUTHORIZED_WATCH_MS = 30_000;

/**
 * 401: calls sent within this time after the error were already on their way when the client
 * read it (pipelined requests, a batch in flight): not counted.
 */
export const IN_FLIGHT_GRACE_MS = 250;

/**
 * 401: calls that need no authorization, so making them with a refused key is no fault: the
 * config and DC lookups, language packs and account.getPassword (needed for auth.checkPassword
 * after SESSION_PASSWORD_NEEDED). MTProto service calls (names without a namespace: ping,
 * msgs_ack, ...) are not counted either.
 */
export const UNAUTHORIZED_ALLOWED_METHODS: ReadonlySet<string> = new Set([
  'help.getConfig',
  'help.getNearestDc',
  'help.getCdnConfig',
  'help.getCountriesList',
  'account.getPassword',
]);
export const UNAUTHORIZED_ALLOWED_PREFIXES: readonly string[] = ['langpack.'];

/** 401: these calls create a new auth key; seeing them counts as a key change. */
export const KEY_EXCHANGE_METHODS: ReadonlySet<string> = new Set(['req_pq', 'req_pq_multi', 'req_DH_params', 'set_client_DH_params']);

/**
 * 500 and unknown codes: how long retries are watched and counted. A tight loop shows within
 * its first TIGHT_LOOP_RETRIES retries (under 1.5 s); the rest of the window lets the detail
 * show one or two backoff steps (Web K: 1 s, 1.5 s, 2.25 s, ...).
 */
export const SERVER_ERROR_WATCH_MS = 10_000;

/**
 * 500 and unknown codes: a tight loop is this many retries in a row, each sent less than
 * TIGHT_LOOP_GAP_MS after the attempt before it (the error, for the first). Three, so one quick
 * retry after a reconnect is not flagged.
 */
export const TIGHT_LOOP_RETRIES = 3;

/**
 * A round trip to Telegram takes 50 to 300 ms, so a gap under 500 ms means the client resent
 * about as soon as the answer came; real clients' backoffs start at 1 s (Web K) or 2 s (GramJS).
 */
export const TIGHT_LOOP_GAP_MS = 500;

/** 500 (detail only): spacing counts as backoff when each gap is at least this multiple of the one before (Web K grows ×1.5). */
export const BACKOFF_GROWTH = 1.25;

/**
 * bad_server_salt / bad_msg_notification: how long the audit waits for the refused message to
 * be resent. MTProto libraries resend at once (one round trip); 10 s covers a reconnect.
 */
export const RESEND_WINDOW_MS = 10_000;

/**
 * bad_msg_notification codes about the msg_id itself (16 too low, 17 too high, 18 low bits,
 * 19 container id reused, 20 too old): the message must be resent with a new msg_id.
 */
export const MSG_ID_ERROR_CODES: ReadonlySet<number> = new Set([16, 17, 18, 19, 20]);

/** bad_msg_notification error code 48 is bad_server_salt's. */
export const BAD_SERVER_SALT_CODE = 48;

// ---- memory bounds ----

/**
 * Per error, the related requests kept as evidence and judged. The verdict is made when this
 * many have come (a 401 then reports "at least 32 calls").
 */
export const MAX_RELATED_REQUESTS = 32;

/**
 * Errors still being watched. Beyond it the oldest is dropped: it gets a final not-observable
 * verdict ('dropped') and is counted. 500 errors open at once is far beyond a normal page;
 * the engine's cost per request grows with it.
 */
export const MAX_OPEN_ERRORS = 500;

/** Requests remembered by msg_id to pair later errors with them (as the background's RequestTracker does). Oldest dropped, counted. */
export const MAX_REMEMBERED_REQUESTS = 4096;

/** Families remembered as having shown requests. Oldest dropped, counted. */
export const MAX_FAMILIES = 256;
