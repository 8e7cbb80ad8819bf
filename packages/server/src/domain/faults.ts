import {
  type ErrorBody,
  type ErrorCode,
  FAULT_PATTERN_BASE_BYTES,
  FAULT_PATTERN_BYTES_PER_INSTRUCTION,
  type FaultRule,
  type FaultRuleCreate,
  jsonBytes,
  MAX_FAULT_MATCH_PATH_LENGTH,
  MAX_FAULT_PATTERN_SIZE,
  MAX_FAULT_PATTERN_SIZE_PER_SCOPE,
  MAX_FAULT_RULE_BYTES,
  MAX_FAULT_RULE_BYTES_PER_SCOPE,
  MAX_FAULT_RULES_PER_SCOPE,
  pathGlobToRegExp,
} from '@octopoid/api';
import { RE2JS } from 're2js';
import { ApiError, ERROR_STATUS } from '../errors.js';

export interface FaultRequest {
  method: string;
  path: string;
}

interface StoredRule {
  rule: FaultRule;
  matchesPath: (path: string) => boolean;
  /** The rule's JSON text plus its compiled pattern's counted memory, in bytes. */
  bytes: number;
  /** Its compiled path pattern's size, in RE2 program instructions (0 without one). */
  size: number;
}

interface ScopeRules {
  nextId: number;
  rules: StoredRule[];
  /** The rules' counted size (JSON text plus compiled patterns), in bytes. */
  bytes: number;
  /** The rules' compiled path patterns together, in RE2 program instructions. */
  size: number;
  /** Real time (ms since the epoch) the scope's rules were last added or fired. */
  usedAt: number;
}

/** A rule's path test and its cost: its RE2 program size in instructions. */
interface PathMatcher {
  matches: (path: string) => boolean;
  size: number;
}

/**
 * Compiles with RE2, whose matching time is linear in the path: no pattern can stall a request.
 * @throws ApiError 400 naming `field` when the source is not RE2 syntax or its program passes
 *   MAX_FAULT_PATTERN_SIZE instructions.
 */
function linearTimeRegex(source: string, field: string): RE2JS {
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source);
  } catch (error) {
    throw ApiError.invalid(
      field,
      `must be a regular expression in RE2 syntax (no back-references or look-around): ${
        (error as Error).message
      }`,
    );
  }
  if (pattern.programSize() > MAX_FAULT_PATTERN_SIZE) {
    throw ApiError.invalid(
      field,
      `compiles to ${pattern.programSize()} instructions, more than ${MAX_FAULT_PATTERN_SIZE}: ` +
        'use fewer or smaller counted repetitions',
    );
  }
  return pattern;
}

/** A path longer than MAX_FAULT_MATCH_PATH_LENGTH never matches: its cost stays bounded. */
function pathMatcher(input: FaultRuleCreate): PathMatcher {
  const pattern =
    input.pathRegex !== undefined
      ? linearTimeRegex(input.pathRegex, 'pathRegex')
      : input.path !== undefined
        ? linearTimeRegex(pathGlobToRegExp(input.path).source, 'path')
        : undefined;
  if (!pattern) return { matches: () => true, size: 0 };
  return {
    matches: (path) => path.length <= MAX_FAULT_MATCH_PATH_LENGTH && pattern.matcher(path).find(),
    size: pattern.programSize(),
  };
}

/** The memory a compiled pattern of `size` instructions is counted as, in bytes. */
const patternBytes = (size: number) =>
  size === 0 ? 0 : FAULT_PATTERN_BASE_BYTES + size * FAULT_PATTERN_BYTES_PER_INSTRUCTION;

/**
 * The fault rules of every scope, in memory (they are test scaffolding, not data). Matching a
 * request is synchronous, so counting a firing can never race with another request. Bounded per
 * scope (MAX_FAULT_RULES_PER_SCOPE rules, MAX_FAULT_RULE_BYTES_PER_SCOPE bytes counting compiled
 * patterns, MAX_FAULT_PATTERN_SIZE_PER_SCOPE pattern instructions: a full scope is refused) and per server (`maxBytes`, MAX_FAULT_RULE_BYTES by default: a rule that would pass
 * it frees the rules of the least recently used other scopes). The server-wide bound is never a
 * refusal, so no client, however many scopes it fills, can deny another scope its rules.
 */
export class FaultRules {
  /** In order of last use, least recent first: a used scope moves to the end. */
  readonly #scopes = new Map<string, ScopeRules>();
  readonly #closing = new AbortController();
  #bytes = 0;

