// Work for one tab runs in arrival order (captures, clears, snapshots), so a panel
// never sees a snapshot that misses a record it is then sent again, or the reverse.
export class TabQueue {
  private readonly tails = new Map<number, Promise<unknown>>();

  run<T>(tabId: number, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(tabId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(tabId, tail);
    void tail.then(() => {
      if (this.tails.get(tabId) === tail) this.tails.delete(tabId);
    });
    return next;
  }
}
