/**
 * Group commit: rows written by concurrent requests are queued and stored together, one transaction
 * for all that are waiting, and each writer's promise settles only after that transaction has
 * committed (or failed). One commit (one fsync on SQLite, one round trip and WAL flush on PostgreSQL)
 * then serves many requests instead of one each. Nothing is delayed on purpose: the first row waits
 * only for the rest of the current event-loop turn, and rows that arrive while a commit is running
 * go in the next one.
 */
export class GroupCommit<T> {
  #queue: Array<{ row: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  #scheduled = false;
  #inFlight = 0;
  readonly #commit: (rows: readonly T[]) => Promise<void>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;

  /**
   * `maxInFlight`: commits that may run at once. One suits SQLite (one writer at a time anyway);
   * PostgreSQL commits on several connections in parallel, so a batch need not wait for the last.
   */
  constructor(commit: (rows: readonly T[]) => Promise<void>, options: { maxBatch?: number; maxInFlight?: number } = {}) {
    this.#commit = commit;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxInFlight = options.maxInFlight ?? 1;
  }

  /** Resolves once the row is committed; rejects with the commit's error (the row is then not stored). */
  write(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ row, resolve, reject });
      this.#schedule();
    });
  }

  /** Rows waiting for a commit (for tests and metrics). */
  get pending(): number {
    return this.#queue.length;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    // Requests whose bodies arrived in the same turn join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.#maxBatch);
    this.#inFlight += 1;
    try {
      await this.#commit(batch.map((w) => w.row));
      for (const w of batch) w.resolve();
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      this.#inFlight -= 1;
      this.#schedule();
    }
  }
}
