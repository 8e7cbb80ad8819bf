import type { Fetch } from '@octopoid/sdk';

/**
 * A `fetch` that knows which of its requests are still open, so a test's scope is purged or
 * kept only once none of its requests can still land. {@link RequestTracker.settle} cuts off the
 * ones still open (the test no longer waits for them) and waits for all to end.
 */
export class RequestTracker {
  readonly #open = new Set<Promise<unknown>>();
  readonly #cutOff = new AbortController();

  constructor(readonly base: Fetch = globalThis.fetch) {}

  readonly fetch: Fetch = (input, init) => {
    const signal = init?.signal
      ? AbortSignal.any([init.signal, this.#cutOff.signal])
      : this.#cutOff.signal;
    const sent = this.base(input, { ...init, signal });
    // The server has finished with a request once its response head arrives.
    const open = sent.catch(() => undefined);
    this.#open.add(open);
    void open.finally(() => this.#open.delete(open));
    return sent;
  };

  /** Aborts every open request and resolves once each has ended. */
  async settle(): Promise<void> {
    this.#cutOff.abort(new Error('the test finished before this request was answered'));
    await Promise.allSettled(this.#open);
  }
}
