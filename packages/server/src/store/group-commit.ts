/**
 * Group commit: many commits, one flush to stable storage.
 *
 * The database commits to the operating system's cache without waiting for the disk; every
 * commit is counted with `noteCommit`. `durable()` resolves once a flush that began after every
 * commit counted so far has finished, so a caller that awaits it before answering never
 * acknowledges a write that a power loss could take back. Commits that land while a flush runs
 * wait for the next one, which then covers all of them: under load, one flush serves a batch.
 *
 * This is the classic group commit of database engines (PostgreSQL's WAL flush, for one); the
 * flush itself is the caller's (an `fdatasync` of SQLite's write-ahead log).
 */
export class GroupCommit {
  /** Commits counted so far. */
  #committed = 0;
  /** Commits covered by the last flush that finished. */
  #flushed = 0;
  #flushing: Promise<void> | undefined;
  /**
   * A flush's error, kept for good: after a failed fsync Linux may mark the lost pages clean,
   * so a later flush that succeeds proves nothing about the earlier commits.
   */
  #failure: Error | undefined;

  /** @param flush writes everything committed so far to stable storage; rejects on an I/O error. */
  constructor(private readonly flush: () => Promise<void>) {}

  /** Counts one commit (or one write outside a transaction) as done but not yet durable. */
  noteCommit(): void {
    this.#committed += 1;
  }

  /**
   * Resolves once every commit counted before this call is on stable storage; at once when none
   * is waiting.
   *
   * @throws the flush's error (an I/O error), for this and every later call with commits not yet
   *   flushed: those commits are not known to be durable, so they must not be acknowledged.
   */
  durable(): Promise<void> {
    const target = this.#committed;
    if (this.#flushed >= target) return Promise.resolve();
    return this.#flushCovering(target);
  }

  async #flushCovering(target: number): Promise<void> {
    while (this.#flushed < target) {
      if (this.#failure) throw this.#failure;
      if (this.#flushing) {
        // It may have begun before some of these commits: wait for it, then look again.
        await this.#flushing;
        continue;
      }
      const covers = this.#committed;
      this.#flushing = this.flush().then(
        () => {
          this.#flushed = Math.max(this.#flushed, covers);
          this.#flushing = undefined;
        },
        (error: unknown) => {
          this.#failure = error instanceof Error ? error : new Error(String(error));
          this.#flushing = undefined;
        },
      );
      await this.#flushing;
    }
  }
}
