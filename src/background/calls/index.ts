// The call log of each tab (issue 21): calls, their outcomes, kept beside the error log.

export { CallStore, CALL_CHUNK, type CallChanges } from './call-store.ts';
