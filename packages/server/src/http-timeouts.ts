import type { ServerOptions as NodeServerOptions } from 'node:http';

/**
 * How long the HTTP server waits on a client, in ms. Node's own defaults (60 s for headers,
 * 300 s for a request) let a client that sends slowly (slowloris) hold a socket for minutes.
 */
export interface HttpTimeouts {
  /** From a request's first byte until its headers are complete; then a 408 and the connection closes. */
  headersTimeoutMs: number;
  /**
   * From a request's first byte until its body is complete; then a 408 and the connection
   * closes. Time spent answering is not counted: a long-poll claim (`wait_seconds`) waits after
   * its body has arrived. At least `headersTimeoutMs` (Node refuses less).
   */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open for the client's next request. */
  keepAliveTimeoutMs: number;
}

/**
 * 10 s for headers, 30 s for a whole request (a 1 MiB body at about 35 KB/s), 5 s of keep-alive
 * (Node's default).
 */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/**
 * Node checks its connections against the headers and request timeouts on an interval (30 s by
 * default, which would let a slow client outlive a shorter timeout by that much): at most 1 s.
 */
const MAX_CHECK_INTERVAL_MS = 1_000;

/**
 * The options of Node's `http.createServer` that apply `timeouts`: a client past the headers or
 * request timeout is answered `408 Request Timeout` (when no answer has begun) and disconnected
 * within about one check interval of the bound.
 */
export function nodeServerOptions(timeouts: HttpTimeouts): NodeServerOptions {
  return {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(MAX_CHECK_INTERVAL_MS, timeouts.headersTimeoutMs),
  };
}
