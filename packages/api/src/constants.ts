// The API's runtime constants, and the pure rules clients share with the server. This module
// imports nothing, so clients that need only these (the SDK, the testing kit's mock fetch) load
// no schema library: `@octopoid/api/constants`.
// common
/** Scope names: 1–128 characters of letters, digits and `._:-`. */
export const SCOPE_NAME_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** Longest client-chosen id (task, project, message, action), in characters. */
export const MAX_ID_LENGTH = 200;
/** Earliest and latest instants a timestamp input may name: the years 0001–9999 in UTC. */
export const MIN_TIMESTAMP_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const MAX_TIMESTAMP_MS = Date.parse('9999-12-31T23:59:59.999Z');
/** How deeply JSON given as text may nest arrays and objects (a body's own limit is configurable). */
export const MAX_JSON_TEXT_DEPTH = 32;
/**
 * Largest value an integer column holds on every backend: PostgreSQL's `integer` is 32-bit
 * (SQLite's is 64-bit), so inputs stop here and both backends give the same answer.
 */
export const MAX_INT = 2_147_483_647;
/** Longest list a request may carry where the API takes a list (roles, filters, tags, hooks). */
export const MAX_LIST_LENGTH = 1000;

// auth
/** A scope's API key: `oct_` and 64 lowercase hex characters (32 random bytes). */
export const API_KEY_PATTERN = /^oct_[0-9a-f]{64}$/;

// actions
/** An action's life: proposed, execution asked for and under way, then its outcome. */
export const ACTION_STATUSES = [
  'proposed',
  'execute_requested',
  'executing',
  'completed',
  'failed',
  'expired',
] as const;

// orchestrators
/** `active` while heartbeating, `offline` after STALE_HEARTBEAT_SECONDS without, `maintenance` by an operator. */
export const ORCHESTRATOR_STATUSES = ['active', 'offline', 'maintenance'] as const;
/** An active orchestrator whose last heartbeat is older than this is marked offline. */
export const STALE_HEARTBEAT_SECONDS = 120;

// tasks
/** Where new tasks wait to be claimed, unless a role or the request names another queue. */
export const INCOMING_QUEUE = 'incoming';
/** Where a work claim holds a task under its lease. */
export const CLAIMED_QUEUE = 'claimed';
/** Where finished work ends; only force-queue moves a task out of it. */
export const DONE_QUEUE = 'done';
/** Where a task ends when its attempts are used up. */
export const FAILED_QUEUE = 'failed';
/** The queues every task moves through; flows may add their own (REVIEW_QUEUE, CONTINUATION_QUEUE). */
export const BUILT_IN_QUEUES = [INCOMING_QUEUE, CLAIMED_QUEUE, DONE_QUEUE, FAILED_QUEUE] as const;
export const REVIEW_QUEUE = 'provisional';
export const CONTINUATION_QUEUE = 'needs_continuation';
/** Leases: positive whole seconds, at most one week (the Python client asks for 4 hours). */
export const MAX_LEASE_SECONDS = 7 * 24 * 3600;
/** The lease a claim takes when it names none, in seconds. */
export const DEFAULT_LEASE_SECONDS = 300;
/** The longest a claim may wait for a claimable task (`wait_seconds`), in seconds. */
export const MAX_CLAIM_WAIT_SECONDS = 60;
/**
 * Largest page a task list answers with, in bytes of JSON (about): a page that would exceed it
 * ends early, with `limit` saying how many tasks it holds and `next_cursor` where to go on.
 */
export const MAX_TASK_LIST_BYTES = 8 * 1024 * 1024;

/**
 * Response header of a claim that took nothing: `empty` (404, nothing claimable) or `at_limit`
 * (429, the orchestrator holds `max_claimed` tasks). A 404 or 429 without it came from elsewhere
 * (a wrong base path, a proxy's rate limit), so clients must not read it as "nothing to do".
 */
export const CLAIM_OUTCOME_HEADER = 'x-octopoid-claim';

