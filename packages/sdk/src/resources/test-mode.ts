import type {
  ClockAdvanced,
  FaultRule,
  FaultRuleInput,
  FaultRuleList,
  FaultsCleared,
  ScopeClock,
} from '@octopoid/api';
import { OctopoidError } from '../errors.js';
import type { CallOptions, HttpMethod, RequestOptions, Transport } from '../transport.js';

/** A fault rule as the SDK takes it: `path` may also be a `RegExp` (sent as `pathRegex`). */
export type FaultRuleSpec = Omit<FaultRuleInput, 'path' | 'pathRegex' | 'scope'> & {
  path?: string | RegExp;
};

/** `'30s'`, `'10m'`, `'1h30m'`, `'2d'`, `'250ms'`, or milliseconds. */
export type ClockDuration = string | number;

/** Sends a test-mode request; a 404 means the server has no test mode, which deserves saying. */
function testModeRequest<T>(
  transport: Transport,
  method: HttpMethod,
  path: string,
  options?: RequestOptions,
): Promise<T> {
  return transport.request<T>(method, `/api/v1/test${path}`, options).catch((error: unknown) => {
    if (error instanceof OctopoidError && error.status === 404) {
      throw new Error(
        `${transport.serverUrl} does not run in test mode: start it with \`octopoid-server serve ` +
          '--test-mode`, `startServer({ testMode: true })` or `startTestServer()`',
        { cause: error },
      );
    }
    throw error;
  });
}

function toWire({ path, ...rest }: FaultRuleSpec): FaultRuleInput {
  if (!(path instanceof RegExp)) return { ...rest, ...(path === undefined ? {} : { path }) };
  if (path.flags.replace(/[gy]/g, '') !== '') {
    throw new TypeError(`fault rule path ${path}: flags other than g and y cannot be sent`);
  }
  return { ...rest, pathRegex: path.source };
}

/** Fault rules of the client's scope: matching requests answer an error or are delayed. */
export class FaultsResource {
  constructor(private readonly transport: Transport) {}

  /** Adds a rule after the existing ones (the first matching rule wins). */
  add(rule: FaultRuleSpec, options?: CallOptions): Promise<FaultRule> {
    return testModeRequest(this.transport, 'POST', '/faults', {
      signal: options?.signal,
      body: toWire(rule),
    });
  }

  /** The rules in match order, each with how often it has fired. */
  async list(options?: CallOptions): Promise<FaultRule[]> {
    return (
      await testModeRequest<FaultRuleList>(this.transport, 'GET', '/faults', {
        signal: options?.signal,
      })
    ).rules;
  }

  /** Removes every rule of the scope; resolves how many there were. */
  async clear(options?: CallOptions): Promise<number> {
    return (
      await testModeRequest<FaultsCleared>(this.transport, 'DELETE', '/faults', {
        signal: options?.signal,
      })
    ).cleared;
  }
}

/** The clock of the client's scope: the time its leases and other time rules see. */
export class ClockResource {
  constructor(private readonly transport: Transport) {}

  /** Moves the scope's time forward; leases that ran out meanwhile go back to their queues. */
  advance(by: ClockDuration, options?: CallOptions): Promise<ClockAdvanced> {
    return testModeRequest(this.transport, 'POST', '/clock', {
      signal: options?.signal,
      body: { advance: by },
    });
  }

  now(options?: CallOptions): Promise<ScopeClock> {
    return testModeRequest(this.transport, 'GET', '/clock', { signal: options?.signal });
  }

  /** Puts the scope back on real time. */
  reset(options?: CallOptions): Promise<ScopeClock> {
    return testModeRequest(this.transport, 'DELETE', '/clock', { signal: options?.signal });
  }
}

/** What a server started in test mode offers a test: fault rules and a clock per scope. */
export class TestModeResource {
  readonly faults: FaultsResource;
  readonly clock: ClockResource;

  constructor(transport: Transport) {
    this.faults = new FaultsResource(transport);
    this.clock = new ClockResource(transport);
  }
}
