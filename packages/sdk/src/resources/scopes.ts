import type {
  ScopeCloned,
  ScopeList,
  ScopeMergeInput,
  ScopeMergeReport,
  ScopePurged,
  ScopeSummary,
} from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

/** Options of {@link ScopesResource.merge}: everything but the parent scope. */
export type ScopeMergeOptions = Omit<ScopeMergeInput, 'into'>;

/** The client's scope as a whole, and the lifecycle of scopes on the server. */
export class ScopesResource {
  constructor(
    private readonly transport: Transport,
    /** A transport of the same server bound to another scope. */
    private readonly transportFor: (scope: string) => Transport,
  ) {}

  #path(suffix = '', transport = this.transport): string {
    const scope = transport.scope;
    if (scope === undefined) throw new TypeError('this call needs a client bound to a scope');
    return `/api/v1/scopes/${encodeURIComponent(scope)}${suffix}`;
  }

  /**
   * The scopes on the server that hold any entity, by name, with counts and times: every one up
   * to 500 (the server's first page).
   */
  async list(options?: CallOptions): Promise<ScopeSummary[]> {
    return (
      await this.transport.request<ScopeList>('GET', '/api/v1/scopes', { signal: options?.signal })
    ).scopes;
  }

  /** The counts and times of `name` (default: the client's scope); `null` when it holds nothing. */
  async get(name?: string, options?: CallOptions): Promise<ScopeSummary | null> {
    const transport =
      name === undefined || name === this.transport.scope
        ? this.transport
        : this.transportFor(name);
    return transport.request('GET', this.#path('', transport), {
      signal: options?.signal,
      nullOn: [404],
    });
  }

  /** Deletes every entity of the client's scope; resolves `null` when it held nothing. */
  async purge(options?: CallOptions): Promise<ScopePurged | null> {
    return this.transport.request('DELETE', this.#path(), {
      signal: options?.signal,
      nullOn: [404],
    });
  }

  /** Copies every entity of the client's scope, ids included, into the empty scope `to`. */
  async clone(to: string, options?: CallOptions): Promise<ScopeCloned> {
    return this.transport.request('POST', this.#path('/clone'), {
      signal: options?.signal,
      body: { to },
    });
  }

  /**
   * Moves the client's scope's work into the parent scope `into`. A refused merge (conflicts
   * under `onConflict: 'fail'`, or renamed ids that still collide) throws `OctopoidError` 409
   * whose `details` name each conflict; `dryRun: true` reports without writing.
   */
  async merge(
    into: string,
    options: ScopeMergeOptions = {},
    call?: CallOptions,
  ): Promise<ScopeMergeReport> {
    return this.transport.request('POST', this.#path('/merge'), {
      signal: call?.signal,
      body: { into, ...options },
    });
  }
}
