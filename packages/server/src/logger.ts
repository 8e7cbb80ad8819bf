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

/** The server's pino logger (JSON lines on stdout); secrets are redacted (`SECRET_PATHS`). */
export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({
    name: 'octopoid-server',
    level,
    redact: { paths: SECRET_PATHS, censor: '[secret]' },
  });
}
