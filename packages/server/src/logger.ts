import { pino } from 'pino';

export type Logger = pino.Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Where a secret could sit in a log line; pino replaces it, whatever a caller passes. */
const SECRET_PATHS = [
  'adminKey',
  'apiKey',
  'api_key',
  '*.adminKey',
  '*.apiKey',
  '*.api_key',
  'headers.authorization',
  '*.headers.authorization',
];

/**
 * The server's pino logger (JSON lines on stdout); secrets are redacted (`SECRET_PATHS`).
 *
 * Lines are written synchronously (the server logs little). pino's default asynchronous
 * destination is flushed at exit by a loop that retries a write to a pipe whose reader is gone
 * (EPIPE) for ever: a server piped into `head` then never ended on SIGTERM. A synchronous
 * write's EPIPE reaches pino at once, and pino then stops writing to that output.
 */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino(
    {
      name: 'octopoid-server',
      level,
      redact: { paths: SECRET_PATHS, censor: '[secret]' },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}
