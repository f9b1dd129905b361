/** A first-come, first-served lock: PGlite has one connection, so every user of it takes turns. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
