import {
  type ErrorBody,
  type ErrorCode,
  type FaultRule,
  type FaultRuleCreate,
  pathGlobToRegExp,
} from '@octopoid/api';

export interface FaultRequest {
  method: string;
  path: string;
}

interface StoredRule {
  rule: FaultRule;
  matchesPath: (path: string) => boolean;
}

interface ScopeRules {
  nextId: number;
  rules: StoredRule[];
}

function pathMatcher(input: FaultRuleCreate): (path: string) => boolean {
  const pattern =
    input.pathRegex !== undefined
      ? new RegExp(input.pathRegex)
      : input.path !== undefined
        ? pathGlobToRegExp(input.path)
        : undefined;
  return pattern ? (path) => pattern.test(path) : () => true;
}

/**
 * The fault rules of every scope, in memory (they are test scaffolding, not data). Matching a
 * request is synchronous, so counting a firing can never race with another request.
 */
export class FaultRules {
  readonly #scopes = new Map<string, ScopeRules>();
  readonly #closing = new AbortController();

  /** `random` decides probabilistic rules; injectable so the decision can be tested. */
  constructor(private readonly random: () => number = Math.random) {}

  add(scope: string, input: FaultRuleCreate): FaultRule {
    const entry = this.#scopes.get(scope) ?? { nextId: 1, rules: [] };
    this.#scopes.set(scope, entry);
    const rule: FaultRule = {
      id: `fault-${entry.nextId++}`,
      method: input.method ?? null,
      path: input.path ?? null,
      pathRegex: input.pathRegex ?? null,
      status: input.status ?? null,
      ...(input.body !== undefined ? { body: input.body } : {}),
      delayMs: input.delayMs ?? 0,
      times: input.times ?? null,
      probability: input.probability ?? 1,
      fired: 0,
    };
    entry.rules.push({ rule, matchesPath: pathMatcher(input) });
    return { ...rule };
  }

  /** Aborted by {@link FaultRules.close}: held requests stop waiting when the server closes. */
  get closing(): AbortSignal {
    return this.#closing.signal;
  }

  /** Ends every delay in progress, so a closing server is not held open by a test's fault rule. */
  close(): void {
    this.#closing.abort();
  }

  list(scope: string): FaultRule[] {
    return (this.#scopes.get(scope)?.rules ?? []).map(({ rule }) => ({ ...rule }));
  }

  /** Removes the scope's rules; returns how many there were. */
  clear(scope: string): number {
    const count = this.#scopes.get(scope)?.rules.length ?? 0;
    this.#scopes.delete(scope);
    return count;
  }

  /**
   * The first of the scope's rules that matches the request and fires, counted as fired.
   * A rule that is used up, or whose probability roll fails, lets later rules try.
   */
  fire(scope: string, request: FaultRequest): FaultRule | undefined {
    for (const { rule, matchesPath } of this.#scopes.get(scope)?.rules ?? []) {
      if (rule.method !== null && rule.method !== request.method) continue;
      if (!matchesPath(request.path)) continue;
      if (rule.times !== null && rule.fired >= rule.times) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      rule.fired += 1;
      return { ...rule };
    }
    return undefined;
  }
}

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_claimed',
  500: 'internal_error',
};

/** The body a fault answers when its rule names none: the server's usual error shape. */
export function defaultFaultBody(rule: FaultRule & { status: number }): ErrorBody {
  const code =
    CODE_FOR_STATUS[rule.status] ?? (rule.status >= 500 ? 'service_unavailable' : 'bad_request');
  return {
    error: `injected fault: test-mode rule ${rule.id} answered ${rule.status}`,
    code,
    details: [{ field: 'fault', reason: `test-mode fault rule ${rule.id}` }],
  };
}
