// The call log (issue 21): every API call the inspector reads, its outcome, and the calls
// before each error.

export * from './call.ts';
export * from './before.ts';
export * from './call-log.ts';
export * from './service-messages.ts';
export * from './export-calls.ts';
export * from './from-capture.ts';
