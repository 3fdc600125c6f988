import { MAX_RECORDS_CHOICES, type TabSettings } from '../../../shared/messages.ts';
import { DEFAULT_MAX_RECORDS } from '../../model/log-model.ts';

interface Props {
  settings: TabSettings;
  /** False while an imported file is shown: the live controls then do not apply to it. */
  live: boolean;
  overviewOpen: boolean;
  onToggleRecording: () => void;
  onClear: () => void;
  onPreserveLog: (on: boolean) => void;
  onMaxRecords: (n: number) => void;
  onImport: () => void;
  onExportView: () => void;
  onExportAll: () => void;
  onToggleOverview: () => void;
  /** Keys given for the tab's origin (shown on the Session keys button). */
  keyCount: number;
  onSessionKeys: () => void;
}

/** The first toolbar row, as in the Network panel: record, clear, preserve log, then files. */
export function Toolbar(props: Props) {
  const { settings, live } = props;
  const cap = settings.maxRecords ?? DEFAULT_MAX_RECORDS;
  return (
    <div class="toolbar" role="toolbar" aria-label="Log controls">
      <button
        type="button"
        class={`tool-button record-button${settings.recording ? ' recording' : ''}`}
        aria-pressed={settings.recording}
        aria-label="Record"
        title={settings.recording ? 'Pause recording (errors are not captured while paused)' : 'Resume recording'}
        onClick={props.onToggleRecording}
        disabled={!live}
      >
        <span class="record-dot" aria-hidden="true" />
      </button>
      <button type="button" class="tool-button" onClick={props.onClear} title="Clear this tab's log" disabled={!live}>
        Clear
      </button>
      <span class="divider" aria-hidden="true" />
      <label class="check" title="Keep the log when the page reloads or navigates">
        <input
          type="checkbox"
          checked={settings.preserveLog}
          disabled={!live}
          onChange={(e) => props.onPreserveLog((e.currentTarget as HTMLInputElement).checked)}
        />
        Preserve log
      </label>
      <label class="select-label" title="Most errors kept for this tab; the oldest are dropped beyond it">
        Keep
        <select
          class="narrow"
          aria-label="Log cap"
          value={String(cap)}
          disabled={!live}
          onChange={(e) => props.onMaxRecords(Number((e.currentTarget as HTMLSelectElement).value))}
        >
          {(MAX_RECORDS_CHOICES.includes(cap as never) ? MAX_RECORDS_CHOICES : [...MAX_RECORDS_CHOICES, cap].sort((a, b) => a - b)).map((n) => (
            <option key={n} value={String(n)}>
              {n.toLocaleString('en-US')}
            </option>
          ))}
        </select>
      </label>
      <span class="divider" aria-hidden="true" />
      <button type="button" class="tool-button" onClick={props.onImport} title="Open an export of this panel or a HAR file saved from the Network panel">
        Import
      </button>
      <button type="button" class="tool-button" onClick={props.onExportView} title="Save the errors shown (after filters) as JSON">
        Export view
      </button>
      <button type="button" class="tool-button" onClick={props.onExportAll} title="Save every error of the log as JSON">
        Export all
      </button>
      <span class="divider" aria-hidden="true" />
      <button type="button" class="tool-button" onClick={props.onSessionKeys} title="Give this origin's auth keys so encrypted MTProto can be read">
        Session keys{props.keyCount > 0 ? ` (${props.keyCount})` : ''}
      </button>
      <span class="spacer-flex" />
      <button type="button" class="tool-button" aria-pressed={props.overviewOpen} onClick={props.onToggleOverview} title="Show the errors-over-time overview">
        Overview
      </button>
    </div>
  );
}
