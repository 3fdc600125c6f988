// Routes log updates to the panels watching each tab. A panel identifies its tab by
// its port name, so one background serves any number of DevTools windows.

import type { PortLike } from '../../platform/extension-api.ts';
import { PANEL_PORT_PREFIX, type BackgroundToPanel, type PackedMessage } from '../../shared/messages.ts';

export function tabIdFromPortName(name: string): number | null {
  if (!name.startsWith(PANEL_PORT_PREFIX)) return null;
  const id = Number(name.slice(PANEL_PORT_PREFIX.length));
  return Number.isSafeInteger(id) && id >= 0 ? id : null;
}

export class PanelHub {
  private readonly ports = new Map<number, Set<PortLike>>();

  add(tabId: number, port: PortLike): void {
    let set = this.ports.get(tabId);
    if (!set) this.ports.set(tabId, (set = new Set()));
    set.add(port);
    port.onDisconnect(() => {
      set.delete(port);
      if (set.size === 0 && this.ports.get(tabId) === set) this.ports.delete(tabId);
    });
  }

  send(tabId: number, message: BackgroundToPanel): void {
    this.post(tabId, message);
  }

  /** A large message as its JSON text (see PackedMessage), serialized once for all the tab's panels. */
  sendPacked(tabId: number, message: BackgroundToPanel): void {
    if (!this.has(tabId)) return;
    const packed: PackedMessage = { type: 'packed', json: JSON.stringify(message) };
    this.post(tabId, packed);
  }

  private post(tabId: number, message: BackgroundToPanel | PackedMessage): void {
    for (const port of this.ports.get(tabId) ?? []) {
      try {
        port.postMessage(message);
      } catch {
        // A port closed mid-send; its onDisconnect cleans it up.
      }
    }
  }

  has(tabId: number): boolean {
    return (this.ports.get(tabId)?.size ?? 0) > 0;
  }
}
