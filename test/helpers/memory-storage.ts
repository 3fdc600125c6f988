import type { SessionStorage } from '../../src/platform/extension-api.ts';

/** Session storage stand-in that deep-copies like the real one and can enforce a quota. */
export class MemoryStorage implements SessionStorage {
  readonly data = new Map<string, string>();
  writes = 0;
  constructor(private readonly quotaBytes = Infinity) {}

  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const key of keys ?? [...this.data.keys()]) {
      const raw = this.data.get(key);
      if (raw !== undefined) out[key] = JSON.parse(raw);
    }
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    const next = new Map(this.data);
    for (const [key, value] of Object.entries(items)) next.set(key, JSON.stringify(value));
    let size = 0;
    for (const [key, raw] of next) size += key.length + raw.length;
    if (size > this.quotaBytes) throw new Error('QUOTA_BYTES quota exceeded');
    this.writes++;
    for (const [key, raw] of next) this.data.set(key, raw);
  }
  async remove(keys: string[]): Promise<void> {
    for (const key of keys) this.data.delete(key);
  }
}
