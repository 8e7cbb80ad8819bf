import { HealthResource } from './resources/health.js';
import { ScopesResource } from './resources/scopes.js';
import { TasksResource } from './resources/tasks.js';
import { Transport, type TransportOptions } from './transport.js';

export type OctopoidSDKOptions = TransportOptions;

/** A client of one Octopoid server, bound to one scope. */
export class OctopoidSDK {
  readonly tasks: TasksResource;
  readonly health: HealthResource;
  readonly scopes: ScopesResource;
  readonly #transport: Transport;

  constructor(options: OctopoidSDKOptions | Transport) {
    this.#transport = options instanceof Transport ? options : new Transport(options);
    this.tasks = new TasksResource(this.#transport);
    this.health = new HealthResource(this.#transport);
    this.scopes = new ScopesResource(this.#transport);
  }

  get scope(): string | undefined {
    return this.#transport.scope;
  }

  get serverUrl(): string {
    return this.#transport.serverUrl;
  }

  /** A sibling client of the same server for another scope. */
  withScope(scope: string): OctopoidSDK {
    return new OctopoidSDK(this.#transport.withOptions({ scope }));
  }
}
