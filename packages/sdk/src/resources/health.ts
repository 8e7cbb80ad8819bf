import type { Health } from '@octopoid/api';
import type { Transport } from '../transport.js';

export class HealthResource {
  constructor(private readonly transport: Transport) {}

  check(): Promise<Health> {
    return this.transport.request('GET', '/api/health');
  }
}
