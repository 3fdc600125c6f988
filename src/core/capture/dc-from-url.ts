// Which Telegram data center a connection talks to, read from the URLs web clients use:
// kws{N}/zws{N} WebSocket hosts (Web K / Web A), pluto..flora HTTP hosts (DC 1..5).

const HTTP_HOSTS: Record<string, number> = { pluto: 1, venus: 2, aurora: 3, vesta: 4, flora: 5 };

export interface DcInfo {
  dc: number;
  /** `-1` hosts carry media (file) traffic. */
  media: boolean;
  test: boolean;
}

const WS_HOST = /^[kz]ws(\d{1,3})(-1)?\.web\.telegram\.org$/;
const HTTP_HOST = /^(pluto|venus|aurora|vesta|flora)(-1)?\.web\.telegram\.org$/;

export function dcFromUrl(url: string | null): DcInfo | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase();
  const test = /_test\b/.test(parsed.pathname);
  const ws = WS_HOST.exec(host);
  if (ws) return { dc: Number(ws[1]), media: ws[2] !== undefined, test };
  const http = HTTP_HOST.exec(host);
  if (http) return { dc: HTTP_HOSTS[http[1]], media: http[2] !== undefined, test };
  return null;
}

/** The Bot API names the method in the path: /bot<token>/<method>. */
export function botApiMethodFromUrl(url: string | null): string | null {
  if (!url) return null;
  const match = /\/bot\d+:[^/]+\/([A-Za-z][A-Za-z0-9_]{0,63})(?:[?#]|$)/.exec(url);
  return match ? match[1] : null;
}
