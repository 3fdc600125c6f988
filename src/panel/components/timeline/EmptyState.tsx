interface Props {
  loaded: boolean;
  connected: boolean;
  recording: boolean;
  /** The log has errors, but the filters hide every one. */
  filteredOut: boolean;
  onClearFilters: () => void;
  onResume: () => void;
}

export function EmptyState({ loaded, connected, recording, filteredOut, onClearFilters, onResume }: Props) {
  if (!loaded)
    return (
      <div class="empty" role="status">
        {connected ? 'Loading…' : 'Connecting to the extension…'}
      </div>
    );
  if (filteredOut) {
    return (
      <div class="empty" role="status">
        <h2>No errors match the filters</h2>
        <button type="button" class="tool-button bordered" onClick={onClearFilters}>
          Clear filters
        </button>
      </div>
    );
  }
  return (
    <div class="empty" role="status">
      <h2>No Telegram API errors yet</h2>
      {recording ? null : (
        <p>
          <strong>Recording is paused.</strong>{' '}
          <button type="button" class="link-button" onClick={onResume}>
            Resume recording
          </button>
        </p>
      )}
      <p>Open your Telegram web client in this tab (Web K, Web A, or your own): every rpc_error it receives appears here as it happens.</p>
      <p>Errors are captured from the moment the page loads. To see the ones from start-up, reload the page (Ctrl+R / ⌘R).</p>
      <p class="dim">Import a file a colleague sent (our JSON export or a HAR from the Network panel) with Import above.</p>
    </div>
  );
}
