import type { Health, ServerInfo } from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

/** The server itself: liveness and identity. Neither needs a scope. */
export class HealthResource {
  constructor(private readonly transport: Transport) {}

  /** Liveness and database status; a 503 (database down) throws `OctopoidError`. */
  check(options?: CallOptions): Promise<Health> {
    return this.transport.request('GET', '/api/health', { signal: options?.signal });
  }

  /** The server's name, version and the routes it serves. */
  info(options?: CallOptions): Promise<ServerInfo> {
    return this.transport.request('GET', '/', { signal: options?.signal });
  }
}