// scopes
/** What a scope merge does with an id both scopes hold: refuse, keep the target's, or rename. */
export const MERGE_CONFLICT_POLICIES = ['fail', 'skip', 'rename'] as const;

// events
/** Event names of the stream, as sent in the SSE `event:` field. */
export const SCOPE_EVENT_NAMES = { ready: 'ready', change: 'change' } as const;

// test-mode
/** HTTP methods a fault rule may match. */
export const FAULT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Longest delay a fault rule may add, in ms. */
export const MAX_FAULT_DELAY_MS = 60_000;
/** Ten years: far enough for any expiry rule, small enough to stay a safe integer. */
export const MAX_CLOCK_ADVANCE_MS = 10 * 365 * 24 * 3600 * 1000;
/** How far ahead of real time a scope's clock may run in total (100 years): dates stay 4-digit. */
export const MAX_CLOCK_OFFSET_MS = 100 * 365 * 24 * 3600 * 1000;
/**
 * How many scopes of one server keep a moved clock at once. Moving one more puts the clock of
 * the least recently used scope back on real time: never a refusal, so no client can starve others.
 */
export const MAX_SHIFTED_CLOCKS = 10_000;
/** How many fault rules one scope may hold. */
export const MAX_FAULT_RULES_PER_SCOPE = 100;
/** The largest fault-rule `body`, as JSON text, in bytes. */
export const MAX_FAULT_BODY_BYTES = 64 * 1024;
/** The longest fault-rule `pathRegex`, in characters. */
export const MAX_FAULT_PATTERN_LENGTH = 256;
/**
 * The largest compiled size of one fault rule's path pattern (`path` or `pathRegex`), in RE2
 * program instructions. A counted repetition is compiled once per count: `a{1000}` is 1,000.
 */
export const MAX_FAULT_PATTERN_SIZE = 256;
/**
 * The largest compiled size of one scope's path patterns together, in RE2 program instructions:
 * the work of matching one request against the scope's rules is this times the path's length.
 */
export const MAX_FAULT_PATTERN_SIZE_PER_SCOPE = 4096;
/** The longest request path a fault rule's path pattern is tested against; longer ones never match. */
export const MAX_FAULT_MATCH_PATH_LENGTH = 512;
/**
 * The memory a compiled path pattern is counted as, in bytes, besides the rule's JSON text: a
 * base plus so much per program instruction (RE2 keeps about 20 KiB per pattern, more per
 * instruction for alternations).
 */
export const FAULT_PATTERN_BASE_BYTES = 24 * 1024;
export const FAULT_PATTERN_BYTES_PER_INSTRUCTION = 256;
/**
 * The largest total size of one scope's fault rules, in bytes: their JSON text plus their
 * compiled path patterns (FAULT_PATTERN_BASE_BYTES, FAULT_PATTERN_BYTES_PER_INSTRUCTION).
 */
export const MAX_FAULT_RULE_BYTES_PER_SCOPE = 4 * 1024 * 1024;
/**
 * The largest total size of every scope's fault rules on one server, in bytes, counted as for
 * MAX_FAULT_RULE_BYTES_PER_SCOPE. A rule that would pass it frees the rules of the least
 * recently used other scopes instead of being refused, so no client can starve others.
 */
export const MAX_FAULT_RULE_BYTES = 32 * 1024 * 1024;

// errors
/** The `code` of every error body; the server maps each to its HTTP status in one table. */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'malformed_json',
  'scope_required',
  'scope_mismatch',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'ambiguous',
  'version_conflict',
  'invalid_transition',
  'too_many_claimed',
  'too_many_streams',
  'too_many_waiters',
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
  'service_unavailable',
  'internal_error',
] as const;

// test mode
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A path glob as fault rules and mock routes read it: `*` is one path segment, `**` any run of
 * characters (segments included); everything else is literal. The whole path must match.
 */
export function pathGlobToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) => part.split('*').map(escapeRegExp).join('[^/]+'))
    .join('.*');
  return new RegExp(`^${source}$`);
}
