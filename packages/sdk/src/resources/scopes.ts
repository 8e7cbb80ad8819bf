import type { ScopePurged } from '@octopoid/api';
import type { Transport } from '../transport.js';

/** The client's scope as a whole. */
export class ScopesResource {
  constructor(private readonly transport: Transport) {}

  /** Deletes every entity of the client's scope; resolves `null` when it held nothing. */
  async purge(): Promise<ScopePurged | null> {
    const scope = this.transport.scope;
    if (scope === undefined) throw new TypeError('purge needs a client bound to a scope');
    return this.transport.request('DELETE', `/api/v1/scopes/${encodeURIComponent(scope)}`, {
      nullOn: [404],
    });
  }
}
