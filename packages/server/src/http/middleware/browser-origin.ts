import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** Headers a browser client of an allowed origin may send; the rest stay refused by preflight. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-octopoid-scope'];

/**
 * Cross-origin access for browsers. Off by default: a page of any other origin can neither read
 * an answer (no `Access-Control-Allow-Origin`) nor make the server act — a request carrying an
 * `Origin` that is neither the server's own nor listed in `allowedOrigins` is refused with 403
 * before any route runs, which also stops the "simple" requests (a form POST) that CORS alone
 * lets through. Listed origins get the usual CORS answers, echoing the one origin (never `*`).
 */
export function browserOrigin(allowedOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  const corsAnswers =
    allowedOrigins.length > 0
      ? cors({ origin: [...allowedOrigins], allowHeaders: ALLOWED_HEADERS, maxAge: 600 })
      : undefined;
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== ownOrigin(c.req.url)) {
      if (!allowedOrigins.includes(origin)) {
        throw new ApiError('forbidden', `origin ${origin} may not call this server`, [
          {
            field: 'header.origin',
            reason: 'not an allowed origin: start the server with --cors-origin to allow it',
          },
        ]);
      }
      if (corsAnswers) return corsAnswers(c, next);
    }
    return next();
  };
}

function ownOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * A `--cors-origin` value as browsers send it: `scheme://host[:port]`, nothing more.
 * @throws TypeError naming the value when it is not an origin (`*` included).
 */
export function validCorsOrigin(value: string): string {
  let origin: string | undefined;
  try {
    origin = new URL(value).origin;
  } catch {
    origin = undefined;
  }
  if (origin !== value || origin === 'null') {
    throw new TypeError(
      `corsOrigin ${JSON.stringify(value)} must be an origin like https://app.example.com ` +
        '(scheme, host and port only; "*" is not accepted)',
    );
  }
  return origin;
}
