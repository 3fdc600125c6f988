// Session keys: the auth keys the user gave, per origin, in memory and storage.session only
// (session-keys), and the requests that add, forget or read them from the page and arm each
// frame's triage with its own origin's keys (key-requests). A page can never plant a key.

export { isKeyOrigin, SessionKeyStore } from './session-keys.ts';
export { KeyRequests } from './key-requests.ts';
