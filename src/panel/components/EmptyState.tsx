interface Props {
  loaded: boolean;
  connected: boolean;
}

export function EmptyState({ loaded, connected }: Props) {
  if (!loaded) return <div class="empty" role="status">{connected ? 'Loading…' : 'Connecting to the extension…'}</div>;
  return (
    <div class="empty" role="status">
      <h2>No Telegram API errors yet</h2>
      <p>Use the web client in this tab: every rpc_error it receives appears here as it happens.</p>
      <p>Errors are captured from the moment the page loads. To see the ones from start-up, reload the page.</p>
    </div>
  );
}
