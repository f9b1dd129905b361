/**
 * Natural batching: items that arrive while a batch is being handled wait and form the next batch.
 * A lone item is handled at once (no timer, no added wait); under a crowd, one database round trip
 * serves many items. `handle` settles each item's own promise (resolve or reject) itself.
 */
export function naturalBatches<T>(handle: (batch: T[]) => Promise<void>, maxBatch = Number.POSITIVE_INFINITY): (item: T) => void {
  let waiting: T[] = [];
  let running: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      await handle(batch);
    }
  }

  // An item may arrive after drain() saw an empty queue but before it settled: start again then.
  function kick(): void {
    running ??= drain().finally(() => {
      running = undefined;
      if (waiting.length > 0) kick();
    });
  }

  return (item) => {
    waiting.push(item);
    kick();
  };
}