  /**
   * `random` decides probabilistic rules (injectable so the decision can be tested); `maxBytes`
   * bounds every scope's rules together, as JSON text.
   */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly maxBytes: number = MAX_FAULT_RULE_BYTES,
  ) {}

  /**
   * Appends a rule to the scope's rules; returns it with its id. When the server's rules would
   * pass their bound, the rules of the least recently used other scopes are freed first.
   * @throws ApiError 400 when a path pattern is not RE2 syntax or compiles past
   *   MAX_FAULT_PATTERN_SIZE; 409 (`faults`) when the scope holds MAX_FAULT_RULES_PER_SCOPE rules
   *   or its rules would pass MAX_FAULT_RULE_BYTES_PER_SCOPE or MAX_FAULT_PATTERN_SIZE_PER_SCOPE.
   */
  add(scope: string, input: FaultRuleCreate): FaultRule {
    const { matches: matchesPath, size } = pathMatcher(input);
    const entry = this.#scopes.get(scope) ?? {
      nextId: 1,
      rules: [],
      bytes: 0,
      size: 0,
      usedAt: Date.now(),
    };
    if (entry.rules.length >= MAX_FAULT_RULES_PER_SCOPE) {
      throw ApiError.conflict(`the scope already holds ${MAX_FAULT_RULES_PER_SCOPE} fault rules`, [
        { field: 'faults', reason: 'too many rules in this scope: clear some first' },
      ]);
    }
    const rule: FaultRule = {
      id: `fault-${entry.nextId}`,
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
    const bytes = jsonBytes(rule) + patternBytes(size);
    if (entry.bytes + bytes > MAX_FAULT_RULE_BYTES_PER_SCOPE) {
      throw ApiError.conflict(
        `the scope's fault rules would pass ${MAX_FAULT_RULE_BYTES_PER_SCOPE} bytes`,
        [{ field: 'faults', reason: 'the scope holds too many bytes of rules: clear some first' }],
      );
    }
    if (entry.size + size > MAX_FAULT_PATTERN_SIZE_PER_SCOPE) {
      throw ApiError.conflict(
        `the scope's path patterns would pass ${MAX_FAULT_PATTERN_SIZE_PER_SCOPE} instructions`,
        [{ field: 'faults', reason: 'the scope holds too large path patterns: clear some first' }],
      );
    }
    this.#reclaim(scope, bytes);
    entry.nextId += 1;
    entry.rules.push({ rule, matchesPath, bytes, size });
    entry.bytes += bytes;
    entry.size += size;
    this.#used(scope, entry);
    this.#bytes += bytes;
    return { ...rule };
  }

  /** Frees the rules of the least recently used scopes other than `scope` until `bytes` fit. */
  #reclaim(scope: string, bytes: number): void {
    for (const other of this.#scopes.keys()) {
      if (this.#bytes + bytes <= this.maxBytes) return;
      if (other !== scope) this.clear(other);
    }
  }

  /** Marks the scope's rules used now: they become the last the server would free. */
  #used(scope: string, entry: ScopeRules): void {
    entry.usedAt = Date.now();
    this.#scopes.delete(scope);
    this.#scopes.set(scope, entry);
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
    const entry = this.#scopes.get(scope);
    this.#bytes -= entry?.bytes ?? 0;
    this.#scopes.delete(scope);
    return entry?.rules.length ?? 0;
  }

  /** Removes the rules of every scope whose rules were not added or fired since `before` (ms). */
  forgetIdle(before: number): string[] {
    const forgotten = [...this.#scopes].filter(([, entry]) => entry.usedAt < before);
    for (const [scope] of forgotten) this.clear(scope);
    return forgotten.map(([scope]) => scope);
  }

  /**
   * The first of the scope's rules that matches the request and fires, counted as fired.
   * A rule that is used up, or whose probability roll fails, lets later rules try.
   */
  fire(scope: string, request: FaultRequest): FaultRule | undefined {
    const entry = this.#scopes.get(scope);
    for (const { rule, matchesPath } of entry?.rules ?? []) {
      if (rule.method !== null && rule.method !== request.method) continue;
      if (!matchesPath(request.path)) continue;
      if (rule.times !== null && rule.fired >= rule.times) continue;
      if (rule.probability < 1 && this.random() >= rule.probability) continue;
      rule.fired += 1;
      if (entry) this.#used(scope, entry);
      return { ...rule };
    }
    return undefined;
  }
}

/** The error code of a status: the first the server's own table pairs with it. */
function codeForStatus(status: number): ErrorCode {
  const paired = (Object.keys(ERROR_STATUS) as ErrorCode[]).find(
    (code) => ERROR_STATUS[code] === status,
  );
  return paired ?? (status >= 500 ? 'service_unavailable' : 'bad_request');
}

/** The body a fault answers when its rule names none: the server's usual error shape. */
export function defaultFaultBody(rule: FaultRule & { status: number }): ErrorBody {
  const code = codeForStatus(rule.status);
  return {
    error: `injected fault: test-mode rule ${rule.id} answered ${rule.status}`,
    code,
    details: [{ field: 'fault', reason: `test-mode fault rule ${rule.id}` }],
  };
}
