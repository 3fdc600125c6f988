// The handling audit: one HandlingAudit (src/core/handling/) per tab, fed with the requests and
// errors the decoder read, its changed verdicts written into the log and sent to the panels.

export { HandlingAudits, orphanUpdates, type RecordVerdict, type SavedTabAudit } from './handling-audits.ts';
