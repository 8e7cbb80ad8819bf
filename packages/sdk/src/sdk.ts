import { ActionsResource } from './resources/actions.js';
import { DraftsResource } from './resources/drafts.js';
import { FlowsResource } from './resources/flows.js';
import { HealthResource } from './resources/health.js';
import { MessagesResource } from './resources/messages.js';
import { OrchestratorsResource } from './resources/orchestrators.js';
import { ProjectsResource } from './resources/projects.js';
import { RolesResource } from './resources/roles.js';
import { SchedulerResource } from './resources/scheduler.js';
import { ScopesResource } from './resources/scopes.js';
import { TasksResource } from './resources/tasks.js';
import { TestModeResource } from './resources/test-mode.js';
import { Transport, type TransportOptions } from './transport.js';

export type OctopoidSDKOptions = TransportOptions;

/**
 * A client of one Octopoid server, bound to one scope.
 *
 * ```ts
 * const sdk = new OctopoidSDK({ serverUrl: 'http://127.0.0.1:8787', scope: 'my-run' });
 * const task = await sdk.tasks.claim({ orchestrator_id: 'o-1', agent_name: 'a-1' });
 * if (task === null) return; // nothing claimable
 * ```
 *
 * - Every request carries the client's scope (`?scope=`); a call naming another scope rejects
 *   with a `TypeError` before anything is sent. Use {@link OctopoidSDK.withScope} for another.
 * - Results are typed from the `@octopoid/api` schemas the server validates with.
 * - A non-2xx answer throws `OctopoidError` (status, code, details, method, URL), except where a
 *   method documents `null`: every `get` on 404, `tasks.claim` on the server's own "nothing
 *   claimable" (404) and "claim limit reached" (429) answers.
 * - An unreachable server throws `OctopoidConnectionError` naming the URL, host and port. Only
 *   requests safe to repeat are retried, with backoff: GET, PUT, DELETE (a retried DELETE that
 *   finds nothing resolves: the lost first attempt did it) and claims (sent with an
 *   idempotency key). No answer within `timeoutMs` throws `OctopoidTimeoutError`.
 * - Every method takes a last, optional `{ signal }` (`CallOptions`) that aborts that call; the
 *   client's `signal` option (or {@link OctopoidSDK.withSignal}) aborts all of its calls. An
 *   aborted call rejects with the signal's reason (an `AbortError` by default), is never retried,
 *   and an `AbortError` raised by a custom fetch is passed on as it is, not as a connection error.
 */
export class OctopoidSDK {
  readonly tasks: TasksResource;
  readonly health: HealthResource;
  readonly scopes: ScopesResource;
  readonly messages: MessagesResource;
  readonly actions: ActionsResource;
  readonly projects: ProjectsResource;
  readonly drafts: DraftsResource;
  readonly flows: FlowsResource;
  readonly scheduler: SchedulerResource;
  readonly orchestrators: OrchestratorsResource;
  readonly roles: RolesResource;
  /** Fault rules and the clock of the scope; only on a server started in test mode. */
  readonly testMode: TestModeResource;
  readonly #options: OctopoidSDKOptions;
  readonly #transport: Transport;

  /** Throws a `TypeError` for a malformed `serverUrl`, `scope`, `timeoutMs` or `retries`. */
  constructor(options: OctopoidSDKOptions) {
    this.#options = options;
    this.#transport = new Transport(options);
    this.tasks = new TasksResource(this.#transport);
    this.health = new HealthResource(this.#transport);
    this.scopes = new ScopesResource(
      this.#transport,
      (scope) => new Transport({ ...options, scope }),
    );
    this.messages = new MessagesResource(this.#transport);
    this.actions = new ActionsResource(this.#transport);
    this.projects = new ProjectsResource(this.#transport);
    this.drafts = new DraftsResource(this.#transport);
    this.flows = new FlowsResource(this.#transport);
    this.scheduler = new SchedulerResource(this.#transport);
    this.orchestrators = new OrchestratorsResource(this.#transport);
    this.roles = new RolesResource(this.#transport);
    this.testMode = new TestModeResource(this.#transport);
  }

  /** The scope every request of this client names. */
  get scope(): string | undefined {
    return this.#transport.scope;
  }

  /** The server's base URL, without a trailing slash. */
  get serverUrl(): string {
    return this.#transport.serverUrl;
  }

  /** A sibling client: the same server and options, bound to another scope. */
  withScope(scope: string): OctopoidSDK {
    return new OctopoidSDK({ ...this.#options, scope });
  }

  /**
   * A sibling client whose every request (and pause between retries) ends when `signal` aborts,
   * rejecting with its `reason`: `sdk.withSignal(AbortSignal.timeout(5_000)).tasks.claim(…)`.
   */
  withSignal(signal: AbortSignal): OctopoidSDK {
    return new OctopoidSDK({ ...this.#options, signal });
  }

  /** A sibling client that sends this API key (as issued by `orchestrators.register`). */
  withApiKey(apiKey: string): OctopoidSDK {
    return new OctopoidSDK({ ...this.#options, apiKey });
  }
}
